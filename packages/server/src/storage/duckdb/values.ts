import {
  timestampValue,
  type DuckDBAppender,
  type DuckDBTimestampValue,
  type JS,
} from '@duckdb/node-api'
import { AppError } from '@vigil/core'

/** A result row as the JS converter returns it, keyed by column name. */
export type Row = Record<string, JS>

/**
 * Epoch ms → TIMESTAMP (µs). Rounding to whole µs is exact for every time the wire accepts at
 * µs precision (OTLP nanoseconds are cut to µs).
 */
export function toTimestamp(ms: number): DuckDBTimestampValue {
  return timestampValue(BigInt(Math.round(ms * 1000)))
}

/** SQL for a TIMESTAMP column read back as epoch ms (a DOUBLE, so µs survive). */
export const epochMs = (column: string): string => `epoch_us(${column})::DOUBLE / 1000`

export function appendString(a: DuckDBAppender, value: string | null): void {
  if (value === null) a.appendNull()
  else a.appendVarchar(value)
}

export function appendNumber(a: DuckDBAppender, value: number | null): void {
  if (value === null) a.appendNull()
  else a.appendDouble(value)
}

export function appendTime(a: DuckDBAppender, ms: number | null): void {
  if (ms === null) a.appendNull()
  else a.appendTimestamp(toTimestamp(ms))
}

/** JSON text, or NULL for a null value (so `col IS NULL` means "absent"). */
export function appendJson(a: DuckDBAppender, value: unknown): void {
  if (value === null || value === undefined) a.appendNull()
  else a.appendVarchar(JSON.stringify(value))
}

function unexpected(column: string, value: JS): AppError {
  return new AppError('INTERNAL', `unexpected ${typeof value} in column ${column}`)
}

export function readString(row: Row, column: string): string {
  const value = row[column]
  if (typeof value !== 'string') throw unexpected(column, value ?? null)
  return value
}

export function readOptString(row: Row, column: string): string | null {
  const value = row[column]
  return value === null || value === undefined ? null : readString(row, column)
}

export function readNumber(row: Row, column: string): number {
  const value = row[column]
  if (typeof value === 'number') return value
  if (typeof value === 'bigint') return Number(value)
  throw unexpected(column, value ?? null)
}

export function readOptNumber(row: Row, column: string): number | null {
  const value = row[column]
  return value === null || value === undefined ? null : readNumber(row, column)
}

export function readBoolean(row: Row, column: string): boolean {
  const value = row[column]
  if (typeof value !== 'boolean') throw unexpected(column, value ?? null)
  return value
}

/** Parses a JSON text column; the adapter wrote it with JSON.stringify, so the shape is ours. */
export function readJson<T>(row: Row, column: string): T | null {
  const text = readOptString(row, column)
  return text === null ? null : (JSON.parse(text) as T)
}

export function readTags(row: Row, column: string): string[] {
  const value = row[column]
  if (!Array.isArray(value)) throw unexpected(column, value ?? null)
  return value.map((v) => {
    if (typeof v !== 'string') throw unexpected(column, v)
    return v
  })
}

/** MAP(VARCHAR, DOUBLE) comes back as [{ key, value }]. */
export function readNumberMap(row: Row, column: string): Record<string, number> | null {
  const value = row[column]
  if (value === null || value === undefined) return null
  if (!Array.isArray(value)) throw unexpected(column, value)
  const out: Record<string, number> = {}
  for (const entry of value) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw unexpected(column, entry)
    }
    const { key, value: v } = entry as { key?: JS; value?: JS }
    if (typeof key !== 'string' || typeof v !== 'number') throw unexpected(column, entry)
    out[key] = v
  }
  return out
}

/** True when DuckDB refused a write because a primary key or unique value already exists. */
export function isConstraintViolation(error: unknown): boolean {
  return error instanceof Error && /constraint|duplicate key/i.test(error.message)
}

/**
 * True when this process's view of the database can no longer be trusted and only reopening it
 * (which replays the WAL) helps: a checkpoint failed and DuckDB invalidated the database, or a
 * COMMIT failed for a reason other than a duplicate key. After an out-of-memory COMMIT ("failed
 * to pin block") every retry of the batch failed on a duplicate key, in a process that was never
 * reopened, while the reopened file held no such key.
 */
export function isBrokenDatabase(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  if (/has been invalidated/i.test(error.message)) return true
  return /failed to commit/i.test(error.message) && !isConstraintViolation(error)
}
