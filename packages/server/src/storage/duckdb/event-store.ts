import type { DuckDBConnection, JS } from '@duckdb/node-api'
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
import { clearStaging, moveStaged, stageRows, type MoveMode } from './staging.js'
import { isConstraintViolation } from './values.js'

/** A key_hash as read back (UHUGEINT → bigint). */
function keyOf(value: JS | undefined): bigint {
  if (typeof value !== 'bigint')
    throw new AppError('INTERNAL', `unexpected key_hash ${typeof value}`)
  return value
}

/**
 * Spans and scores in DuckDB. Appends alternate between writer connections, each with its own
 * staging tables: a batch is staged (the appender runs on the JS thread) while the previous
 * batch's transaction moves its rows (on DuckDB's threads), and the transactions themselves
 * run one at a time, in the order the batches were staged. Reads run on the reader pool and
 * see every committed batch.
 */
export class DuckDbEventStore implements EventStore {
  readonly #writers: readonly SerialConnection[]
  readonly #readers: ReaderPool
  readonly #now: () => number
  readonly #onFailure: (error: unknown) => void
  #nextWriter = 0
  /** Settles when the last transaction handed out has committed or failed. */
  #lastCommit: Promise<unknown> = Promise.resolve()

  constructor(deps: {
    writers: readonly SerialConnection[]
    readers: ReaderPool
    now?: () => number
    /** Told of every batch that failed (not awaited): the store may have to reopen. */
    onFailure?: (error: unknown) => void
  }) {
    if (deps.writers.length === 0) throw new AppError('INTERNAL', 'the event store needs a writer')
    this.#writers = deps.writers
    this.#readers = deps.readers
    this.#now = deps.now ?? Date.now
    this.#onFailure = deps.onFailure ?? (() => undefined)
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
    const writer = this.#writers[this.#nextWriter]!
    this.#nextWriter = (this.#nextWriter + 1) % this.#writers.length
    try {
      return await writer.use(async (c) => {
        try {
          await stageRows(c, 'span_staging', { rows: batch.spans, append: appendSpan })
          await stageRows(c, 'score_staging', { rows: batch.scores, append: appendScore })
          const now = this.#now()
          const jobRows = jobs.map((job) => ({ job, now }))
          await stageRows(c, 'job_staging', { rows: jobRows, append: appendJob })
          const turn = this.#lastCommit.then(() => this.#move(c, batch, jobs.length > 0))
          this.#lastCommit = turn.catch(() => undefined)
          return await turn
        } catch (error) {
          await clearStaging(c).catch(() => undefined)
          throw error
        }
      })
    } catch (cause) {
      this.#onFailure(cause)
      throw new AppError('UNAVAILABLE', 'the event store could not commit the batch', { cause })
    }
  }

  /**
   * The transaction that moves one staged batch into its tables: plainly first, and again
   * skipping known keys if one of them was already stored (a retried request). Staging is
   * filled outside the transaction, so a rolled-back move leaves it as it was.
   */
  async #move(c: DuckDBConnection, batch: AppendBatch, hasJobs: boolean): Promise<AppendResult> {
    try {
      return await this.#moveAs(c, { batch, hasJobs, mode: 'plain' })
    } catch (error) {
      if (!isConstraintViolation(error)) throw error
      return await this.#moveAs(c, { batch, hasJobs, mode: 'ignore' })
    }
  }

  async #moveAs(
    c: DuckDBConnection,
    { batch, hasJobs, mode }: { batch: AppendBatch; hasJobs: boolean; mode: MoveMode },
  ): Promise<AppendResult> {
    await c.run('BEGIN TRANSACTION')
    try {
      const spansInserted = batch.spans.length > 0 ? await moveStaged(c, 'span_staging', mode) : 0
      const scoresInserted =
        batch.scores.length > 0 ? await moveStaged(c, 'score_staging', mode) : 0
      if (hasJobs) await moveStaged(c, 'job_staging', mode)
      await c.run('COMMIT')
      return { spansInserted, scoresInserted }
    } catch (error) {
      await c.run('ROLLBACK').catch(() => undefined)
      throw error
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
