import type { DuckDBAppender } from '@duckdb/node-api'
import type { Score, ScoreDataType, ScoreSource } from '@vigil/core'
import {
  appendJson,
  appendNumber,
  appendString,
  appendTime,
  epochMs,
  readJson,
  readNumber,
  readNumberMap,
  readOptNumber,
  readOptString,
  readString,
  type Row,
} from './values.js'

type Writer = (a: DuckDBAppender, s: Score) => void

/** The scores table in column order, each name beside its writer (see SPAN_WRITERS). */
const SCORE_WRITERS: readonly (readonly [string, Writer])[] = [
  ['project_id', (a, s) => a.appendVarchar(s.projectId)],
  ['score_id', (a, s) => a.appendVarchar(s.scoreId)],
  ['trace_id', (a, s) => a.appendVarchar(s.traceId)],
  ['span_id', (a, s) => appendString(a, s.spanId)],
  ['name', (a, s) => a.appendVarchar(s.name)],
  ['data_type', (a, s) => a.appendVarchar(s.dataType)],
  ['value', (a, s) => appendNumber(a, s.value)],
  ['string_value', (a, s) => appendString(a, s.stringValue)],
  ['source', (a, s) => a.appendVarchar(s.source)],
  ['evaluator', (a, s) => appendString(a, s.evaluator)],
  ['evaluator_version', (a, s) => appendString(a, s.evaluatorVersion)],
  ['explanation', (a, s) => appendString(a, s.explanation)],
  ['cost', (a, s) => appendJson(a, s.cost)],
  ['cost_total', (a, s) => appendNumber(a, s.costTotal)],
  ['latency_ms', (a, s) => appendNumber(a, s.latencyMs)],
  ['metadata', (a, s) => appendJson(a, s.metadata)],
  ['created_at', (a, s) => appendTime(a, s.createdAt)],
  ['ingested_at', (a, s) => appendTime(a, s.ingestedAt)],
]

/** Column names of the score staging table, in appender order. */
export const SCORE_COLUMNS: readonly string[] = SCORE_WRITERS.map(([name]) => name)

/** Appends one score as one row. */
export function appendScore(a: DuckDBAppender, score: Score): void {
  for (const [, write] of SCORE_WRITERS) write(a, score)
  a.endRow()
}

const TIME_COLUMNS = new Set(['created_at', 'ingested_at'])

/** The select list that reads a score back. */
export const SCORE_SELECT = SCORE_COLUMNS.map((c) =>
  TIME_COLUMNS.has(c) ? `${epochMs(c)} AS ${c}` : c,
).join(', ')

/** A row selected with SCORE_SELECT → the score as it was written. */
export function rowToScore(r: Row): Score {
  return {
    projectId: readString(r, 'project_id'),
    scoreId: readString(r, 'score_id'),
    traceId: readString(r, 'trace_id'),
    spanId: readOptString(r, 'span_id'),
    name: readString(r, 'name'),
    dataType: readString(r, 'data_type') as ScoreDataType,
    value: readOptNumber(r, 'value'),
    stringValue: readOptString(r, 'string_value'),
    source: readString(r, 'source') as ScoreSource,
    evaluator: readOptString(r, 'evaluator'),
    evaluatorVersion: readOptString(r, 'evaluator_version'),
    explanation: readOptString(r, 'explanation'),
    cost: readNumberMap(r, 'cost'),
    costTotal: readOptNumber(r, 'cost_total'),
    latencyMs: readOptNumber(r, 'latency_ms'),
    metadata: readJson<NonNullable<Score['metadata']>>(r, 'metadata'),
    createdAt: readNumber(r, 'created_at'),
    ingestedAt: readNumber(r, 'ingested_at'),
  }
}
