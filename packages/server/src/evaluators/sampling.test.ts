import { makeScore } from '@vigil/core/testing'
import { describe, expect, it } from 'vitest'
import {
  isNegativeFeedback,
  matchesFilter,
  sampleSpan,
  traceSamplePosition,
  type SpanFacts,
} from './sampling.js'

const facts = (traceId: string, overrides: Partial<SpanFacts> = {}): SpanFacts => ({
  traceId,
  spanId: 's',
  kind: 'generation',
  model: 'gpt-4o-mini',
  feature: 'chat',
  tags: [],
  environment: 'production',
  status: 'ok',
  ...overrides,
})
const policy = (rate: number) => ({ rate, errors: true, flagged: true })
const ids = Array.from({ length: 20_000 }, (_, i) => `trace-${i}`)
const sampled = (rate: number) =>
  ids.filter((id) => sampleSpan(facts(id), policy(rate), { traceFlagged: false }) === 'rate')

describe('sampling', () => {
  it('places a trace id at a fixed point of [0, 1), the same in every run', () => {
    // SHA-256("abc") starts ba7816bf8f01 → 0xba7816bf8f01 / 2^48
    expect(traceSamplePosition('abc')).toBe(0xba7816bf8f01 / 2 ** 48)
    for (const id of ids.slice(0, 100)) {
      const p = traceSamplePosition(id)
      expect(p).toBeGreaterThanOrEqual(0)
      expect(p).toBeLessThan(1)
      expect(traceSamplePosition(id)).toBe(p)
    }
  })

  it('takes about the configured share, and a higher rate only adds traces', () => {
    const tenth = sampled(0.1)
    const fifth = new Set(sampled(0.2))
    expect(tenth.length / ids.length).toBeGreaterThan(0.09)
    expect(tenth.length / ids.length).toBeLessThan(0.11)
    expect(fifth.size / ids.length).toBeGreaterThan(0.19)
    expect(fifth.size / ids.length).toBeLessThan(0.21)
    for (const id of tenth) expect(fifth.has(id)).toBe(true)
    expect(sampled(0)).toEqual([])
    expect(sampled(1)).toHaveLength(ids.length)
  })

  it('decides for a whole trace: every span of a trace gets the same answer', () => {
    for (const id of ids.slice(0, 200)) {
      const a = sampleSpan(facts(id, { spanId: 'a' }), policy(0.3), { traceFlagged: false })
      const b = sampleSpan(facts(id, { spanId: 'b', kind: 'tool' }), policy(0.3), {
        traceFlagged: false,
      })
      expect(a).toBe(b)
    }
  })

  it('takes every error span and every flagged trace whatever the rate, unless told not to', () => {
    const unsampled = ids.filter((id) => traceSamplePosition(id) >= 0.01)
    for (const id of unsampled.slice(0, 500)) {
      expect(
        sampleSpan(facts(id, { status: 'error' }), policy(0.01), { traceFlagged: false }),
      ).toBe('error')
      expect(sampleSpan(facts(id), policy(0.01), { traceFlagged: true })).toBe('flagged')
      expect(sampleSpan(facts(id), policy(0.01), { traceFlagged: false })).toBeNull()
    }
    const strict = { rate: 0, errors: false, flagged: false }
    expect(sampleSpan(facts('x', { status: 'error' }), strict, { traceFlagged: true })).toBeNull()
  })

  it('filters by kind, model, feature, environment and any of the tags', () => {
    const filter = {
      kinds: ['generation' as const],
      models: ['gpt-4o-mini'],
      tags: ['beta', 'vip'],
    }
    expect(matchesFilter(facts('t', { tags: ['vip'] }), filter)).toBe(true)
    expect(matchesFilter(facts('t', { tags: [] }), filter)).toBe(false)
    expect(matchesFilter(facts('t', { tags: ['vip'], kind: 'retrieval' }), filter)).toBe(false)
    expect(matchesFilter(facts('t', { tags: ['vip'], model: null }), filter)).toBe(false)
    expect(
      matchesFilter(facts('t', { environment: 'dev' }), {
        kinds: ['generation'],
        environments: ['production'],
      }),
    ).toBe(false)
    expect(matchesFilter(facts('t', { feature: null }), { kinds: ['generation'] })).toBe(true)
  })

  it('counts thumbs down, low ratings and corrections from users as negative feedback', () => {
    const user = (name: string, value: number | null) => makeScore({ source: 'user', name, value })
    expect(isNegativeFeedback(user('feedback.thumbs', 0))).toBe(true)
    expect(isNegativeFeedback(user('feedback.thumbs', 1))).toBe(false)
    expect(isNegativeFeedback(user('feedback.rating', 2))).toBe(true)
    expect(isNegativeFeedback(user('feedback.rating', 4))).toBe(false)
    expect(isNegativeFeedback(user('feedback.correction', 1))).toBe(true)
    expect(isNegativeFeedback(user('feedback.regenerate', 1))).toBe(false)
    expect(
      isNegativeFeedback(makeScore({ source: 'judge', name: 'feedback.thumbs', value: 0 })),
    ).toBe(false)
  })
})
