import type { DuckDBValue } from '@duckdb/node-api'
import {
  JOB_STATES,
  type Job,
  type JobClaim,
  type JobFilter,
  type JobQueue,
  type JobState,
} from '@vigil/core'
import { queryRows, type SerialConnection } from './connections.js'
import { JOB_SELECT, appendJob, rowToJob } from './job-rows.js'
import { insertStaged } from './staging.js'
import { readNumber, readString, toTimestamp } from './values.js'

function filterSql(f: JobFilter): { where: string; params: Record<string, DuckDBValue> } {
  const clauses = ['TRUE']
  const params: Record<string, DuckDBValue> = {}
  for (const [field, column] of [
    ['queue', 'queue'],
    ['projectId', 'project_id'],
    ['state', 'state'],
  ] as const) {
    const value = f[field]
    if (value === undefined) continue
    clauses.push(`${column} = $${column}`)
    params[column] = value
  }
  return { where: clauses.join(' AND '), params }
}

/** A claim is current while the job runs under that attempt number (its fencing token). */
const CURRENT_CLAIM = "id = $id AND state = 'running' AND attempts = $attempt"

/**
 * The durable job queue on its own connection: claims are UPDATE … RETURNING statements, so a
 * job is handed to one worker per lease, and claims never queue behind auth lookups.
 */
export class DuckDbJobQueue implements JobQueue {
  readonly #conn: SerialConnection

  constructor(conn: SerialConnection) {
    this.#conn = conn
  }

  enqueue(input: Parameters<JobQueue['enqueue']>[0]): Promise<number> {
    const rows = input.jobs.map((job) => ({ job, now: input.now }))
    return this.#conn.transaction((c) =>
      insertStaged(c, 'job_staging', { rows, append: appendJob }),
    )
  }

  async claim(input: Parameters<JobQueue['claim']>[0]): Promise<Job[]> {
    if (input.limit <= 0) return []
    const rows = await this.#conn.use((c) =>
      queryRows(
        c,
        `UPDATE jobs SET state = 'running', attempts = attempts + 1,
           lease_until = $lease_until, updated_at = $now
         WHERE id IN (
           SELECT id FROM jobs
           WHERE queue = $queue AND ((state = 'pending' AND run_at <= $now)
             OR (state = 'running' AND lease_until <= $now))
           ORDER BY run_at, id LIMIT $limit)
         RETURNING ${JOB_SELECT}`,
        {
          queue: input.queue,
          now: toTimestamp(input.now),
          lease_until: toTimestamp(input.now + input.leaseMs),
          limit: BigInt(Math.floor(input.limit)),
        },
      ),
    )
    return rows.map(rowToJob).sort((a, b) => a.runAt - b.runAt || (a.id < b.id ? -1 : 1))
  }

  async complete(claim: JobClaim): Promise<boolean> {
    return this.#update(
      `UPDATE jobs SET state = 'done', lease_until = NULL, updated_at = $now WHERE ${CURRENT_CLAIM}`,
      { id: claim.id, attempt: claim.attempt, now: toTimestamp(claim.now) },
    )
  }

  async fail(input: Parameters<JobQueue['fail']>[0]): Promise<boolean> {
    const params = {
      id: input.id,
      attempt: input.attempt,
      now: toTimestamp(input.now),
      error: input.error,
    }
    if (input.retryAt === null) {
      return this.#update(
        `UPDATE jobs SET state = 'dead', lease_until = NULL, last_error = $error,
           updated_at = $now WHERE ${CURRENT_CLAIM}`,
        params,
      )
    }
    return this.#update(
      `UPDATE jobs SET state = 'pending', run_at = $retry_at, lease_until = NULL,
         last_error = $error, updated_at = $now WHERE ${CURRENT_CLAIM}`,
      { ...params, retry_at: toTimestamp(input.retryAt) },
    )
  }

  async retry(input: Parameters<JobQueue['retry']>[0]): Promise<boolean> {
    return this.#update(
      `UPDATE jobs SET state = 'pending', attempts = 0, run_at = $now, updated_at = $now
       WHERE id = $id AND project_id = $project_id AND state = 'dead'`,
      { id: input.id, project_id: input.projectId, now: toTimestamp(input.now) },
    )
  }

  async get(id: string): Promise<Job | null> {
    const rows = await this.#conn.use((c) =>
      queryRows(c, `SELECT ${JOB_SELECT} FROM jobs WHERE id = $id`, { id }),
    )
    return rows[0] ? rowToJob(rows[0]) : null
  }

  async list(input: JobFilter & { limit: number }): Promise<Job[]> {
    const { where, params } = filterSql(input)
    const sql = `SELECT ${JOB_SELECT} FROM jobs WHERE ${where}
      ORDER BY updated_at DESC, id LIMIT $limit`
    const limit = BigInt(Math.max(0, Math.floor(input.limit)))
    const rows = await this.#conn.use((c) => queryRows(c, sql, { ...params, limit }))
    return rows.map(rowToJob)
  }

  async counts(input: JobFilter): Promise<Record<JobState, number>> {
    const { where, params } = filterSql({ ...input, state: undefined })
    const sql = `SELECT state, count(*) AS n FROM jobs WHERE ${where} GROUP BY state`
    const rows = await this.#conn.use((c) => queryRows(c, sql, params))
    const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>
    for (const row of rows) counts[readString(row, 'state') as JobState] = readNumber(row, 'n')
    return counts
  }

  async prune(input: { before: number }): Promise<number> {
    const result = await this.#conn.use((c) =>
      c.run("DELETE FROM jobs WHERE state = 'done' AND updated_at < $before", {
        before: toTimestamp(input.before),
      }),
    )
    return result.rowsChanged
  }

  async #update(sql: string, params: Record<string, DuckDBValue>): Promise<boolean> {
    const result = await this.#conn.use((c) => c.run(sql, params))
    return result.rowsChanged > 0
  }
}
