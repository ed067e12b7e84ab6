import type { ModelPrice } from '@pydantic/genai-prices'
import { promptTokens, type ConfigStore, type CostMap, type UsageMap } from '@vigil/core'
import { z } from 'zod'
import { applyPrice, fromModelPrice, lookupBundledPrice, type PriceTable } from './model-price.js'

/** ConfigStore kind of per-project custom prices; id = model name. */
export const CUSTOM_PRICE_KIND = 'pricing.model'

/** A custom price as stored and as the prices API accepts it: USD per 1M tokens. */
export const customPriceSchema = z
  .object({
    input: z.number().finite().nonnegative(),
    output: z.number().finite().nonnegative(),
    cache_read: z.number().finite().nonnegative().optional(),
    cache_write: z.number().finite().nonnegative().optional(),
    reasoning: z.number().finite().nonnegative().optional(),
    request: z.number().finite().nonnegative().optional(),
  })
  .strict()

/** What one priced call came to, and where the price came from. */
export interface PriceResult {
  cost: CostMap | null
  source: 'custom' | 'bundled' | 'unknown'
}

/** Prices usage per project: custom prices first, then the bundled catalogue. */
export interface Pricing {
  price(input: {
    projectId: string
    provider: string | null
    models: readonly (string | null)[]
    usage: UsageMap
  }): Promise<PriceResult>
  /** Forgets a project's cached custom prices after they changed in this process. */
  invalidate(projectId: string): void
}

const CUSTOM_TTL_MS = 5_000
const BUNDLED_CACHE_MAX = 10_000

/** Creates the pricing service; custom prices are cached for a few seconds per project. */
export function createPricing(deps: { configs: ConfigStore; now: () => number }): Pricing {
  const custom = new Map<string, { until: number; prices: Map<string, PriceTable> }>()
  const bundled = new Map<string, ModelPrice | null>()

  const customFor = async (projectId: string): Promise<Map<string, PriceTable>> => {
    const hit = custom.get(projectId)
    if (hit && hit.until > deps.now()) return hit.prices
    const records = await deps.configs.list({ projectId, kind: CUSTOM_PRICE_KIND })
    const prices = new Map<string, PriceTable>()
    for (const record of records) {
      const parsed = customPriceSchema.safeParse(record.value)
      if (parsed.success) prices.set(record.id, parsed.data)
    }
    custom.set(projectId, { until: deps.now() + CUSTOM_TTL_MS, prices })
    return prices
  }

  const bundledFor = (provider: string | null, model: string): ModelPrice | null => {
    const key = `${provider ?? ''}\u0000${model}`
    if (!bundled.has(key)) {
      if (bundled.size >= BUNDLED_CACHE_MAX) bundled.clear()
      bundled.set(key, lookupBundledPrice(provider, model))
    }
    return bundled.get(key) ?? null
  }

  return {
    async price({ projectId, provider, models, usage }) {
      const names = models.filter((m): m is string => typeof m === 'string' && m.length > 0)
      const customPrices = await customFor(projectId)
      for (const model of names) {
        const table = customPrices.get(model)
        if (table) return { cost: applyPrice(table, usage), source: 'custom' }
      }
      for (const model of names) {
        const price = bundledFor(provider, model)
        const table = price ? fromModelPrice(price, promptTokens(usage)) : null
        if (table) return { cost: applyPrice(table, usage), source: 'bundled' }
      }
      return { cost: null, source: 'unknown' }
    },
    invalidate(projectId) {
      custom.delete(projectId)
    },
  }
}
