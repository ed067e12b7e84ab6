import { makeSpan } from '@vigil/core/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeLlm, type FakeLlm } from '../fake-llm/index.js'
import { openStorage } from '../storage/index.js'
import { createJudgeEndpoints } from './judge/endpoint-settings.js'
import { createOpenAiCompatibleClient } from './openai-compatible.js'
import { createReferenceEvaluator, embedderFor } from './reference-evaluator.js'
import { registerEvaluator } from './registry.js'

let fake: FakeLlm
const client = createOpenAiCompatibleClient()
beforeAll(async () => {
  fake = await startFakeLlm()
})
afterAll(async () => {
  await client.close()
  await fake.close()
})

async function setup() {
  const storage = await openStorage({ kind: 'memory', dataDir: '' })
  const endpoints = createJudgeEndpoints({ configs: storage.configs, now: Date.now })
  const plugin = registerEvaluator(
    createReferenceEvaluator({ embedder: embedderFor({ client, endpoints }) }),
  )
  return { endpoints, plugin }
}

const span = makeSpan({
  projectId: 'p',
  output: 'Paris is the capital of France.',
  metadata: { expected: 'The capital of France is Paris.' },
})
const ctx = { now: Date.now() }

describe('reference evaluator', () => {
  it('scores the output against metadata.expected with offline vectors by default', async () => {
    const { plugin } = await setup()
    const outcome = await plugin.evaluate(span, {}, ctx)
    if (outcome.status !== 'scored') throw new Error(outcome.reason)
    const byName = Object.fromEntries(outcome.scores.map((s) => [s.name, s]))
    expect(Object.keys(byName).sort()).toEqual([
      'reference.bleu',
      'reference.embedding',
      'reference.exact',
      'reference.levenshtein',
      'reference.rougeL',
    ])
    expect(byName['reference.exact']?.value).toBe(false)
    expect(byName['reference.levenshtein']?.metadata).toEqual({ distance: expect.any(Number) })
    expect(byName['reference.embedding']?.metadata).toEqual({ embedder: 'tfidf' })
  })

  it('uses provider embeddings when the project configured an embedding model', async () => {
    const { endpoints, plugin } = await setup()
    await endpoints.put('p', {
      baseUrl: fake.url,
      model: 'gpt-4o-mini',
      apiKey: 'k',
      embeddingModel: 'text-embedding-3-small',
    })
    fake.clearRequests()
    const outcome = await plugin.evaluate(span, { metrics: ['embedding'] }, ctx)
    if (outcome.status !== 'scored') throw new Error(outcome.reason)
    expect(outcome.scores[0]).toMatchObject({
      name: 'reference.embedding',
      metadata: { embedder: 'provider' },
    })
    expect(outcome.scores[0]?.value).toBeGreaterThanOrEqual(0)
    expect(fake.requests[0]).toMatchObject({
      path: '/v1/embeddings',
      body: { model: 'text-embedding-3-small' },
    })
    const offline = await plugin.evaluate(span, { metrics: ['embedding'], embedding: 'tfidf' }, ctx)
    expect(offline).toMatchObject({
      status: 'scored',
      scores: [{ metadata: { embedder: 'tfidf' } }],
    })
  })

  it('skips spans without an expected answer', async () => {
    const { plugin } = await setup()
    expect(await plugin.evaluate(makeSpan({ metadata: null }), {}, ctx)).toEqual({
      status: 'skipped',
      reason: 'no metadata.expected to compare with',
    })
  })
})
