import { AppError, type SpanInput } from '@vigil/core'
import type { QueueItem } from './batch-body.js'
import { internalError, type ErrorSink } from './error-sink.js'
import { safeJson } from './io.js'

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
 * Serializes ended spans once the host's call has moved on (in a setImmediate), so JSON work is
 * not on the path between a provider's answer and the host's `await`. The spans hold the SDK's
 * own copies of what it recorded, so nothing the host does meanwhile changes them.
 */
export class SpanSerializer {
  readonly #emit: (item: QueueItem) => void
  readonly #sink: ErrorSink
  readonly #maxPending: number
  #pending: SpanInput[] = []
  #scheduled: NodeJS.Immediate | null = null

  constructor(options: { emit: (item: QueueItem) => void; sink: ErrorSink; maxPending: number }) {
    this.#emit = options.emit
    this.#sink = options.sink
    this.#maxPending = options.maxPending
  }

  /** Spans waiting to be serialized. */
  get pending(): number {
    return this.#pending.length
  }

  push(span: SpanInput): void {
    this.#pending.push(span)
    // a host that records many spans without yielding still meets the queue's bound
    if (this.#pending.length >= this.#maxPending) this.drain()
    else this.#scheduled ??= setImmediate(() => this.drain()).unref()
  }

  /** Queues an already serialized item (a score, feedback) behind the spans. */
  emit(item: QueueItem): void {
    this.#emit(item)
  }

  /** Serializes and queues every pending span now (before flushes, and before feedback). */
  drain(): void {
    if (this.#scheduled) clearImmediate(this.#scheduled)
    this.#scheduled = null
    const spans = this.#pending
    this.#pending = []
    for (const span of spans) {
      try {
        this.#emit({ type: 'span', json: serializeSpan(span, this.#sink) })
      } catch (cause) {
        this.#sink(internalError(`span ${span.name}`, cause))
      }
    }
  }
}
