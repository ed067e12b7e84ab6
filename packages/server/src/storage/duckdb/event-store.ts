import type { JS } from '@duckdb/node-api'
import {
  AppError,
  type AppendBatch,
  type AppendResult,
  type EventStore,
  type Page,
  type Span,
  type SpanQuery,
  type TraceRecord,
} from '@vigil/core'
import type { ReaderPool, SerialConnection } from './connections.js'
import { appendJob } from './job-rows.js'
import { SCORE_SELECT, appendScore, rowToScore } from './score-rows.js'
import { FETCH_CHUNK, listSpanKeysSql, spansByKeySql, traceKeysSql } from './span-query.js'
import { appendSpan, rowToSpan } from './span-rows.js'
import { insertStaged } from './staging.js'

/** A key_hash as read back (UHUGEINT → bigint). */
function keyOf(value: JS | undefined): bigint {
  if (typeof value !== 'bigint')
    throw new AppError('INTERNAL', `unexpected key_hash ${typeof value}`)
  return value
}

/**
 * Spans and scores in DuckDB. Appends run on the one write connection (one batch in flight);
 * reads run on the reader pool and see every committed batch.
 */
export class DuckDbEventStore implements EventStore {
  readonly #writer: SerialConnection
  readonly #readers: ReaderPool
  readonly #now: () => number

  constructor(deps: { writer: SerialConnection; readers: ReaderPool; now?: () => number }) {
    this.#writer = deps.writer
    this.#readers = deps.readers
    this.#now = deps.now ?? Date.now
  }

  /**
   * One transaction: spans, scores and outbox jobs, or none of them. When it resolves the
   * commit is in DuckDB's WAL, so a process killed afterwards loses nothing.
   */
  async append(batch: AppendBatch): Promise<AppendResult> {
    const jobs = batch.jobs ?? []
    if (batch.spans.length + batch.scores.length + jobs.length === 0) {
      return { spansInserted: 0, scoresInserted: 0 }
    }
    try {
      return await this.#writer.transaction(async (c) => {
        const spansInserted = await insertStaged(c, 'span_staging', {
          rows: batch.spans,
          append: appendSpan,
        })
        const scoresInserted = await insertStaged(c, 'score_staging', {
          rows: batch.scores,
          append: appendScore,
        })
        const now = this.#now()
        await insertStaged(c, 'job_staging', {
          rows: jobs.map((job) => ({ job, now })),
          append: appendJob,
        })
        return { spansInserted, scoresInserted }
      })
    } catch (cause) {
      throw new AppError('UNAVAILABLE', 'the event store could not commit the batch', { cause })
    }
  }

  async getTrace(projectId: string, traceId: string): Promise<TraceRecord | null> {
    const keys = await this.#readers.query(traceKeysSql(projectId, traceId))
    if (keys.length === 0) return null
    const spans = [...(await this.#fetch(keys.map((r) => keyOf(r['key_hash'])))).values()]
    spans.sort((a, b) => a.startTime - b.startTime || (a.spanId < b.spanId ? -1 : 1))
    const scoreRows = await this.#readers.query({
      sql: `SELECT ${SCORE_SELECT} FROM scores
       WHERE project_id = $project_id AND trace_id = $trace_id
       ORDER BY created_at, score_id`,
      params: { project_id: projectId, trace_id: traceId },
    })
    return { spans, scores: scoreRows.map(rowToScore) }
  }

  async listSpans(query: SpanQuery): Promise<Page<Span>> {
    const keys = (await this.#readers.query(listSpanKeysSql(query))).map((r) =>
      keyOf(r['key_hash']),
    )
    const limit = Math.max(0, Math.floor(query.limit))
    const page = keys.slice(0, limit)
    const byKey = await this.#fetch(page)
    // in the order the keys were found (the database's), so the cursor is the true last one
    const items = page.flatMap((k) => byKey.get(k) ?? [])
    const last = items[items.length - 1]
    const nextCursor =
      keys.length > limit && last
        ? { startTime: last.startTime, traceId: last.traceId, spanId: last.spanId }
        : null
    return { items, nextCursor }
  }

  /** Whole spans by key hash, a chunk per statement. */
  async #fetch(keys: readonly bigint[]): Promise<Map<bigint, Span>> {
    const spans = new Map<bigint, Span>()
    for (let i = 0; i < keys.length; i += FETCH_CHUNK) {
      const rows = await this.#readers.query(spansByKeySql(keys.slice(i, i + FETCH_CHUNK)))
      for (const row of rows) spans.set(keyOf(row['key_hash']), rowToSpan(row))
    }
    return spans
  }
}
