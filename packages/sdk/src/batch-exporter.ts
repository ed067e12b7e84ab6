import { AppError } from '@vigil/core'
import { rejectionError, toBatch, type Batch, type QueueItem } from './batch-body.js'
import { internalError, type ErrorSink } from './error-sink.js'
import type { SendOutcome, Transport } from './transport.js'

/** Counters of everything the exporter was given. */
export interface ExporterStats {
  /** Items waiting in the queue or in the batch being sent. */
  queued: number
  /** Items the server accepted. */
  sent: number
  /** Items the server refused (4xx, or one by one in a 207); not retried. */
  rejected: number
  /** Items given up on after the last retry (server down, 5xx, 429). */
  failed: number
  /** Items never sent: the queue was full, or the exporter was shut down. */
  dropped: number
  /** Request attempts repeated after a retryable failure. */
  retries: number
}

/** Queue, batch and retry limits; every field has a default in `options.ts`. */
export interface ExporterLimits {
  maxQueueSize: number
  maxQueueBytes: number
  maxBatchSize: number
  maxBatchBytes: number
  flushIntervalMs: number
  maxRetries: number
  initialBackoffMs: number
  maxBackoffMs: number
}

interface Sleep {
  timer: NodeJS.Timeout
  resolve: () => void
}

/**
 * A bounded queue that posts batches in the background, one request at a time, retrying with
 * exponential backoff and jitter. Background timers are unref()'d so they never keep the host
 * alive; while the host awaits flush() they are ref()'d, so the awaited work can finish.
 */
export class BatchExporter {
  readonly #transport: Transport
  readonly #sink: ErrorSink
  readonly #limits: ExporterLimits
  readonly #random: () => number
  readonly #queue: QueueItem[] = []
  #queueBytes = 0
  #current: Batch | null = null
  #attempts = 0
  #pumping: Promise<void> | null = null
  #timer: NodeJS.Timeout | null = null
  #sleep: Sleep | null = null
  #flushing = 0
  #dropStreak = 0
  #stopped = false
  #reportedClosed = false
  #shutdown: Promise<void> | null = null
  readonly #stats = { sent: 0, rejected: 0, failed: 0, dropped: 0, retries: 0 }

  constructor(options: {
    transport: Transport
    sink: ErrorSink
    limits: ExporterLimits
    random?: () => number
  }) {
    this.#transport = options.transport
    this.#sink = options.sink
    this.#limits = options.limits
    this.#random = options.random ?? Math.random
  }

  /** Queues one item; drops and counts it when the queue is full. Never throws, never sends. */
  enqueue(item: QueueItem): void {
    const limits = this.#limits
    if (this.#stopped) {
      this.#stats.dropped += 1
      // one report per exporter: a host that keeps recording after shutdown would flood the sink
      if (!this.#reportedClosed)
        this.#sink(new AppError('UNAVAILABLE', 'recorded after shutdown(); dropped'))
      this.#reportedClosed = true
      return
    }
    const full =
      this.#queue.length >= limits.maxQueueSize ||
      this.#queueBytes + item.json.length > limits.maxQueueBytes
    if (full) {
      this.#dropStreak += 1
      this.#stats.dropped += 1
      if (this.#dropStreak === 1) {
        this.#sink(
          new AppError(
            'UNAVAILABLE',
            `export queue full (${this.#queue.length} items); dropping new items until it drains`,
          ),
        )
      }
      return
    }
    if (this.#dropStreak > 1) {
      this.#sink(
        new AppError(
          'UNAVAILABLE',
          `export queue drained after dropping ${this.#dropStreak} items`,
        ),
      )
    }
    this.#dropStreak = 0
    this.#queue.push(item)
    this.#queueBytes += item.json.length
    // the first send starts from a timer, never on the host's call path
    this.#schedule(this.#queue.length >= limits.maxBatchSize ? 0 : limits.flushIntervalMs)
  }

  /** Sends everything queued; resolves when the queue is empty or after `timeoutMs`. */
  async flush(timeoutMs: number): Promise<void> {
    if (this.#stopped || (this.#queue.length === 0 && !this.#current && !this.#pumping)) return
    this.#flushing += 1
    this.#sleep?.timer.ref()
    let deadline: NodeJS.Timeout | undefined
    const flush = { active: true }
    try {
      await Promise.race([
        this.#drain(flush),
        new Promise<void>((resolve) => {
          deadline = setTimeout(resolve, timeoutMs)
        }),
      ])
    } finally {
      flush.active = false
      clearTimeout(deadline)
      this.#flushing -= 1
      if (this.#flushing === 0) this.#sleep?.timer.unref()
    }
  }

  /** Flushes, then stops for good; later calls return the same promise. */
  shutdown(timeoutMs: number): Promise<void> {
    this.#shutdown ??= this.flush(timeoutMs).then(() => this.#stop())
    return this.#shutdown
  }

  /** A snapshot of the counters. */
  stats(): ExporterStats {
    return { queued: this.#queue.length + (this.#current?.items.length ?? 0), ...this.#stats }
  }

  #stop(): void {
    this.#stopped = true
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    if (this.#sleep) {
      clearTimeout(this.#sleep.timer)
      this.#sleep.resolve()
      this.#sleep = null
    }
    const left = this.#queue.length + (this.#current?.items.length ?? 0)
    this.#queue.length = 0
    this.#queueBytes = 0
    this.#current = null
    if (left > 0) this.#drop(left, `shut down with ${left} items unsent (flush timed out)`)
    this.#transport.close()
  }

  #drop(count: number, message: string): void {
    this.#stats.dropped += count
    this.#sink(new AppError('UNAVAILABLE', message))
  }

  #schedule(delayMs: number): void {
    if (this.#pumping || (this.#timer && delayMs > 0)) return
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.#timer = null
      void this.#startPump()
    }, delayMs)
    this.#timer.unref()
  }

  /** Pumps until nothing is left (a running pump may stop short of that) or the flush ends. */
  async #drain(flush: { active: boolean }): Promise<void> {
    while (flush.active && !this.#stopped && (this.#current || this.#queue.length > 0)) {
      await this.#startPump()
    }
  }

  #startPump(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    this.#pumping ??= this.#pump()
      .catch((cause: unknown) => this.#sink(internalError('export loop', cause)))
      .then(() => {
        this.#pumping = null
        if (this.#queue.length > 0) this.#schedule(this.#limits.flushIntervalMs)
      })
    return this.#pumping
  }

  /**
   * A pump started by the interval timer or by flush() sends at least one batch; after that it
   * goes on only with full batches (or while the host awaits flush()), so steady traffic is sent
   * in full batches rather than a trickle of small requests.
   */
  #shouldSend(first: boolean): boolean {
    if (this.#stopped) return false
    if (this.#current) return true
    if (this.#queue.length === 0) return false
    return first || this.#flushing > 0 || this.#queue.length >= this.#limits.maxBatchSize
  }

  async #pump(): Promise<void> {
    for (let first = true; this.#shouldSend(first); first = false) {
      const batch = (this.#current ??= this.#takeBatch())
      const outcome = await this.#transport.send(batch.json)
      // shutdown already counted this batch as dropped
      if (this.#stopped) return
      if (outcome.kind === 'retry' && this.#attempts < this.#limits.maxRetries) {
        this.#attempts += 1
        this.#stats.retries += 1
        await this.#wait(this.#backoff(outcome.retryAfterMs))
        continue
      }
      this.#settle(batch, outcome)
    }
  }

  #takeBatch(): Batch {
    const { maxBatchSize, maxBatchBytes } = this.#limits
    const queue = this.#queue
    let count = 0
    let bytes = 0
    let hasSpans = false
    while (count < queue.length && count < maxBatchSize) {
      const next = queue[count]!
      if (count > 0 && bytes + next.json.length > maxBatchBytes) break
      // the server computes an edit's distance from the stored span: send spans first
      if (next.afterSpans && hasSpans) break
      count += 1
      bytes += next.json.length
      hasSpans ||= next.type === 'span'
    }
    // one splice per batch: shift() per item is quadratic on a deep queue
    this.#queueBytes -= bytes
    return toBatch(queue.splice(0, count))
  }

  #settle(batch: Batch, outcome: SendOutcome): void {
    const count = batch.items.length
    this.#current = null
    this.#attempts = 0
    switch (outcome.kind) {
      case 'accepted':
        this.#stats.sent += outcome.response?.accepted ?? count
        return
      case 'partial':
        this.#stats.sent += outcome.response.accepted
        this.#stats.rejected += outcome.response.rejected
        this.#sink(rejectionError(outcome.response))
        return
      case 'rejected':
        this.#stats.rejected += count
        this.#sink(outcome.error)
        return
      case 'retry':
        this.#stats.failed += count
        this.#sink(
          new AppError(
            outcome.error.code,
            `gave up on ${count} items after ${this.#limits.maxRetries} retries: ${outcome.error.message}`,
            { cause: outcome.error },
          ),
        )
        return
    }
  }

  #backoff(retryAfterMs: number | undefined): number {
    const { initialBackoffMs, maxBackoffMs } = this.#limits
    if (retryAfterMs !== undefined) return retryAfterMs + this.#random() * 100
    const ceiling = Math.min(maxBackoffMs, initialBackoffMs * 2 ** (this.#attempts - 1))
    // "equal jitter": at least half the step, so a fleet of clients spreads out but still waits
    return ceiling / 2 + (this.#random() * ceiling) / 2
  }

  #wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#sleep = null
        resolve()
      }, ms)
      if (this.#flushing === 0) timer.unref()
      this.#sleep = { timer, resolve }
    })
  }
}
