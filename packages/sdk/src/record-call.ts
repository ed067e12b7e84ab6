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
        return tapResult(result, callObserver(span, recipe, { streamed, sink }))
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

/** Runs `fn`; a throw is reported, never passed on (observers sit on the host's call path). */
function guard(sink: ErrorSink, where: string, fn: () => void): void {
  try {
    fn()
  } catch (cause) {
    sink(internalError(where, cause))
  }
}

function callObserver(
  span: SpanRecorder,
  recipe: CallRecipe,
  how: { streamed: boolean; sink: ErrorSink },
): CallObserver {
  const { sink } = how
  return {
    value: (value) =>
      guard(sink, recipe.name, () => {
        if (how.streamed && recipe.stream) {
          if (
            tapStream(value, streamObserver(span, recipe.stream(), { sink, name: recipe.name }))
          ) {
            return
          }
          span.record({ metadata: { 'stream.untapped': true } })
        } else {
          span.record(recipe.response(value))
        }
        span.end()
      }),
    error: (error) => guard(sink, recipe.name, () => span.end(error)),
  }
}

function streamObserver(
  span: SpanRecorder,
  acc: StreamAccumulator,
  how: { sink: ErrorSink; name: string },
): StreamObserver {
  let first = true
  const finish = (error?: unknown, aborted = false) =>
    guard(how.sink, how.name, () => {
      span.record(acc.finish())
      if (aborted) span.record({ metadata: { 'stream.aborted': true } })
      span.end(error)
    })
  return {
    // once per chunk: a try/catch here rather than guard(), which costs a closure per call
    item: (chunk) => {
      try {
        if (acc.add(chunk) && first) {
          first = false
          span.record({ ttftMs: span.elapsedMs() })
        }
      } catch (cause) {
        how.sink(internalError(how.name, cause))
      }
    },
    done: (aborted) => finish(undefined, aborted),
    error: (error) => finish(error),
  }
}
