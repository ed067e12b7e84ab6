import type { SpanDraft } from './draft.js'
import type { OtlpSpan } from './types.js'

/** A span with its draft, as the processor holds them. */
export interface MappedSpan {
  span: OtlpSpan
  draft: SpanDraft
}

const key = (traceId: string, spanId: string) => `${traceId}:${spanId}`

/** Moves a span's usage and cost to metadata, where sums over spans do not see them. */
function demote(draft: SpanDraft): void {
  const { usage, cost } = draft.fields
  if (usage === undefined && cost === undefined) return
  if (usage !== undefined) draft.metadata['aggregateUsage'] = usage
  if (cost !== undefined) draft.metadata['aggregateCost'] = cost
  delete draft.fields.usage
  delete draft.fields.cost
  // a generation without usage would be estimated by ingest and counted again
  if (draft.fields.kind === 'generation') draft.fields.kind = 'chain'
}

/**
 * Counts usage and cost once per LLM call. Wrapper spans often repeat the usage of the calls
 * under them (the Vercel AI SDK puts it on `invoke_agent` / `ai.generateText` and on the inner
 * `chat` / `doGenerate` span), so summing every span of a trace double counts. Two rules:
 * a span a mapper knows to be such a wrapper always has its usage demoted to
 * `metadata.aggregateUsage` (its child may arrive in another export batch); and any span with
 * a descendant in the same export that carries usage has its own usage demoted the same way.
 * The usage stays visible on the wrapper; only the innermost spans are priced and summed.
 */
export function countUsageOnce(items: readonly MappedSpan[]): void {
  const byKey = new Map<string, MappedSpan>()
  for (const item of items) byKey.set(key(item.span.traceId, item.span.spanId), item)
  const covered = new Set<string>()
  for (const item of items) {
    if (item.draft.fields.usage === undefined || item.draft.usageIsAggregate) continue
    let parent = item.span.parentSpanId
    while (parent !== null) {
      const parentKey = key(item.span.traceId, parent)
      if (covered.has(parentKey)) break
      covered.add(parentKey)
      parent = byKey.get(parentKey)?.span.parentSpanId ?? null
    }
  }
  for (const item of items) {
    if (item.draft.usageIsAggregate || covered.has(key(item.span.traceId, item.span.spanId))) {
      demote(item.draft)
    }
  }
}
