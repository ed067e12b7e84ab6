import { AppError, type SpanInput } from '@vigil/core'
import type { QueueItem } from './batch-body.js'
import { internalError, type ErrorSink } from './error-sink.js'
import { safeJson } from './io.js'
import type { EndedSpan } from './span-record.js'

/**
 * How long ended spans wait to be serialized together. Serializing one span right after its
 * call runs cold code amid the host's work; a batch runs it warm, at a fraction of the CPU.
 */
const BATCH_DELAY_MS = 50

/** Cycles and BigInt in the host's metadata are replaced; what still fails is left out. */
export function serializeSpan(span: SpanInput, sink: ErrorSink): string {
  const json = safeJson(span)
  if (json.startsWith('{')) return json
  sink(new AppError('INVALID_INPUT', `span ${span.name}: metadata or params not serializable`))
  return safeJson({
    ...span,
    params: undefined,
    metadata: { 'vigil.unserializable': 'metadata or params could not be serialized' },
  })
}

/**
 * Builds and serializes ended spans in batches, a moment after they end (or when flushed), so
 * neither is on the path between a provider's answer and the host's `await`. The spans hold the
 * SDK's own copies of what they recorded, so nothing the host does meanwhile changes them.
 */
export class SpanSerializer {
  readonly #emit: (item: QueueItem) => void
  readonly #sink: ErrorSink
  readonly #maxPending: number
  readonly #onTimer = (): void => this.drain()
  #pending: EndedSpan[] = []
  #scheduled: NodeJS.Timeout | null = null

  constructor(options: { emit: (item: QueueItem) => void; sink: ErrorSink; maxPending: number }) {
    this.#emit = options.emit
    this.#sink = options.sink
    this.#maxPending = options.maxPending
  }

  /** Spans waiting to be serialized. */
  get pending(): number {
    return this.#pending.length
  }

  push(span: EndedSpan): void {
    this.#pending.push(span)
    // a host that records many spans without yielding still meets the queue's bound
    if (this.#pending.length >= this.#maxPending) this.drain()
    else this.#scheduled ??= setTimeout(this.#onTimer, BATCH_DELAY_MS).unref()
  }

  /** Queues an already serialized item (a score, feedback) behind the spans. */
  emit(item: QueueItem): void {
    this.#emit(item)
  }

  /** Serializes and queues every pending span now (before flushes, and before feedback). */
  drain(): void {
    if (this.#scheduled) clearTimeout(this.#scheduled)
    this.#scheduled = null
    const spans = this.#pending
    this.#pending = []
    for (const span of spans) {
      try {
        this.#emit({ type: 'span', json: serializeSpan(span.toWire(), this.#sink) })
      } catch (cause) {
        this.#sink(internalError(`span ${span.name}`, cause))
      }
    }
  }
}
