import { makeSpan } from '@vigil/core/testing'
import { describe, expect, it } from 'vitest'
import { openMemoryStorage } from '../storage/memory/index.js'
import { enrichSpans } from './enrich.js'
import { applyPrice } from './model-price.js'
import { createPricing, CUSTOM_PRICE_KIND } from './pricing.js'

async function setup() {
  const storage = await openMemoryStorage()
  let now = 1_000
  const pricing = createPricing({ configs: storage.configs, now: () => now })
  return { storage, pricing, advance: (ms: number) => (now += ms) }
}

describe('pricing', () => {
  it('prices each disjoint bucket once, cache and reasoning at their own rates', () => {
    const cost = applyPrice(
      { input: 2, output: 8, cache_read: 0.5 },
      { input: 1_000_000, cache_read: 2_000_000, output: 100_000, reasoning: 50_000 },
    )
    expect(cost['input']).toBeCloseTo(2)
    expect(cost['cache_read']).toBeCloseTo(1)
    expect(cost['output']).toBeCloseTo(0.8)
    expect(cost['reasoning']).toBeCloseTo(0.4)
    expect(cost['total']).toBeCloseTo(4.2)
  })

  it('uses the bundled catalogue for known models, dated variants included', async () => {
    const { pricing } = await setup()
    const usage = { input: 1_000_000, output: 1_000_000 }
    const plain = await pricing.price({
      projectId: 'p',
      provider: 'openai',
      models: ['gpt-4o-mini'],
      usage,
    })
    expect(plain.source).toBe('bundled')
    // gpt-4o-mini lists at $0.15 / $0.60 per 1M tokens
    expect(plain.cost?.['total']).toBeCloseTo(0.75, 5)
    const dated = await pricing.price({
      projectId: 'p',
      provider: 'openai',
      models: ['gpt-4o-mini-2024-07-18'],
      usage,
    })
    expect(dated.cost?.['total']).toBeCloseTo(0.75, 5)
    const claude = await pricing.price({
      projectId: 'p',
      provider: 'anthropic',
      models: ['claude-3-5-sonnet-20241022'],
      usage: { input: 1000, output: 100 },
    })
    expect(claude.cost?.['total']).toBeCloseTo(0.0045, 6)
  })

  it('records an unknown model as unknown cost, never zero', async () => {
    const { pricing } = await setup()
    const result = await pricing.price({
      projectId: 'p',
      provider: 'acme',
      models: ['acme-llm-9000'],
      usage: { input: 10, output: 10 },
    })
    expect(result).toEqual({ cost: null, source: 'unknown' })
  })

  it('lets per-project custom prices win over the catalogue, for that project only', async () => {
    const { storage, pricing, advance } = await setup()
    await storage.configs.put({
      projectId: 'p1',
      kind: CUSTOM_PRICE_KIND,
      id: 'gpt-4o-mini',
      value: { input: 1, output: 1 },
      now: 0,
    })
    advance(10_000)
    const usage = { input: 1_000_000, output: 1_000_000 }
    const mine = await pricing.price({
      projectId: 'p1',
      provider: 'openai',
      models: ['gpt-4o-mini'],
      usage,
    })
    const theirs = await pricing.price({
      projectId: 'p2',
      provider: 'openai',
      models: ['gpt-4o-mini'],
      usage,
    })
    expect(mine).toMatchObject({ source: 'custom', cost: { total: 2 } })
    expect(theirs.source).toBe('bundled')
  })

  it('estimates usage for generation spans without usage and marks it estimated', async () => {
    const { pricing } = await setup()
    const span = makeSpan({
      usage: null,
      cost: null,
      costTotal: null,
      requestModel: 'gpt-4o-mini',
      responseModel: null,
    })
    const measured = makeSpan({ usage: { input: 5, output: 5 }, cost: null, costTotal: null })
    const tool = makeSpan({ kind: 'tool', usage: null, cost: null, costTotal: null })
    await enrichSpans(pricing, [span, measured, tool])
    expect(span.usageEstimated).toBe(true)
    expect(span.usage?.['input']).toBeGreaterThan(10)
    expect(span.usage?.['output']).toBeGreaterThan(5)
    expect(span.costTotal).toBeGreaterThan(0)
    expect(measured.usageEstimated).toBe(false)
    expect(measured.usage).toEqual({ input: 5, output: 5 })
    expect(tool.usage).toBeNull()
    expect(tool.costTotal).toBeNull()
  })

  it('keeps a cost the caller sent', async () => {
    const { pricing } = await setup()
    const span = makeSpan({ cost: { total: 0.5 }, costTotal: 0.5 })
    await enrichSpans(pricing, [span])
    expect(span.costTotal).toBe(0.5)
  })
})
