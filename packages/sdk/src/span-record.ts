import {
  LIMITS,
  type ContextDocument,
  type SpanInput,
  type SpanIo,
  type SpanKind,
  type SpanStatus,
} from '@vigil/core'
import { mergeAttributes, pickAttributes, type TraceAttributes } from './attributes.js'
import { internalError, type ErrorSink } from './error-sink.js'
import { clip, safeJson, toIo } from './io.js'

/** What a span handle may set while its function runs. */
export interface SpanUpdate {
  /** Text, chat messages (`{role, content}`), or any JSON value (stored as JSON text). */
  input?: unknown
  output?: unknown
  /** The model asked for. */
  model?: string
  /** The model that answered, when it differs (e.g. a dated snapshot). */
  responseModel?: string
  provider?: string
  /** Request parameters (temperature, max tokens, …). */
  params?: Record<string, unknown>
  /** Disjoint token buckets (`input`, `output`, `cache_read`, …); see `normalizeUsage`. */
  usage?: Record<string, number>
  finishReason?: string
  ttftMs?: number
  /** Retrieved documents the answer should be grounded in. */
  context?: ContextDocument[]
  /** Merged into the span's metadata. */
  metadata?: Record<string, unknown>
  status?: SpanStatus
  statusMessage?: string
}

/** The handle `trace`, `span` and `generation` pass to their function. */
export interface SpanHandle {
  readonly traceId: string
  readonly spanId: string
  /** Sets fields of this span; later calls win field by field, metadata is merged. */
  update(fields: SpanUpdate): void
  /** Sets trace-level attribution for this span and every span of the trace that ends later. */
  setAttributes(attributes: TraceAttributes): void
}

/** Fields in wire form, as the provider wrappers record them (no normalisation needed). */
export type RecordedFields = Omit<SpanUpdate, 'input' | 'output'> & {
  input?: SpanIo
  output?: SpanIo
  usageEstimated?: boolean
}

/** One trace in this process: its id and its attribution, shared by all its spans. */
export interface TraceState {
  readonly traceId: string
  attributes: TraceAttributes
}

/** A span that has ended: everything it recorded is settled, its wire form is built on demand. */
export interface EndedSpan {
  readonly name: string
  toWire(): SpanInput
}

/** What every span of one Vigil instance shares. */
export interface RecorderEnv {
  /** Takes an ended span; its wire form is built later, off the host's call path. */
  emit(span: EndedSpan): void
  sink: ErrorSink
  defaults: TraceAttributes
  captureContent: boolean
}

/** Where a span sits and what it starts with. */
export interface SpanStart {
  trace: TraceState
  spanId: string
  parentSpanId: string | undefined
  name: string
  kind: SpanKind
  /** Attribution of the subtree (withAttributes, span options): wins over the trace's. */
  overlay: TraceAttributes
}

/** An open span; ending it queues it once, to be serialized with others a moment later. */
export class SpanRecorder implements SpanHandle, EndedSpan {
  readonly traceId: string
  readonly spanId: string
  readonly #start: SpanStart
  readonly #env: RecorderEnv
  readonly #startTime = Date.now()
  readonly #startPerf = performance.now()
  #overlay: TraceAttributes
  #fields: RecordedFields
  #ended = false
  #durationMs = 0
  /** The attribution in force when the span ended (attribution objects are never mutated). */
  #attributes: TraceAttributes | undefined

  /** `fields`, when given, become the span's own (the caller keeps no reference to them). */
  constructor(start: SpanStart, env: RecorderEnv, fields: RecordedFields = {}) {
    this.traceId = start.trace.traceId
    this.spanId = start.spanId
    this.#start = start
    this.#env = env
    this.#overlay = start.overlay
    this.#fields = fields
  }

  get name(): string {
    return this.#start.name
  }

  /** Where this span's instance reports its own failures. */
  get sink(): ErrorSink {
    return this.#env.sink
  }

  /** Milliseconds since the span started (monotonic). */
  elapsedMs(): number {
    return performance.now() - this.#startPerf
  }

  update(fields: SpanUpdate): void {
    try {
      const { input, output, ...rest } = fields
      const recorded: RecordedFields = rest
      // spans are serialized a moment after they end: keep copies, not the host's objects
      if (rest.metadata) recorded.metadata = { ...rest.metadata }
      if (rest.params) recorded.params = { ...rest.params }
      if (rest.usage) recorded.usage = { ...rest.usage }
      if (rest.context) recorded.context = rest.context.map((doc) => ({ ...doc }))
      if (input !== undefined) recorded.input = toIo(input)
      if (output !== undefined) recorded.output = toIo(output)
      this.record(recorded)
    } catch (cause) {
      this.#env.sink(internalError('span.update', cause))
    }
  }

  setAttributes(attributes: TraceAttributes): void {
    const picked = pickAttributes(attributes)
    const trace = this.#start.trace
    trace.attributes = mergeAttributes(trace.attributes, picked)
    this.#overlay = mergeAttributes(this.#overlay, picked)
  }

  /** Sets wire-form fields; metadata is merged. */
  record(fields: RecordedFields): void {
    if (this.#ended) return
    const before = this.#fields.metadata
    Object.assign(this.#fields, fields)
    if (before && fields.metadata) this.#fields.metadata = { ...before, ...fields.metadata }
  }

  /**
   * Ends the span (once); an error marks it failed. Never throws. What it recorded is settled
   * here (later updates are ignored, attribution is taken as it stands); building and
   * serializing its wire form waits for the serializer's next batch.
   */
  end(error?: unknown): void {
    if (this.#ended) return
    this.#ended = true
    this.#durationMs = this.elapsedMs()
    try {
      if (error !== undefined) this.#fail(error)
      this.#attributes = mergeAttributes(
        mergeAttributes(this.#env.defaults, this.#start.trace.attributes),
        this.#overlay,
      )
      this.#env.emit(this)
    } catch (cause) {
      this.#env.sink(internalError(`span ${this.#start.name}`, cause))
    }
  }

  #fail(error: unknown): void {
    // provider SDK errors leave `name` as 'Error'; their class says which one it is
    const name =
      error instanceof Error
        ? error.name !== 'Error'
          ? error.name
          : error.constructor.name || 'Error'
        : typeof error
    const message = error instanceof Error ? error.message : safeJson(error)
    this.#fields.status = 'error'
    this.#fields.statusMessage ??= clip(message, 4096)
    const metadata: Record<string, unknown> = { ...this.#fields.metadata, 'error.type': name }
    // provider SDK errors (APIError) carry the HTTP status the provider answered with
    const status = (error as { status?: unknown } | null)?.status
    if (typeof status === 'number') metadata['http.status_code'] = status
    this.#fields.metadata = metadata
  }

  /** The ended span in wire form. */
  toWire(): SpanInput {
    const { trace, name, kind, parentSpanId } = this.#start
    const f = this.#fields
    const content = this.#env.captureContent
    return {
      ...this.#attributes,
      traceId: trace.traceId,
      spanId: this.spanId,
      parentSpanId,
      name: clip(name, LIMITS.nameLength),
      kind,
      startTime: this.#startTime,
      endTime: this.#startTime + this.#durationMs,
      status: f.status ?? 'ok',
      statusMessage: f.statusMessage,
      provider: f.provider,
      requestModel: f.model,
      responseModel: f.responseModel,
      params: f.params,
      input: content ? f.input : undefined,
      output: content ? f.output : undefined,
      finishReason: f.finishReason,
      usage: f.usage,
      usageEstimated: f.usageEstimated,
      ttftMs: f.ttftMs,
      context: content ? f.context : undefined,
      metadata: f.metadata,
    }
  }
}
