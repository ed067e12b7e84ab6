import { makeSpan } from '@vigil/core/testing'
import { describe, expect, it } from 'vitest'
import { groundedness, groundednessEvaluator } from './groundedness.js'

const doc =
  'The Orion X2 laptop weighs 1.3 kg and has a 14-inch display. Its battery lasts up to 18 hours. It ships with 16 GB of memory and costs 1,299 euros.'

describe('groundedness', () => {
  it('scores a grounded answer high and lists unsupported items of a made-up one', () => {
    const good = groundedness('The Orion X2 weighs 1.3 kg, and its battery lasts up to 18 hours.', [
      doc,
    ])
    expect(good.unsupportedShare).toBeLessThan(0.15)
    const bad = groundedness(
      'The Orion X2 weighs 2.1 kg and includes a Nvidia graphics card and Wi-Fi 7.',
      [doc],
    )
    expect(bad.unsupportedShare).toBeGreaterThan(0.4)
    expect(bad.unsupported).toEqual(expect.arrayContaining(['2.1', 'nvidia']))
  })

  it('matches numbers across formats and words across inflections', () => {
    const r = groundedness('It costs 1299 euros and ships with 16 GB.', [
      'It cost 1,299 euro; 16 GB memory shipped.',
    ])
    expect(r.unsupported).toEqual([])
  })
})

describe('groundednessEvaluator', () => {
  const config = groundednessEvaluator.configSchema.parse({})

  it('uses retrieved documents when the span has them', async () => {
    const span = makeSpan({
      context: [{ content: doc }],
      input: [{ role: 'user', content: 'How heavy is the Orion X2?' }],
      output: 'The Orion X2 weighs 1.3 kg and has a 14-inch display.',
    })
    const outcome = await groundednessEvaluator.evaluate(span, config, { now: 0 })
    expect(outcome).toMatchObject({
      status: 'scored',
      scores: [
        { name: 'groundedness', metadata: { sources: 'context' } },
        { name: 'hallucination', value: false },
      ],
    })
  })

  it('falls back to the system and earlier messages for gateway-only traffic', async () => {
    const span = makeSpan({
      input: [
        { role: 'system', content: `Answer from this product sheet: ${doc}` },
        { role: 'user', content: 'How long does the battery last?' },
      ],
      output: 'The battery lasts up to 40 hours thanks to graphene cells from Samsung.',
    })
    const outcome = await groundednessEvaluator.evaluate(span, config, { now: 0 })
    expect(outcome).toMatchObject({
      scores: [{ metadata: { sources: 'prompt' } }, { value: true }],
    })
  })

  it('skips when there is nothing to ground in', async () => {
    const span = makeSpan({
      input: [{ role: 'user', content: 'Tell me a story.' }],
      output: 'Once upon a time a dragon lived in Oslo.',
    })
    expect(await groundednessEvaluator.evaluate(span, config, { now: 0 })).toMatchObject({
      status: 'skipped',
    })
  })
})
