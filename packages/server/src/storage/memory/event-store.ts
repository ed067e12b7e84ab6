import type {
  AppendBatch,
  AppendResult,
  EventStore,
  Page,
  Score,
  Span,
  SpanQuery,
  TraceRecord,
} from '@vigil/core'
import { ioText } from '@vigil/core'

const spanKey = (s: Pick<Span, 'projectId' | 'traceId' | 'spanId'>): string =>
  `${s.projectId}\u0000${s.traceId}\u0000${s.spanId}`

function compareDesc(a: Span, b: Span): number {
  if (a.startTime !== b.startTime) return b.startTime - a.startTime
  if (a.traceId !== b.traceId) return a.traceId < b.traceId ? 1 : -1
  if (a.spanId !== b.spanId) return a.spanId < b.spanId ? 1 : -1
  return 0
}

/** Keeps events in maps; the reference behaviour for the storage contract. */
export class MemoryEventStore implements EventStore {
  readonly #spans = new Map<string, Span>()
  readonly #scores = new Map<string, Score>()

  append(batch: AppendBatch): Promise<AppendResult> {
    let spansInserted = 0
    let scoresInserted = 0
    for (const span of batch.spans) {
      const key = spanKey(span)
      if (!this.#spans.has(key)) {
        this.#spans.set(key, structuredClone(span))
        spansInserted += 1
      }
    }
    for (const score of batch.scores) {
      const key = `${score.projectId}\u0000${score.scoreId}`
      if (!this.#scores.has(key)) {
        this.#scores.set(key, structuredClone(score))
        scoresInserted += 1
      }
    }
    return Promise.resolve({ spansInserted, scoresInserted })
  }

  getTrace(projectId: string, traceId: string): Promise<TraceRecord | null> {
    const spans = [...this.#spans.values()]
      .filter((s) => s.projectId === projectId && s.traceId === traceId)
      .sort((a, b) => a.startTime - b.startTime || (a.spanId < b.spanId ? -1 : 1))
    if (spans.length === 0) return Promise.resolve(null)
    const scores = [...this.#scores.values()].filter(
      (s) => s.projectId === projectId && s.traceId === traceId,
    )
    return Promise.resolve(structuredClone({ spans, scores }))
  }

  listSpans(query: SpanQuery): Promise<Page<Span>> {
    const matching = [...this.#spans.values()]
      .filter((s) => this.#matches(s, query))
      .sort(compareDesc)
    const { cursor } = query
    const after = cursor
      ? matching.filter(
          (s) =>
            compareDesc(s, {
              ...s,
              startTime: cursor.startTime,
              traceId: cursor.traceId,
              spanId: cursor.spanId,
            }) > 0,
        )
      : matching
    const items = after.slice(0, query.limit)
    const last = items[items.length - 1]
    const nextCursor =
      after.length > query.limit && last
        ? { startTime: last.startTime, traceId: last.traceId, spanId: last.spanId }
        : null
    return Promise.resolve({ items: structuredClone(items), nextCursor })
  }

  #matches(s: Span, q: SpanQuery): boolean {
    if (s.projectId !== q.projectId) return false
    if (q.from !== undefined && s.startTime < q.from) return false
    if (q.to !== undefined && s.startTime >= q.to) return false
    const equal: [unknown, unknown][] = [
      [q.traceId, s.traceId],
      [q.model, s.model],
      [q.userId, s.userId],
      [q.sessionId, s.sessionId],
      [q.feature, s.feature],
      [q.kind, s.kind],
      [q.status, s.status],
    ]
    if (equal.some(([want, have]) => want !== undefined && want !== have)) return false
    if (q.text !== undefined) {
      const needle = q.text.toLowerCase()
      const hay = `${ioText(s.input)}\n${ioText(s.output)}`.toLowerCase()
      if (!hay.includes(needle)) return false
    }
    if (q.score !== undefined && !this.#hasScore(s, q.score)) return false
    return true
  }

  #hasScore(s: Span, want: NonNullable<SpanQuery['score']>): boolean {
    for (const score of this.#scores.values()) {
      if (score.projectId !== s.projectId || score.traceId !== s.traceId) continue
      if (score.spanId !== null && score.spanId !== s.spanId) continue
      if (score.name !== want.name) continue
      if (want.min !== undefined && (score.value === null || score.value < want.min)) continue
      if (want.max !== undefined && (score.value === null || score.value > want.max)) continue
      return true
    }
    return false
  }
}
