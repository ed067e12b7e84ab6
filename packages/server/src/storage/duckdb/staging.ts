import { performance } from 'node:perf_hooks'
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api'
import { AppError } from '@vigil/core'
import { queryRows } from './connections.js'
import { JOB_COLUMNS } from './job-rows.js'
import { SPAN_KEY_HASH_SQL } from './migrations.js'
import { SCORE_COLUMNS } from './score-rows.js'
import { SPAN_COLUMNS } from './span-rows.js'
import { readString } from './values.js'

/*
 * Batches reach their tables through per-connection TEMP staging tables: the appender (the
 * fastest way in from JS) cannot skip known keys, so it fills staging and one
 * `INSERT OR IGNORE … SELECT` moves the rows, skipping keys already stored and repeats inside
 * the batch. Temp tables write no WAL; only the final insert is logged.
 *
 * LIST and MAP columns are staged as JSON text and converted by the insert: the node API's
 * appendList/appendMap build a DuckDB value per row and measured 25x slower (≈390 vs 15 µs a
 * row for tags, usage and cost) than appending the JSON; the conversion round-trips doubles
 * exactly.
 */
const TAGS = `from_json(tags, '["VARCHAR"]')`
const numberMap = (column: string): string =>
  `json_transform(${column}, '"MAP(VARCHAR, DOUBLE)"') AS ${column}`

const STAGING = [
  {
    table: 'span_staging',
    create: `SELECT * EXCLUDE (key_hash)
      REPLACE (NULL::VARCHAR AS tags, NULL::VARCHAR AS usage, NULL::VARCHAR AS cost)
      FROM spans`,
    move: `spans BY NAME
      SELECT ${SPAN_KEY_HASH_SQL} AS key_hash,
        * REPLACE (${TAGS} AS tags, ${numberMap('usage')}, ${numberMap('cost')})
      FROM span_staging`,
    columns: SPAN_COLUMNS,
  },
  {
    table: 'score_staging',
    create: 'SELECT * REPLACE (NULL::VARCHAR AS cost) FROM scores',
    move: `scores BY NAME
      SELECT * REPLACE (${numberMap('cost')}) FROM score_staging`,
    columns: SCORE_COLUMNS,
  },
  {
    table: 'job_staging',
    create: 'SELECT * FROM jobs',
    move: 'jobs BY NAME SELECT * FROM job_staging',
    columns: JOB_COLUMNS,
  },
] as const

export type StagingTable = (typeof STAGING)[number]['table']

/*
 * Each move as `INSERT OR IGNORE` and as a plain INSERT. `OR IGNORE` (ON CONFLICT DO NOTHING)
 * costs DuckDB a second pass: 50 realistic spans took 12.3 ms of CPU to move with it and 5.6 ms
 * without, and the primary key is checked either way. Known keys only come with retries, so a
 * commit moves plainly first and, when a key turns out to exist, rolls back and moves again
 * ignoring them.
 */
const INSERTS = {
  ignore: Object.fromEntries(STAGING.map((s) => [s.table, `INSERT OR IGNORE INTO ${s.move}`])),
  plain: Object.fromEntries(STAGING.map((s) => [s.table, `INSERT INTO ${s.move}`])),
} as Record<MoveMode, Record<StagingTable, string>>

/** How a move treats keys that are already stored: fail the statement, or skip them. */
export type MoveMode = 'plain' | 'ignore'

/*
 * Staging is emptied by replacing the table, not by DELETE: DuckDB never reclaims the space of
 * deleted temp rows (nor after TRUNCATE), so a staging table that only ever had its rows deleted
 * grew by every batch it carried until it hit memory_limit and spilled; bench/ingest ran out
 * of memory ~400k spans into the HTTP run. 120 batches of 2,000 5 KB rows: DELETE left 240 MB
 * in memory and 350 MB spilled, and took 5.1 s; CREATE OR REPLACE kept nothing, in 3.6 s.
 */
const RECREATES = Object.fromEntries(
  STAGING.map((s) => [s.table, `CREATE OR REPLACE TEMP TABLE ${s.table} AS ${s.create} LIMIT 0`]),
) as Record<StagingTable, string>

/**
 * Creates the staging tables on `c` (typed after their targets), and checks that the
 * appenders' column order still matches the schema: a migration that adds a column must add
 * its writer too.
 */
export async function createStaging(c: DuckDBConnection): Promise<void> {
  for (const s of STAGING) {
    await c.run(RECREATES[s.table])
    const rows = await queryRows(
      c,
      `SELECT column_name FROM duckdb_columns()
       WHERE database_name = 'temp' AND table_name = $t ORDER BY column_index`,
      { t: s.table },
    )
    const actual = rows.map((r) => readString(r, 'column_name')).join(',')
    if (actual !== s.columns.join(',')) {
      throw new AppError('INTERNAL', `${s.table} has columns ${actual}; the writer expects others`)
    }
  }
}

/**
 * Staging yields to the event loop after this much work, checked every YIELD_CHECK_ROWS rows.
 * 4,000 realistic ingest spans take ~250 ms to append and the gateway's small ones ~25 µs each;
 * without yielding, a batch of recorded calls held every proxied request behind it.
 */
const YIELD_MS = 2
const YIELD_CHECK_ROWS = 16

/** Rows for one staging table and how to write one of them. */
export interface StagedWrite<T> {
  rows: readonly T[]
  append: (a: DuckDBAppender, row: T) => void
}

/**
 * Appends `rows` to a staging table. Outside a transaction the appender commits on its own,
 * touching only the connection's temp catalog (no WAL), so a batch can be staged while another
 * connection's transaction moves the previous one.
 */
export async function stageRows<T>(
  c: DuckDBConnection,
  table: StagingTable,
  write: StagedWrite<T>,
): Promise<void> {
  if (write.rows.length === 0) return
  const appender = await c.createAppender(table)
  try {
    let since = performance.now()
    for (let i = 0; i < write.rows.length; i++) {
      write.append(appender, write.rows[i]!)
      // the appender runs on the JS thread: a large batch gives way to requests every few ms
      if (i % YIELD_CHECK_ROWS === YIELD_CHECK_ROWS - 1 && performance.now() - since > YIELD_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve))
        since = performance.now()
      }
    }
    appender.flushSync()
  } catch (error) {
    appender.clear()
    throw error
  } finally {
    appender.closeSync()
  }
}

/**
 * Moves staged rows to their table and empties staging; returns how many rows were new. In
 * `plain` mode a key already stored (or repeated in the batch) fails the statement, and with
 * it the transaction; `ignore` skips such rows.
 */
export async function moveStaged(
  c: DuckDBConnection,
  table: StagingTable,
  mode: MoveMode = 'ignore',
): Promise<number> {
  const inserted = await c.run(INSERTS[mode][table])
  await c.run(RECREATES[table])
  return inserted.rowsChanged
}

/** Empties staging after a failed move, so the next batch does not carry the rows along. */
export async function clearStaging(c: DuckDBConnection): Promise<void> {
  for (const s of STAGING) await c.run(RECREATES[s.table])
}

/**
 * Appends `rows` to a staging table, moves them to the target and empties staging, inside the
 * caller's transaction. Returns how many rows were new.
 */
export async function insertStaged<T>(
  c: DuckDBConnection,
  table: StagingTable,
  write: StagedWrite<T>,
): Promise<number> {
  if (write.rows.length === 0) return 0
  await stageRows(c, table, write)
  return moveStaged(c, table)
}
