import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api'
import { AppError } from '@vigil/core'
import { queryRows } from './connections.js'
import { JOB_COLUMNS } from './job-rows.js'
import { SPAN_KEY_HASH_SQL } from './migrations.js'
import { SCORE_COLUMNS } from './score-rows.js'
import { SPAN_COLUMNS } from './span-rows.js'
import { readString } from './values.js'

/**
 * Batches reach their tables through per-connection TEMP staging tables: the appender (the
 * fastest way in from JS) cannot skip known keys, so it fills staging and one
 * `INSERT OR IGNORE … SELECT` moves the rows, skipping keys already stored and repeats inside
 * the batch. Temp tables write no WAL; only the final insert is logged.
 */
const STAGING = [
  { table: 'span_staging', from: 'spans', exclude: ' EXCLUDE (key_hash)', columns: SPAN_COLUMNS },
  { table: 'score_staging', from: 'scores', exclude: '', columns: SCORE_COLUMNS },
  { table: 'job_staging', from: 'jobs', exclude: '', columns: JOB_COLUMNS },
] as const

export type StagingTable = (typeof STAGING)[number]['table']

/** Moves staged rows into their tables; each statement reports the rows it inserted. */
export const INSERT_FROM_STAGING: Record<StagingTable, string> = {
  span_staging: `INSERT OR IGNORE INTO spans BY NAME
    SELECT ${SPAN_KEY_HASH_SQL} AS key_hash, * FROM span_staging`,
  score_staging: 'INSERT OR IGNORE INTO scores BY NAME SELECT * FROM score_staging',
  job_staging: 'INSERT OR IGNORE INTO jobs BY NAME SELECT * FROM job_staging',
}

/**
 * Creates the staging tables on `c` with the column types of their targets, and checks that
 * the appenders' column order still matches the schema (a migration that adds a column must
 * add its writer too).
 */
export async function createStaging(c: DuckDBConnection): Promise<void> {
  for (const s of STAGING) {
    await c.run(
      `CREATE OR REPLACE TEMP TABLE ${s.table} AS SELECT *${s.exclude} FROM ${s.from} LIMIT 0`,
    )
    const rows = await queryRows(
      c,
      "SELECT column_name FROM duckdb_columns() WHERE table_name = $t AND database_name = 'temp' ORDER BY column_index",
      { t: s.table },
    )
    const actual = rows.map((r) => readString(r, 'column_name'))
    if (actual.join(',') !== s.columns.join(',')) {
      throw new AppError(
        'INTERNAL',
        `${s.table} columns ${actual.join(',')} do not match the writer`,
      )
    }
  }
}

/**
 * Appends `rows` to a staging table, moves them to the target and empties staging; runs
 * inside the caller's transaction. Returns how many rows were new.
 */
export async function insertStaged<T>(
  c: DuckDBConnection,
  table: StagingTable,
  write: { rows: readonly T[]; append: (a: DuckDBAppender, row: T) => void },
): Promise<number> {
  if (write.rows.length === 0) return 0
  const appender = await c.createAppender(table)
  try {
    for (const row of write.rows) write.append(appender, row)
    appender.flushSync()
  } catch (error) {
    appender.clear()
    throw error
  } finally {
    appender.closeSync()
  }
  const inserted = await c.run(INSERT_FROM_STAGING[table])
  await c.run(`DELETE FROM ${table}`)
  return inserted.rowsChanged
}
