import { calcPrice, type ModelPrice } from '@pydantic/genai-prices'
import type { CostMap, UsageMap } from '@vigil/core'

/** A price per 1M tokens for each usage bucket (USD), plus an optional price per request. */
export interface PriceTable {
  input: number
  output: number
  cache_read?: number | undefined
  cache_write?: number | undefined
  /** Defaults to the output price: providers bill reasoning tokens as output. */
  reasoning?: number | undefined
  request?: number | undefined
}

function unitPrice(value: ModelPrice[string], promptTokens: number): number | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'number') return value
  const tiered = value
  let price = tiered.base
  for (const tier of tiered.tiers) if (promptTokens >= tier.start) price = tier.price
  return price
}

/** Converts the bundled catalogue's price (possibly tiered by prompt size) to a flat table. */
export function fromModelPrice(price: ModelPrice, promptTokens: number): PriceTable | null {
  const input = unitPrice(price['input_mtok'], promptTokens)
  const output = unitPrice(price['output_mtok'], promptTokens)
  if (input === undefined && output === undefined) return null
  const request = unitPrice(price['requests_kcount'], promptTokens)
  return {
    input: input ?? 0,
    output: output ?? 0,
    cache_read: unitPrice(price['cache_read_mtok'], promptTokens),
    cache_write: unitPrice(price['cache_write_mtok'], promptTokens),
    request: request === undefined ? undefined : request / 1000,
  }
}

/**
 * The bundled catalogue's price for a model, or null. `calcPrice` costs ~70 µs, so callers
 * cache the result per (provider, model); the online update is never called.
 */
export function lookupBundledPrice(provider: string | null, model: string): ModelPrice | null {
  const usage = { input_tokens: 1, output_tokens: 1 }
  const withProvider = provider ? calcPrice(usage, model, { providerId: provider }) : null
  const found = withProvider ?? calcPrice(usage, model)
  return found ? found.model_price : null
}

/** Prices each usage bucket once; buckets are disjoint, so nothing is priced twice. */
export function applyPrice(table: PriceTable, usage: UsageMap): CostMap {
  const perToken = (perMillion: number | undefined, fallback: number) =>
    (perMillion ?? fallback) / 1_000_000
  const cost: CostMap = {}
  const add = (bucket: string, tokens: number | undefined, rate: number) => {
    if (tokens !== undefined && tokens > 0) cost[bucket] = tokens * rate
  }
  add('input', usage['input'], perToken(table.input, 0))
  add('output', usage['output'], perToken(table.output, 0))
  add('cache_read', usage['cache_read'], perToken(table.cache_read, table.input))
  add('cache_write', usage['cache_write'], perToken(table.cache_write, table.input))
  add('reasoning', usage['reasoning'], perToken(table.reasoning, table.output))
  if (table.request !== undefined) cost['request'] = table.request
  let total = 0
  for (const value of Object.values(cost)) total += value
  cost['total'] = total
  return cost
}
