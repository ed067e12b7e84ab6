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
  if (usage !== undefined) draft.metadata['aggregateUsage'] = usage
  if (cost !== undefined) draft.metadata['aggregateCost'] = cost
  delete draft.fields.usage
  delete draft.fields.cost
  // a wrapper typed as an LLM call would have tokens estimated by ingest and counted again
  if (draft.fields.kind === 'generation' || draft.fields.kind === 'embedding') {
    draft.fields.kind = 'chain'
  }
}

const isLlmCall = (draft: SpanDraft) =>
  !draft.usageIsAggregate &&
  (draft.fields.usage !== undefined ||
    draft.fields.kind === 'generation' ||
    draft.fields.kind === 'embedding')

/**
 * Counts usage and cost once per LLM call. Wrapper spans often repeat the usage of the calls
 * under them (the Vercel AI SDK puts it on `invoke_agent` / `ai.generateText` and on the inner
 * `chat` / `doGenerate` span), so summing every span of a trace double counts. Two rules:
 * a span a mapper knows to be such a wrapper always has its usage demoted to
 * `metadata.aggregateUsage` (its child may arrive in another export batch); and any span with
 * a descendant in the same export that is an LLM call (usage, or kind generation/embedding)
 * is treated as a wrapper the same way, and typed `chain` if it claimed to be an LLM call
 * itself. The usage stays visible on the wrapper; only the innermost calls are priced,
 * estimated and summed.
 */
export function countUsageOnce(items: readonly MappedSpan[]): void {
  const byKey = new Map<string, MappedSpan>()
  for (const item of items) byKey.set(key(item.span.traceId, item.span.spanId), item)
  const covered = new Set<string>()
  for (const item of items) {
    if (!isLlmCall(item.draft)) continue
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
