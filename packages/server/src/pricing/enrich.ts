import type { Span } from '@vigil/core'
import { estimateUsage } from './estimate.js'
import type { Pricing } from './pricing.js'

/**
 * Completes spans on the write path: estimates usage for LLM calls that reported none
 * (marked `usageEstimated`) and prices usage that came without a cost. A span that already
 * carries a cost keeps it; a model with no known price keeps `costTotal: null`, never zero.
 */
export async function enrichSpans(pricing: Pricing, spans: Span[]): Promise<void> {
  for (const span of spans) {
    if (span.usage === null) {
      const estimated = await estimateUsage(span)
      if (estimated) {
        span.usage = estimated
        span.usageEstimated = true
      }
    }
    if (span.cost !== null || span.usage === null) continue
    const { cost, source } = await pricing.price({
      projectId: span.projectId,
      provider: span.provider,
      models: [span.responseModel, span.requestModel],
      usage: span.usage,
    })
    if (cost) {
      span.cost = cost
      span.costTotal = cost['total'] ?? null
      span.metadata = { ...(span.metadata ?? {}), 'vigil.price_source': source }
    }
  }
}
