import { UHUGEINT, type DuckDBType, type DuckDBValue } from '@duckdb/node-api'
import type { SpanFilter, SpanQuery } from '@vigil/core'
import type { BoundSql } from './connections.js'
import { SPAN_SELECT } from './span-rows.js'
import { toTimestamp } from './values.js'

/*
 * Reads find keys first and fetch whole rows second. A scan that returns the wide columns
 * decompresses the prompt and output text of every vector it touches: on 1M spans, a page of
 * 50 filtered by model and user took 10.9 s in one query, and 0.4 s + 0.3 s as keys, then rows
 * by key_hash (a point lookup in the primary-key index).
 */

/** Equality filters: the SpanFilter field and the column it compares. */
const EQUALS: readonly (readonly [keyof SpanFilter, string])[] = [
  ['traceId', 'trace_id'],
  ['model', 'model'],
  ['userId', 'user_id'],
  ['sessionId', 'session_id'],
  ['feature', 'feature'],
  ['kind', 'kind'],
  ['status', 'status'],
]

/**
 * Scores on the span itself or on its whole trace (span_id NULL). `value >= min` is NULL for
 * categorical scores, which therefore never satisfy a range, as in the memory adapter.
 */
const SCORE_EXISTS = (range: string): string => `EXISTS (
  SELECT 1 FROM scores sc
  WHERE sc.project_id = s.project_id AND sc.trace_id = s.trace_id
    AND (sc.span_id IS NULL OR sc.span_id = s.span_id)
    AND sc.name = $score_name${range})`

/*
 * Text search runs on the JSON columns, on the JSON-escaped needle (escaping is per
 * character, so the escaped needle is in the JSON text exactly when the needle is in the
 * text). A plain contains() rules most rows out on DuckDB's fast path; rows that pass are
 * checked again with the keys and the role and part-type values cut out, so that a needle that
 * names structure ("content", "user") matches text, not every message. Parsing the JSON
 * instead took 50 µs a row and ran out of memory at 256 MB on 60k spans; the cut takes 10.
 * contains(), not LIKE: a substring has no wildcards to escape, and LIKE … ESCAPE falls off
 * the fast path (200k rows of 3 KB, best of 3: contains 2.5 s, LIKE with ESCAPE 26.6 s).
 */
const STRUCTURE = String.raw`'"(?:role|type)":"[^"\\]*"|"[^"\\]*":'`

const textMatch = (column: string): string =>
  `(contains(lower(${column}), $text) AND
    contains(regexp_replace(lower(${column}), ${STRUCTURE}, chr(10), 'g'), $text))`

function filterClauses(f: SpanFilter, params: Record<string, DuckDBValue>): string[] {
  // project first: every read is scoped to one project
  const where = ['s.project_id = $project_id']
  params['project_id'] = f.projectId
  if (f.from !== undefined) {
    where.push('s.start_time >= $from')
    params['from'] = toTimestamp(f.from)
  }
  if (f.to !== undefined) {
    where.push('s.start_time < $to')
    params['to'] = toTimestamp(f.to)
  }
  for (const [field, column] of EQUALS) {
    const value = f[field]
    if (typeof value !== 'string') continue
    where.push(`s.${column} = $${column}`)
    params[column] = value
  }
  if (f.text !== undefined) {
    const needle = f.text.toLowerCase()
    where.push(`(${textMatch('s.input')} OR ${textMatch('s.output')})`)
    params['text'] = JSON.stringify(needle).slice(1, -1)
  }
  if (f.score !== undefined) {
    let range = ''
    params['score_name'] = f.score.name
    if (f.score.min !== undefined) {
      range += ' AND sc.value >= $score_min'
      params['score_min'] = f.score.min
    }
    if (f.score.max !== undefined) {
      range += ' AND sc.value <= $score_max'
      params['score_max'] = f.score.max
    }
    where.push(SCORE_EXISTS(range))
  }
  return where
}

/** Keys of one page of spans, newest first, after the cursor; limit + 1 to know if more follow. */
export function listSpanKeysSql(q: SpanQuery): BoundSql {
  const params: Record<string, DuckDBValue> = {}
  const where = filterClauses(q, params)
  if (q.cursor) {
    where.push(`(s.start_time < $c_time OR (s.start_time = $c_time AND
      (s.trace_id < $c_trace OR (s.trace_id = $c_trace AND s.span_id < $c_span))))`)
    params['c_time'] = toTimestamp(q.cursor.startTime)
    params['c_trace'] = q.cursor.traceId
    params['c_span'] = q.cursor.spanId
  }
  params['limit'] = BigInt(Math.max(0, Math.floor(q.limit)) + 1)
  const sql = `SELECT s.key_hash FROM spans s
    WHERE ${where.join('\n      AND ')}
    ORDER BY s.start_time DESC, s.trace_id DESC, s.span_id DESC
    LIMIT $limit`
  return { sql, params }
}

/** Keys of the spans of one trace. */
export function traceKeysSql(projectId: string, traceId: string): BoundSql {
  return {
    sql: 'SELECT key_hash FROM spans WHERE project_id = $project_id AND trace_id = $trace_id',
    params: { project_id: projectId, trace_id: traceId },
  }
}

/**
 * Keys fetched per statement: well under index_scan_max_count (2048), above which DuckDB scans
 * the table instead of looking the keys up in the index.
 */
export const FETCH_CHUNK = 500

/** Whole spans and their key hash, by key hash (at most FETCH_CHUNK); the caller orders them. */
export function spansByKeySql(keys: readonly bigint[]): BoundSql {
  const params: Record<string, DuckDBValue> = {}
  const types: Record<string, DuckDBType> = {}
  keys.forEach((key, i) => {
    params[`k${i}`] = key
    types[`k${i}`] = UHUGEINT
  })
  const list = keys.map((_, i) => `$k${i}`).join(', ')
  return {
    sql: `SELECT key_hash, ${SPAN_SELECT} FROM spans WHERE key_hash IN (${list})`,
    params,
    types,
  }
}
