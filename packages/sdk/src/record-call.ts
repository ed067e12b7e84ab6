import type { SpanKind } from '@vigil/core'
import type { TraceAttributes } from './attributes.js'
import { internalError } from './error-sink.js'
import { rec } from './fields.js'
import type { RecordedFields, SpanRecorder } from './span-record.js'
import type { Tracer } from './tracer.js'
import { tapResult, tapStream, type CallObserver, type StreamObserver } from './wrap-tap.js'
import type { MethodWrapper } from './wrap-proxy.js'

/** Folds a streamed response into span fields, chunk by chunk. */
export interface StreamAccumulator {
  /** Takes one chunk; true when it carried the first output (for time to first token). */
  add(chunk: unknown): boolean
  finish(): RecordedFields
}

/** How one provider method maps onto a span. */
export interface CallRecipe {
  name: string
  kind: SpanKind
  provider: string
  /** Request body → fields known before the call (model, parameters, input). */
  request(body: Record<string, unknown>): RecordedFields
  /** A complete (non-streamed) response → fields. */
  response(value: unknown): RecordedFields
  /** A new accumulator when the request asks for a stream. */
  stream?(): StreamAccumulator
}

/** Options every provider wrapper takes. */
export interface WrapOptions {
  /** Attribution for every call made through this client (wins over the trace's). */
  attributes?: TraceAttributes
}

/** A method wrapper that records each call as a span, never changing what the host sees. */
export function recordCall(
  tracer: Tracer,
  recipe: CallRecipe,
  options: WrapOptions = {},
): MethodWrapper {
  const call = { name: recipe.name, kind: recipe.kind, options }
  return (original) =>
    (...args: unknown[]) => {
      const body = rec(args[0])
      const span = startSpan(tracer, recipe, { call, body })
      let result: unknown
      try {
        result = original(...args)
      } catch (error) {
        span?.end(error)
        throw error
      }
      if (!span) return result
      try {
        const streamed = recipe.stream !== undefined && body?.['stream'] === true
        return tapResult(result, new CallRecording(span, recipe, streamed))
      } catch (cause) {
        tracer.sink(internalError(recipe.name, cause))
        return result
      }
    }
}

function startSpan(
  tracer: Tracer,
  recipe: CallRecipe,
  what: { call: Parameters<Tracer['startCall']>[0]; body: Record<string, unknown> | undefined },
): SpanRecorder | undefined {
  try {
    // the mapping builds a new object: the span takes it as its own
    const fields = recipe.request(what.body ?? {})
    fields.provider = recipe.provider
    return tracer.startCall(what.call, fields)
  } catch (cause) {
    tracer.sink(internalError(recipe.name, cause))
    return undefined
  }
}

/**
 * Follows one call to its end. A class rather than closures: one allocation per call, and
 * nothing to name at run time (esbuild's keepNames, used by tsx and vitest, pays a
 * defineProperty for every named closure it creates). Methods never throw: they sit on the
 * host's call path.
 */
class CallRecording implements CallObserver {
  constructor(
    readonly span: SpanRecorder,
    readonly recipe: CallRecipe,
    readonly streamed: boolean,
  ) {}

  value(value: unknown): void {
    const { span, recipe } = this
    try {
      if (this.streamed && recipe.stream) {
        const recording = new StreamRecording(span, recipe.stream(), recipe.name)
        if (tapStream(value, recording)) return
        span.record({ metadata: { 'stream.untapped': true } })
      } else {
        span.record(recipe.response(value))
      }
      span.end()
    } catch (cause) {
      span.sink(internalError(recipe.name, cause))
    }
  }

  error(error: unknown): void {
    this.span.end(error)
  }
}

/** Follows one stream, chunk by chunk; methods never throw. */
class StreamRecording implements StreamObserver {
  #first = true

  constructor(
    readonly span: SpanRecorder,
    readonly acc: StreamAccumulator,
    readonly name: string,
  ) {}

  item(chunk: unknown): void {
    try {
      if (this.acc.add(chunk) && this.#first) {
        this.#first = false
        this.span.record({ ttftMs: this.span.elapsedMs() })
      }
    } catch (cause) {
      this.span.sink(internalError(this.name, cause))
    }
  }

  done(aborted: boolean): void {
    this.#finish(undefined, aborted)
  }

  error(error: unknown): void {
    this.#finish(error, false)
  }

  #finish(error: unknown, aborted: boolean): void {
    try {
      this.span.record(this.acc.finish())
      if (aborted) this.span.record({ metadata: { 'stream.aborted': true } })
      this.span.end(error)
    } catch (cause) {
      this.span.sink(internalError(this.name, cause))
    }
  }
}
