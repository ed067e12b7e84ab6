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
import { listSpansSql } from './span-query.js'
import { SPAN_SELECT, appendSpan, rowToSpan } from './span-rows.js'
import { insertStaged } from './staging.js'

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
    const params = { project_id: projectId, trace_id: traceId }
    const spanRows = await this.#readers.query(
      `SELECT ${SPAN_SELECT} FROM spans
       WHERE project_id = $project_id AND trace_id = $trace_id
       ORDER BY start_time, span_id`,
      params,
    )
    if (spanRows.length === 0) return null
    const scoreRows = await this.#readers.query(
      `SELECT ${SCORE_SELECT} FROM scores
       WHERE project_id = $project_id AND trace_id = $trace_id
       ORDER BY created_at, score_id`,
      params,
    )
    return { spans: spanRows.map(rowToSpan), scores: scoreRows.map(rowToScore) }
  }

  async listSpans(query: SpanQuery): Promise<Page<Span>> {
    const { sql, params } = listSpansSql(query)
    const rows = await this.#readers.query(sql, params)
    const items = rows.slice(0, Math.max(0, query.limit)).map(rowToSpan)
    const last = items[items.length - 1]
    const nextCursor =
      rows.length > items.length && last
        ? { startTime: last.startTime, traceId: last.traceId, spanId: last.spanId }
        : null
    return { items, nextCursor }
  }
}
