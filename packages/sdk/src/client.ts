import { pickAttributes, type TraceAttributes } from './attributes.js'
import { BatchExporter, type ExporterStats } from './batch-exporter.js'
import { createErrorSink, internalError, type ErrorSink } from './error-sink.js'
import {
  prepareFeedback,
  prepareScore,
  type FeedbackOptions,
  type Prepared,
  type ScoreOptions,
} from './feedback.js'
import { resolveOptions, type VigilOptions } from './options.js'
import { SpanSerializer } from './span-serializer.js'
import type { WrapOptions } from './record-call.js'
import type { SpanHandle } from './span-record.js'
import { noopHandle, Tracer, type SpanOptions } from './tracer.js'
import { createHttpTransport } from './transport.js'
import { wrapAnthropicClient } from './wrap-anthropic.js'
import { wrapOpenAIClient } from './wrap-openai.js'

/** Counters of what the SDK recorded and what became of it. */
export type VigilStats = ExporterStats

/** A Vigil client: tracing helpers, provider wrappers, feedback and the export queue. */
export interface Vigil {
  /** Runs `fn` as a trace (inside another trace: as a span of it); returns what `fn` returns. */
  trace<T>(name: string, fn: (span: SpanHandle) => T, options?: SpanOptions): T
  /** Runs `fn` as a span of the active trace (or as a new trace). */
  span<T>(name: string, fn: (span: SpanHandle) => T, options?: SpanOptions): T
  /** Runs `fn` as a generation span (an LLM call the host makes itself). */
  generation<T>(name: string, fn: (span: SpanHandle) => T, options?: SpanOptions): T
  /** Runs `fn` with attribution for every span started inside it. */
  withAttributes<T>(attributes: TraceAttributes, fn: () => T): T
  /** The innermost span of the current async context, if any. */
  activeSpan(): SpanHandle | undefined
  /** An OpenAI client whose calls are recorded; the one passed in is not modified. */
  wrapOpenAI<T extends object>(client: T, options?: WrapOptions): T
  /** An Anthropic client whose calls are recorded; the one passed in is not modified. */
  wrapAnthropic<T extends object>(client: T, options?: WrapOptions): T
  /** Queues end-user feedback on a trace; returns its id, or undefined when it was refused. */
  feedback(traceId: string, feedback: FeedbackOptions): string | undefined
  /** Queues a score on a trace; returns its id, or undefined when it was refused. */
  score(traceId: string, score: ScoreOptions): string | undefined
  /** Sends everything queued; resolves when done or after `timeoutMs`. Never rejects. */
  flush(timeoutMs?: number): Promise<void>
  /** Flushes, then stops; idempotent. Never rejects. */
  shutdown(timeoutMs?: number): Promise<void>
  /** A snapshot of the counters. */
  stats(): VigilStats
}

const ZERO_STATS: VigilStats = {
  queued: 0,
  sent: 0,
  rejected: 0,
  failed: 0,
  dropped: 0,
  retries: 0,
}

/** Creates a Vigil client. It never throws: bad options are reported to `onError`. */
export function createVigil(options: VigilOptions): Vigil {
  if (options?.enabled === false) return disabledVigil()
  const sink = createErrorSink(typeof options?.onError === 'function' ? options.onError : undefined)
  const resolved = resolveOptions(options)
  for (const problem of resolved.problems) sink(problem)
  const exporter =
    resolved.endpoint && resolved.apiKey
      ? new BatchExporter({
          transport: createHttpTransport({
            endpoint: resolved.endpoint,
            apiKey: resolved.apiKey,
            timeoutMs: resolved.requestTimeoutMs,
          }),
          sink,
          limits: resolved.limits,
        })
      : undefined
  // without an endpoint and key, recording still works and every item counts as dropped
  let unexported = 0
  const serializer = new SpanSerializer({
    emit: (item) => (exporter ? exporter.enqueue(item) : (unexported += 1)),
    sink,
    maxPending: resolved.limits.maxQueueSize,
  })
  const tracer = new Tracer({
    emit: (span) => serializer.push(span),
    sink,
    // copied: the host may reuse and change the object it passed
    defaults: pickAttributes(options?.defaults),
    captureContent: options?.captureContent !== false,
  })
  return buildVigil({
    tracer,
    sink,
    exporter,
    serializer,
    flushTimeoutMs: resolved.flushTimeoutMs,
    stats: () => {
      const stats = exporter?.stats() ?? { ...ZERO_STATS }
      stats.dropped += unexported
      stats.queued += serializer.pending
      return stats
    },
  })
}

interface Parts {
  tracer: Tracer
  sink: ErrorSink
  exporter: BatchExporter | undefined
  serializer: SpanSerializer
  flushTimeoutMs: number
  stats: () => VigilStats
}

function buildVigil(parts: Parts): Vigil {
  const { tracer, sink, exporter, serializer, flushTimeoutMs } = parts
  // wrapping a client this instance already wrapped would record every call twice
  const wrapped = new WeakSet<object>()
  const wrap = <T extends object>(client: T, how: () => T): T => {
    if (wrapped.has(client)) return client
    const proxy = wrapSafely(sink, client, how)
    if (proxy !== client) wrapped.add(proxy)
    return proxy
  }
  const queue = (kind: string, prepare: () => Prepared): string | undefined => {
    try {
      const prepared = prepare()
      if (!prepared.ok) {
        sink(prepared.error)
        return undefined
      }
      // spans ended so far go first: an edit's distance is measured on the stored span
      serializer.drain()
      serializer.emit(prepared.item)
      return prepared.id
    } catch (cause) {
      sink(internalError(kind, cause))
      return undefined
    }
  }
  const safely = async (fn: () => Promise<void> | undefined): Promise<void> => {
    try {
      await fn()
    } catch (cause) {
      sink(internalError('flush', cause))
    }
  }
  return {
    trace: (name, fn, options) => tracer.run({ name, kind: 'span', options }, fn),
    span: (name, fn, options) => tracer.run({ name, kind: 'span', options }, fn),
    generation: (name, fn, options) => tracer.run({ name, kind: 'generation', options }, fn),
    withAttributes: (attributes, fn) => tracer.withAttributes(attributes, fn),
    activeSpan: () => tracer.activeSpan(),
    wrapOpenAI: (client, options) => wrap(client, () => wrapOpenAIClient(client, tracer, options)),
    wrapAnthropic: (client, options) =>
      wrap(client, () => wrapAnthropicClient(client, tracer, options)),
    feedback: (traceId, feedback) => queue('feedback', () => prepareFeedback(traceId, feedback)),
    score: (traceId, score) => queue('score', () => prepareScore(traceId, score)),
    flush: (timeoutMs = flushTimeoutMs) =>
      safely(() => {
        serializer.drain()
        return exporter?.flush(timeoutMs)
      }),
    shutdown: (timeoutMs = flushTimeoutMs) =>
      safely(() => {
        serializer.drain()
        return exporter?.shutdown(timeoutMs)
      }),
    stats: parts.stats,
  }
}

function wrapSafely<T extends object>(sink: ErrorSink, client: T, wrap: () => T): T {
  try {
    return typeof client === 'object' && client !== null ? wrap() : client
  } catch (cause) {
    sink(internalError('wrap', cause))
    return client
  }
}

/** `enabled: false`: the same surface, recording and sending nothing. */
function disabledVigil(): Vigil {
  return {
    trace: (_name, fn) => fn(noopHandle()),
    span: (_name, fn) => fn(noopHandle()),
    generation: (_name, fn) => fn(noopHandle()),
    withAttributes: (_attributes, fn) => fn(),
    activeSpan: () => undefined,
    wrapOpenAI: (client) => client,
    wrapAnthropic: (client) => client,
    feedback: () => undefined,
    score: () => undefined,
    flush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
    stats: () => ({ ...ZERO_STATS }),
  }
}
