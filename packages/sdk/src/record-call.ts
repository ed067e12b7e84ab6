import type { SpanKind } from '@vigil/core'
import type { TraceAttributes } from './attributes.js'
import { internalError, type ErrorSink } from './error-sink.js'
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
  const sink = tracer.sink
  return (original) =>
    (...args: unknown[]) => {
      const span = startSpan(tracer, recipe, { args, options })
      let result: unknown
      try {
        result = original(...args)
      } catch (error) {
        span?.end(error)
        throw error
      }
      if (!span) return result
      try {
        const streamed = recipe.stream !== undefined && rec(args[0])?.['stream'] === true
        return tapResult(result, new CallRecording(span, recipe, { streamed, sink }))
      } catch (cause) {
        sink(internalError(recipe.name, cause))
        return result
      }
    }
}

function startSpan(
  tracer: Tracer,
  recipe: CallRecipe,
  call: { args: unknown[]; options: WrapOptions },
): SpanRecorder | undefined {
  try {
    const { recorder } = tracer.start({
      name: recipe.name,
      kind: recipe.kind,
      options: call.options.attributes,
    })
    recorder.record({ provider: recipe.provider, ...recipe.request(rec(call.args[0]) ?? {}) })
    return recorder
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
    readonly how: { streamed: boolean; sink: ErrorSink },
  ) {}

  value(value: unknown): void {
    const { span, recipe } = this
    try {
      if (this.how.streamed && recipe.stream) {
        const recording = new StreamRecording(span, recipe.stream(), {
          sink: this.how.sink,
          name: recipe.name,
        })
        if (tapStream(value, recording)) return
        span.record({ metadata: { 'stream.untapped': true } })
      } else {
        span.record(recipe.response(value))
      }
      span.end()
    } catch (cause) {
      this.how.sink(internalError(recipe.name, cause))
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
    readonly how: { sink: ErrorSink; name: string },
  ) {}

  item(chunk: unknown): void {
    try {
      if (this.acc.add(chunk) && this.#first) {
        this.#first = false
        this.span.record({ ttftMs: this.span.elapsedMs() })
      }
    } catch (cause) {
      this.how.sink(internalError(this.how.name, cause))
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
      this.how.sink(internalError(this.how.name, cause))
    }
  }
}
