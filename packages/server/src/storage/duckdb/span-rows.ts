import type { DuckDBAppender } from '@duckdb/node-api'
import { type Span, type SpanKind, type SpanSource, type SpanStatus } from '@vigil/core'
import {
  appendJson,
  appendNumber,
  appendString,
  appendTime,
  epochMs,
  readBoolean,
  readJson,
  readNumber,
  readNumberMap,
  readOptNumber,
  readOptString,
  readString,
  readTags,
  type Row,
} from './values.js'

type Writer = (a: DuckDBAppender, s: Span) => void

/**
 * The spans table minus its key hash, in column order: the appender writes by position, so the
 * name and the writer of a column live side by side (and open() checks the names against the
 * staging table).
 */
const SPAN_WRITERS: readonly (readonly [string, Writer])[] = [
  ['project_id', (a, s) => a.appendVarchar(s.projectId)],
  ['trace_id', (a, s) => a.appendVarchar(s.traceId)],
  ['span_id', (a, s) => a.appendVarchar(s.spanId)],
  ['parent_span_id', (a, s) => appendString(a, s.parentSpanId)],
  ['name', (a, s) => a.appendVarchar(s.name)],
  ['kind', (a, s) => a.appendVarchar(s.kind)],
  ['source', (a, s) => a.appendVarchar(s.source)],
  ['start_time', (a, s) => appendTime(a, s.startTime)],
  ['end_time', (a, s) => appendTime(a, s.endTime)],
  ['duration_ms', (a, s) => appendNumber(a, s.durationMs)],
  ['status', (a, s) => a.appendVarchar(s.status)],
  ['status_message', (a, s) => appendString(a, s.statusMessage)],
  ['user_id', (a, s) => appendString(a, s.userId)],
  ['session_id', (a, s) => appendString(a, s.sessionId)],
  ['feature', (a, s) => appendString(a, s.feature)],
  ['environment', (a, s) => appendString(a, s.environment)],
  ['release', (a, s) => appendString(a, s.release)],
  ['tags', (a, s) => appendJson(a, s.tags)],
  ['prompt_name', (a, s) => appendString(a, s.promptName)],
  ['prompt_version', (a, s) => appendString(a, s.promptVersion)],
  ['provider', (a, s) => appendString(a, s.provider)],
  ['request_model', (a, s) => appendString(a, s.requestModel)],
  ['response_model', (a, s) => appendString(a, s.responseModel)],
  ['model', (a, s) => appendString(a, s.model)],
  ['params', (a, s) => appendJson(a, s.params)],
  ['input', (a, s) => appendJson(a, s.input)],
  ['output', (a, s) => appendJson(a, s.output)],
  ['finish_reason', (a, s) => appendString(a, s.finishReason)],
  ['usage', (a, s) => appendJson(a, s.usage)],
  ['usage_estimated', (a, s) => a.appendBoolean(s.usageEstimated)],
  ['cost', (a, s) => appendJson(a, s.cost)],
  ['cost_total', (a, s) => appendNumber(a, s.costTotal)],
  ['ttft_ms', (a, s) => appendNumber(a, s.ttftMs)],
  ['context', (a, s) => appendJson(a, s.context)],
  ['metadata', (a, s) => appendJson(a, s.metadata)],
  ['ingested_at', (a, s) => appendTime(a, s.ingestedAt)],
]

/** Column names of the span staging table, in appender order. */
export const SPAN_COLUMNS: readonly string[] = SPAN_WRITERS.map(([name]) => name)

/** Appends one span as one row. */
export function appendSpan(a: DuckDBAppender, span: Span): void {
  for (const [, write] of SPAN_WRITERS) write(a, span)
  a.endRow()
}

const TIME_COLUMNS = new Set(['start_time', 'end_time', 'ingested_at'])

/** The select list that reads a span back (times as epoch ms). */
export const SPAN_SELECT = SPAN_COLUMNS.map((c) =>
  TIME_COLUMNS.has(c) ? `${epochMs(c)} AS ${c}` : c,
).join(', ')

/** A row selected with SPAN_SELECT → the span as it was written. */
export function rowToSpan(r: Row): Span {
  return {
    projectId: readString(r, 'project_id'),
    traceId: readString(r, 'trace_id'),
    spanId: readString(r, 'span_id'),
    parentSpanId: readOptString(r, 'parent_span_id'),
    name: readString(r, 'name'),
    kind: readString(r, 'kind') as SpanKind,
    source: readString(r, 'source') as SpanSource,
    startTime: readNumber(r, 'start_time'),
    endTime: readOptNumber(r, 'end_time'),
    durationMs: readOptNumber(r, 'duration_ms'),
    status: readString(r, 'status') as SpanStatus,
    statusMessage: readOptString(r, 'status_message'),
    userId: readOptString(r, 'user_id'),
    sessionId: readOptString(r, 'session_id'),
    feature: readOptString(r, 'feature'),
    environment: readOptString(r, 'environment'),
    release: readOptString(r, 'release'),
    tags: readTags(r, 'tags'),
    promptName: readOptString(r, 'prompt_name'),
    promptVersion: readOptString(r, 'prompt_version'),
    provider: readOptString(r, 'provider'),
    requestModel: readOptString(r, 'request_model'),
    responseModel: readOptString(r, 'response_model'),
    model: readOptString(r, 'model'),
    params: readJson<Span['params']>(r, 'params'),
    input: readJson<Span['input']>(r, 'input'),
    output: readJson<Span['output']>(r, 'output'),
    finishReason: readOptString(r, 'finish_reason'),
    usage: readNumberMap(r, 'usage'),
    usageEstimated: readBoolean(r, 'usage_estimated'),
    cost: readNumberMap(r, 'cost'),
    costTotal: readOptNumber(r, 'cost_total'),
    ttftMs: readOptNumber(r, 'ttft_ms'),
    context: readJson<NonNullable<Span['context']>>(r, 'context'),
    metadata: readJson<NonNullable<Span['metadata']>>(r, 'metadata'),
    ingestedAt: readNumber(r, 'ingested_at'),
  }
}
