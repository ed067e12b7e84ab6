import type { DuckDBAppender } from '@duckdb/node-api'
import type { Job, JobState, JsonValue, NewJob } from '@vigil/core'
import {
  appendTime,
  epochMs,
  readJson,
  readNumber,
  readOptNumber,
  readOptString,
  readString,
  type Row,
} from './values.js'

/** A new job as a row: pending, never attempted. */
interface NewJobRow {
  job: NewJob
  now: number
}

type Writer = (a: DuckDBAppender, r: NewJobRow) => void

/** The jobs table in column order, each name beside its writer (see SPAN_WRITERS). */
const JOB_WRITERS: readonly (readonly [string, Writer])[] = [
  ['id', (a, { job }) => a.appendVarchar(job.id)],
  ['queue', (a, { job }) => a.appendVarchar(job.queue)],
  ['type', (a, { job }) => a.appendVarchar(job.type)],
  ['project_id', (a, { job }) => a.appendVarchar(job.projectId)],
  ['payload', (a, { job }) => a.appendVarchar(JSON.stringify(job.payload))],
  ['state', (a) => a.appendVarchar('pending')],
  ['attempts', (a) => a.appendInteger(0)],
  ['run_at', (a, { job, now }) => appendTime(a, job.runAt ?? now)],
  ['lease_until', (a) => a.appendNull()],
  ['last_error', (a) => a.appendNull()],
  ['created_at', (a, { now }) => appendTime(a, now)],
  ['updated_at', (a, { now }) => appendTime(a, now)],
]

/** Column names of the job staging table, in appender order. */
export const JOB_COLUMNS: readonly string[] = JOB_WRITERS.map(([name]) => name)

/** Appends one new job as one row. */
export function appendJob(a: DuckDBAppender, row: NewJobRow): void {
  for (const [, write] of JOB_WRITERS) write(a, row)
  a.endRow()
}

const TIME_COLUMNS = new Set(['run_at', 'lease_until', 'created_at', 'updated_at'])

/** The select list that reads a job back. */
export const JOB_SELECT = JOB_COLUMNS.map((c) =>
  TIME_COLUMNS.has(c) ? `${epochMs(c)} AS ${c}` : c,
).join(', ')

/** A row selected with JOB_SELECT → the job. */
export function rowToJob(r: Row): Job {
  return {
    id: readString(r, 'id'),
    queue: readString(r, 'queue'),
    type: readString(r, 'type'),
    projectId: readString(r, 'project_id'),
    payload: readJson<JsonValue>(r, 'payload'),
    state: readString(r, 'state') as JobState,
    attempts: readNumber(r, 'attempts'),
    runAt: readNumber(r, 'run_at'),
    leaseUntil: readOptNumber(r, 'lease_until'),
    lastError: readOptString(r, 'last_error'),
    createdAt: readNumber(r, 'created_at'),
    updatedAt: readNumber(r, 'updated_at'),
  }
}
