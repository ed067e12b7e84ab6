import type { DuckDBConnection } from '@duckdb/node-api'
import { AppError } from '@vigil/core'
import { queryRows } from './connections.js'
import { readNumber } from './values.js'

/*
 * DuckDB's memory_limit caps everything its buffer manager holds: the primary-key indexes,
 * rows not yet checkpointed, staging, query working memory, and a cache of table blocks that
 * fills whatever room is left (duckdb_memory()'s BASE_TABLE: ~150 MB of the old 256MB cap after
 * 80k spans). The cache is what made the server's RSS: measure-append.ts, 300k spans in
 * 4,000-row batches, peaked at 673 MB with 256MB and 587 MB with 128MB, at the same rate, and
 * bench/ingest's HTTP run of 1M spans at 128MB peaked at 548 MB against 706 MB, with no failed
 * commit.
 *
 * The indexes cannot be evicted, though, and grow with the store: ~47 bytes a span (14 MB at
 * 300k spans, 41 MB at 900k). A fixed 128MB would leave a store of ~2.5M spans no room to
 * commit. So the limit is a working budget plus room for the indexes, estimated from the row
 * counts and refreshed as the store grows.
 */

/** Index room per row, with headroom over the measured ~47 bytes of the 16-byte span key. */
const SPAN_INDEX_BYTES = 64
/** Scores are keyed by (project_id, score_id) strings: a wider key. */
const SCORE_INDEX_BYTES = 160
const MIB = 1024 * 1024

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: MIB,
  gib: 1024 * MIB,
}

/** '128MB' → bytes, with DuckDB's units (KB = 1000, KiB = 1024). */
export function parseBytes(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text)
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined
  if (!match || unit === undefined) {
    throw new AppError('INVALID_INPUT', `not a memory size: '${text}' (e.g. 128MB or 1GiB)`)
  }
  return Math.round(Number(match[1]) * unit)
}

/** The limit for a store of this many rows, in whole MiB. */
export function memoryLimitFor(rows: { spans: number; scores: number }, workingBytes: number) {
  const bytes = workingBytes + rows.spans * SPAN_INDEX_BYTES + rows.scores * SCORE_INDEX_BYTES
  return Math.ceil(bytes / MIB) * MIB
}

/**
 * Sets the instance's memory_limit for the store's current size (row counts are DuckDB's
 * estimates, read from the catalog without a scan); returns the limit in bytes.
 */
export async function fitMemoryLimit(c: DuckDBConnection, workingBytes: number): Promise<number> {
  const rows = await queryRows(
    c,
    `SELECT coalesce(sum(estimated_size) FILTER (table_name = 'spans'), 0)::DOUBLE AS spans,
            coalesce(sum(estimated_size) FILTER (table_name = 'scores'), 0)::DOUBLE AS scores
     FROM duckdb_tables() WHERE database_name = current_database()`,
  )
  const row = rows[0] ?? {}
  const limit = memoryLimitFor(
    { spans: readNumber(row, 'spans'), scores: readNumber(row, 'scores') },
    workingBytes,
  )
  await c.run(`SET GLOBAL memory_limit = '${limit / MIB}MiB'`)
  return limit
}
