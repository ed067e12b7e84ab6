import { AsyncLocalStorage } from 'node:async_hooks'
import type { SpanKind } from '@vigil/core'
import { isEmpty, mergeAttributes, pickAttributes, type TraceAttributes } from './attributes.js'
import { internalError, type ErrorSink } from './error-sink.js'
import { newSpanId, newTraceId } from '@vigil/core'
import {
  SpanRecorder,
  type RecordedFields,
  type RecorderEnv,
  type SpanHandle,
  type SpanUpdate,
  type TraceState,
} from './span-record.js'

/** Options of `trace`, `span` and `generation`: attribution, the span's kind and first fields. */
export interface SpanOptions extends TraceAttributes, SpanUpdate {
  /** Default `span` (`generation` for generation()): also `tool`, `retrieval`, `agent`, … */
  kind?: SpanKind
  /** trace() only: use this trace id (e.g. one the app already gave its frontend). */
  traceId?: string
}

/** What is active in the current async context. */
interface ActiveContext {
  readonly span: SpanRecorder | undefined
  readonly trace: TraceState | undefined
  readonly overlay: TraceAttributes
}

/** Shared, never mutated: attribution objects are replaced, not changed. */
const EMPTY: TraceAttributes = Object.freeze({})
const ROOT: ActiveContext = { span: undefined, trace: undefined, overlay: EMPTY }

/** A span start request from a helper or a provider wrapper. */
export interface StartRequest {
  name: string
  kind: SpanKind
  options?: SpanOptions | undefined
}

/** The parent/child bookkeeping of one Vigil instance. */
export class Tracer {
  readonly #als = new AsyncLocalStorage<ActiveContext>()
  readonly #env: RecorderEnv

  constructor(env: RecorderEnv) {
    this.#env = env
  }

  get sink(): ErrorSink {
    return this.#env.sink
  }

  /** The innermost open span of the current async context. */
  activeSpan(): SpanHandle | undefined {
    return this.#als.getStore()?.span
  }

  /** Opens a span as a child of the active one (or as a new trace's root); does not enter it. */
  start(request: StartRequest): { recorder: SpanRecorder; context: ActiveContext } {
    const parent = this.#als.getStore() ?? ROOT
    const attrs = pickAttributes(request.options)
    // a new trace takes the attribution in force as its own, so later setAttributes() calls
    // reach all its spans; inside a trace, attribution applies to the subtree only
    const trace: TraceState = parent.trace ?? {
      traceId: request.options?.traceId || newTraceId(),
      attributes: mergeAttributes(parent.overlay, attrs),
    }
    const overlay = parent.trace ? mergeAttributes(parent.overlay, attrs) : {}
    const recorder = new SpanRecorder(
      {
        trace,
        spanId: newSpanId(),
        parentSpanId: parent.span?.spanId,
        name: request.name,
        kind: request.options?.kind ?? request.kind,
        overlay,
      },
      this.#env,
    )
    if (request.options) recorder.update(request.options)
    return { recorder, context: { span: recorder, trace, overlay } }
  }

  /**
   * Opens a provider call's span (a leaf: never entered) with its first fields, which it takes
   * as its own. What `start` does, without the objects a span that runs a function needs.
   */
  startCall(
    call: { name: string; kind: SpanKind; options: { attributes?: TraceAttributes | undefined } },
    fields: RecordedFields,
  ): SpanRecorder {
    const parent = this.#als.getStore() ?? ROOT
    // read per call, as the host may change its options object after wrapping
    const attributes = call.options.attributes
    const attrs = attributes ? pickAttributes(attributes) : EMPTY
    const trace: TraceState = parent.trace ?? {
      traceId: newTraceId(),
      attributes: mergeAttributes(parent.overlay, attrs),
    }
    const overlay = parent.trace ? mergeAttributes(parent.overlay, attrs) : EMPTY
    return new SpanRecorder(
      {
        trace,
        spanId: newSpanId(),
        parentSpanId: parent.span?.spanId,
        name: call.name,
        kind: call.kind,
        overlay,
      },
      this.#env,
      fields,
    )
  }

  /** Runs `fn` inside a new span; ends it when `fn` returns, throws, settles or rejects. */
  run<T>(request: StartRequest, fn: (span: SpanHandle) => T): T {
    let started: ReturnType<Tracer['start']> | undefined
    try {
      started = this.start(request)
    } catch (cause) {
      this.#env.sink(internalError(`start ${request.name}`, cause))
    }
    if (!started) return fn(noopHandle())
    const { recorder, context } = started
    return this.#als.run(context, () => invokeAndEnd(recorder, fn))
  }

  /** Runs `fn` with attribution for every span started inside it, without a span of its own. */
  withAttributes<T>(attributes: TraceAttributes, fn: () => T): T {
    let context: ActiveContext | undefined
    try {
      const parent = this.#als.getStore() ?? ROOT
      const picked = pickAttributes(attributes)
      if (!isEmpty(picked)) {
        context = { ...parent, overlay: mergeAttributes(parent.overlay, picked) }
      }
    } catch (cause) {
      this.#env.sink(internalError('withAttributes', cause))
    }
    return context ? this.#als.run(context, fn) : fn()
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

/**
 * Calls the host's function; its value, its promise and its error reach the host unchanged
 * (the promise is returned as is: observed, not replaced).
 */
function invokeAndEnd<T>(recorder: SpanRecorder, fn: (span: SpanHandle) => T): T {
  let result: T
  try {
    result = fn(recorder)
  } catch (error) {
    recorder.end(error ?? new Error(String(error)))
    throw error
  }
  if (isThenable(result)) {
    try {
      result.then(
        () => recorder.end(),
        (error: unknown) => recorder.end(error ?? new Error(String(error))),
      )
    } catch (cause) {
      // a thenable whose then() throws: the host meets the same throw when it awaits
      recorder.end(cause)
    }
  } else {
    recorder.end()
  }
  return result
}

/** A handle that records nothing, for when starting a span itself failed. */
export function noopHandle(): SpanHandle {
  return {
    traceId: newTraceId(),
    spanId: newSpanId(),
    update: () => undefined,
    setAttributes: () => undefined,
  }
}
