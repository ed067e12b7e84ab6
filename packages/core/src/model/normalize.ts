import { createHash } from 'node:crypto'
import type { ParsedFeedbackInput } from './feedback.js'
import type { JsonValue } from './json.js'
import type { ParsedScoreInput, Score } from './score.js'
import {
  TRACE_FIELD_NAMES,
  type ParsedSpanInput,
  type Span,
  type SpanSource,
  type TraceFields,
} from './span.js'

/** Who is writing, and when. */
export interface NormalizeContext {
  projectId: string
  now: number
}

/** A stable id for an item that came without one, so a retried request stores it once. */
export function contentId(prefix: string, value: unknown): string {
  return `${prefix}_${createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32)}`
}

function sumCost(cost: Record<string, number> | null | undefined): number | null {
  if (!cost) return null
  if (typeof cost['total'] === 'number') return cost['total']
  let total = 0
  for (const value of Object.values(cost)) total += value
  return total
}

/** Wire span → stored span. */
export function toSpan(
  input: ParsedSpanInput,
  ctx: NormalizeContext & { source: SpanSource },
): Span {
  const endTime = input.endTime ?? null
  const model = input.responseModel ?? input.requestModel ?? null
  return {
    projectId: ctx.projectId,
    traceId: input.traceId,
    spanId: input.spanId,
    parentSpanId: input.parentSpanId ?? null,
    name: input.name,
    kind: input.kind,
    source: ctx.source,
    startTime: input.startTime,
    endTime,
    durationMs: endTime === null ? null : Math.max(0, endTime - input.startTime),
    status: input.status,
    statusMessage: input.statusMessage ?? null,
    userId: input.userId ?? null,
    sessionId: input.sessionId ?? null,
    feature: input.feature ?? null,
    environment: input.environment ?? null,
    release: input.release ?? null,
    tags: input.tags ?? [],
    promptName: input.promptName ?? null,
    promptVersion: input.promptVersion ?? null,
    provider: input.provider ?? null,
    requestModel: input.requestModel ?? null,
    responseModel: input.responseModel ?? null,
    model,
    params: input.params ?? null,
    input: input.input ?? null,
    output: input.output ?? null,
    finishReason: input.finishReason ?? null,
    usage: input.usage ?? null,
    usageEstimated: input.usageEstimated,
    cost: input.cost ?? null,
    costTotal: sumCost(input.cost),
    ttftMs: input.ttftMs ?? null,
    context: input.context ?? null,
    metadata: input.metadata ?? null,
    ingestedAt: ctx.now,
  }
}

/**
 * Copies trace-level fields (user, session, feature, …) from the spans of a trace that carry
 * them onto the spans of the same trace that do not, so no query needs a join.
 */
export function propagateTraceFields(spans: ParsedSpanInput[]): ParsedSpanInput[] {
  const byTrace = new Map<string, TraceFields>()
  for (const span of spans) {
    const known = byTrace.get(span.traceId) ?? {}
    for (const name of TRACE_FIELD_NAMES) {
      const value = span[name]
      if (value !== undefined && known[name] === undefined) {
        ;(known as Record<string, unknown>)[name] = value
      }
    }
    byTrace.set(span.traceId, known)
  }
  return spans.map((span) => {
    const known = byTrace.get(span.traceId)
    if (!known) return span
    const filled: ParsedSpanInput = { ...span }
    for (const name of TRACE_FIELD_NAMES) {
      if (filled[name] === undefined && known[name] !== undefined) {
        ;(filled as Record<string, unknown>)[name] = known[name]
      }
    }
    return filled
  })
}

/** Wire score → stored score. */
export function toScore(input: ParsedScoreInput, ctx: NormalizeContext): Score {
  const { value } = input
  const dataType =
    typeof value === 'number' ? 'numeric' : typeof value === 'boolean' ? 'boolean' : 'categorical'
  return {
    projectId: ctx.projectId,
    scoreId: input.scoreId ?? contentId('sc', input),
    traceId: input.traceId,
    spanId: input.spanId ?? null,
    name: input.name,
    dataType,
    value: typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : null,
    stringValue: typeof value === 'number' ? null : String(value),
    source: input.source,
    evaluator: input.evaluator ?? null,
    evaluatorVersion: input.evaluatorVersion ?? null,
    explanation: input.explanation ?? null,
    cost: input.cost ?? null,
    costTotal: sumCost(input.cost),
    latencyMs: input.latencyMs ?? null,
    metadata: input.metadata ?? null,
    createdAt: input.createdAt ?? ctx.now,
    ingestedAt: ctx.now,
  }
}

function feedbackValue(f: ParsedFeedbackInput, editDistance?: number): ParsedScoreInput['value'] {
  switch (f.kind) {
    case 'thumbs':
      return f.value === 'up' || f.value === true || (typeof f.value === 'number' && f.value > 0)
    case 'rating':
      return typeof f.value === 'number' ? f.value : 0
    case 'edit':
      return editDistance ?? -1
    case 'correction':
    case 'regenerate':
    case 'copy':
    case 'abandon':
      return true
  }
}

/**
 * User feedback → a `user` score named `feedback.<kind>`. For `edit`, the caller passes the
 * edit distance between the recorded output and `finalText` (it needs the stored span).
 */
export function feedbackToScore(
  f: ParsedFeedbackInput,
  ctx: NormalizeContext & { editDistance?: number },
): Score {
  const metadata: Record<string, JsonValue> = { ...(f.metadata ?? {}) }
  if (f.finalText !== undefined) metadata['finalText'] = f.finalText
  if (f.userId !== undefined) metadata['userId'] = f.userId
  return toScore(
    {
      scoreId: f.feedbackId ?? contentId('fb', f),
      traceId: f.traceId,
      spanId: f.spanId ?? null,
      name: `feedback.${f.kind}`,
      value: feedbackValue(f, ctx.editDistance),
      source: 'user',
      explanation: f.correction ?? f.comment ?? null,
      createdAt: f.createdAt,
      metadata,
    },
    ctx,
  )
}
