import {
  AppError,
  feedbackInputSchema,
  feedbackToScore,
  ingestEnvelopeSchema,
  ioText,
  propagateTraceFields,
  scoreInputSchema,
  spanInputSchema,
  toFieldIssues,
  toScore,
  toSpan,
  type EventStore,
  type IngestItemResult,
  type IngestItemType,
  type IngestResponse,
  type ParsedFeedbackInput,
  type Score,
  type SpanSource,
} from '@vigil/core'
import { distance } from 'fastest-levenshtein'
import type { z } from 'zod'
import { parseWith } from '../http/index.js'
import { enrichSpans, type Pricing } from '../pricing/index.js'
import type { Committer } from './committer.js'

/** What the write path needs. */
export interface IngestDeps {
  committer: Committer
  events: EventStore
  pricing: Pricing
  now: () => number
}

/** One submission from any way in (native API, gateway, OTLP, SDK). */
export interface IngestRequestContext {
  projectId: string
  source: SpanSource
}

/** The result of one submission; `status` is chosen by the HTTP edge from the counts. */
export type IngestResult = IngestResponse

function validateItems<T extends z.ZodType>(
  type: IngestItemType,
  schema: T,
  items: readonly unknown[] | undefined,
): { ok: { index: number; value: z.output<T> }[]; results: IngestItemResult[] } {
  const ok: { index: number; value: z.output<T> }[] = []
  const results: IngestItemResult[] = []
  const plural = type === 'feedback' ? 'feedback' : `${type}s`
  ;(items ?? []).forEach((item, index) => {
    const parsed = schema.safeParse(item)
    if (parsed.success) {
      ok.push({ index, value: parsed.data })
      results.push({ type, index, id: rawId(parsed.data, type), status: 'accepted' })
    } else {
      results.push({
        type,
        index,
        id: rawId(item, type),
        status: 'rejected',
        errors: toFieldIssues(`${plural}[${index}]`, parsed.error),
      })
    }
  })
  return { ok, results }
}

function rawId(item: unknown, type: IngestItemType): string | null {
  if (typeof item !== 'object' || item === null) return null
  const key = type === 'span' ? 'spanId' : type === 'score' ? 'scoreId' : 'feedbackId'
  const value = (item as Record<string, unknown>)[key]
  return typeof value === 'string' ? value : null
}

async function editDistanceFor(
  deps: IngestDeps,
  ctx: IngestRequestContext,
  f: ParsedFeedbackInput,
): Promise<number | undefined> {
  if (f.kind !== 'edit' || f.finalText === undefined) return undefined
  const trace = await deps.events.getTrace(ctx.projectId, f.traceId)
  const span =
    trace?.spans.find((s) => s.spanId === f.spanId) ??
    [...(trace?.spans ?? [])].reverse().find((s) => s.output !== null)
  return span ? distance(ioText(span.output), f.finalText) : undefined
}

/**
 * THE write path: validates each item on its own, normalises the accepted ones and returns
 * only after they are durably committed. One bad item rejects only itself.
 */
export async function ingest(
  deps: IngestDeps,
  ctx: IngestRequestContext,
  body: unknown,
): Promise<IngestResult> {
  const envelope = parseWith(ingestEnvelopeSchema, body, 'batch')
  const total =
    (envelope.spans?.length ?? 0) +
    (envelope.scores?.length ?? 0) +
    (envelope.feedback?.length ?? 0)
  if (total === 0) {
    throw new AppError('INVALID_INPUT', 'empty batch: send at least one of spans, scores, feedback')
  }
  const spans = validateItems('span', spanInputSchema, envelope.spans)
  const scores = validateItems('score', scoreInputSchema, envelope.scores)
  const feedback = validateItems('feedback', feedbackInputSchema, envelope.feedback)
  const now = deps.now()
  const norm = { projectId: ctx.projectId, now }
  const storedSpans = propagateTraceFields(spans.ok.map((s) => s.value)).map((s) =>
    toSpan(s, { ...norm, source: ctx.source }),
  )
  await enrichSpans(deps.pricing, storedSpans)
  const storedScores: Score[] = scores.ok.map((s) => toScore(s.value, norm))
  for (const { value } of feedback.ok) {
    const f = value
    storedScores.push(
      feedbackToScore(f, { ...norm, editDistance: await editDistanceFor(deps, ctx, f) }),
    )
  }
  const results = [...spans.results, ...scores.results, ...feedback.results]
  const accepted = results.filter((r) => r.status === 'accepted').length
  if (accepted > 0) {
    await deps.committer.submit({ spans: storedSpans, scores: storedScores })
  }
  return { accepted, rejected: results.length - accepted, results }
}
