import { AppError, type EvalOutcome, type Span, type Storage } from '@vigil/core'
import { makeSpan } from '@vigil/core/testing'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startFakeLlm, type FakeLlm } from '../../fake-llm/index.js'
import { createPricing } from '../../pricing/index.js'
import { openStorage } from '../../storage/index.js'
import { createOpenAiCompatibleClient, type OpenAiCompatibleClient } from '../openai-compatible.js'
import { registerEvaluator, type RegisteredEvaluator } from '../registry.js'
import { createJudgeEndpoints, maskEndpoint, type JudgeEndpoints } from './endpoint-settings.js'
import { createJudgeEvaluator } from './judge-evaluator.js'

const KEY = 'sk-judge-secret-key-9876'
const P = 'p_test'

let fake: FakeLlm
let client: OpenAiCompatibleClient
let storage: Storage
let endpoints: JudgeEndpoints
let judge: RegisteredEvaluator

beforeAll(async () => {
  fake = await startFakeLlm({ apiKeys: [KEY] })
  client = createOpenAiCompatibleClient()
})
afterAll(async () => {
  await client.close()
  await fake.close()
})
beforeEach(async () => {
  fake.setScript({})
  fake.clearRequests()
  storage = await openStorage({ kind: 'memory', dataDir: '' })
  endpoints = createJudgeEndpoints({ configs: storage.configs, now: Date.now })
  await endpoints.put(P, { baseUrl: fake.url, model: 'gpt-4o-mini', apiKey: KEY, timeoutMs: 2_000 })
  const pricing = createPricing({ configs: storage.configs, now: Date.now })
  judge = registerEvaluator(createJudgeEvaluator({ client, endpoints, pricing }), {
    source: 'judge',
  })
})

const ctx = { now: Date.now() }
const ragSpan = (overrides: Partial<Span> = {}): Span =>
  makeSpan({
    input: [{ role: 'user', content: 'When was the Eiffel Tower finished?' }],
    output: 'The Eiffel Tower was finished in 1889 and repainted in gold in 2020.',
    context: [{ content: 'The Eiffel Tower was completed in March 1889 for the World Fair.' }],
    ...overrides,
  })

function scored(outcome: EvalOutcome) {
  if (outcome.status !== 'scored') throw new Error(`expected scores, got ${outcome.reason}`)
  return outcome.scores
}

describe('LLM-as-judge against the fake provider', () => {
  it('maps the forced select_choice verdict to the rubric score, with reasons, usage and cost', async () => {
    fake.setScript({
      verdicts: [
        {
          match: 'repainted in gold',
          choice: 'hallucinated',
          reasons: 'Gold paint is not in the documents.',
        },
      ],
    })
    const [score] = scored(await judge.evaluate(ragSpan(), { rubric: 'hallucination' }, ctx))
    expect(score).toMatchObject({
      name: 'judge.hallucination',
      value: 1,
      explanation: 'Gold paint is not in the documents.',
      metadata: {
        choice: 'hallucinated',
        variant: 'context',
        rubric: 'hallucination',
        rubricVersion: 1,
        judgeModel: 'gpt-4o-mini',
      },
    })
    const usage = score!.metadata!['judgeUsage'] as Record<string, number>
    expect(usage['input']).toBeGreaterThan(0)
    expect(usage['output']).toBeGreaterThan(0)
    expect(score!.cost?.['total']).toBeGreaterThan(0)
    const [request] = fake.requests
    expect(request?.path).toBe('/v1/chat/completions')
    expect(request?.auth.authorization).toBe(true)
    const body = request?.body as Record<string, any>
    expect(body['tool_choice']).toEqual({ type: 'function', function: { name: 'select_choice' } })
    expect(body['tools'][0].function.parameters.properties.choice.enum).toEqual([
      'hallucinated',
      'grounded',
    ])
    expect(body['messages'][0].content).toContain('March 1889')
    expect(body['temperature']).toBe(0)
    fake.clearRequests()
    await judge.evaluate(
      ragSpan(),
      { rubric: 'hallucination', temperature: null, model: 'o3-mini' },
      ctx,
    )
    const reasoning = fake.requests[0]?.body as Record<string, unknown>
    expect(reasoning).toMatchObject({ model: 'o3-mini' })
    expect('temperature' in reasoning).toBe(false)
  })

  it('uses the no-context variant for gateway-only spans and names the version per rubric', async () => {
    fake.setScript({ verdicts: [{ match: 'fabricated', choice: 'grounded' }] })
    const span = ragSpan({ context: null })
    const [score] = scored(await judge.evaluate(span, { rubric: 'hallucination' }, ctx))
    expect(score).toMatchObject({
      value: 0,
      metadata: { variant: 'no-context', choice: 'grounded' },
    })
    expect(judge.versionOf({ rubric: 'hallucination' })).toBe('judge-1/hallucination-1')
    const custom = { rubric: 'custom', prompt: 'Is {{output}} polite?', choices: { yes: 1, no: 0 } }
    const edited = { ...custom, prompt: 'Is {{output}} courteous?' }
    expect(judge.versionOf(custom)).toMatch(/^judge-1\/custom-\d+$/)
    expect(judge.versionOf(custom)).not.toBe(judge.versionOf(edited))
  })

  it('scores correctness A–E against the reference in metadata, and skips without one', async () => {
    fake.setScript({ verdicts: [{ match: 'Expert', choice: 'B' }] })
    const span = ragSpan({ metadata: { expected: 'It was completed in 1889.' } })
    const [score] = scored(await judge.evaluate(span, { rubric: 'correctness' }, ctx))
    expect(score).toMatchObject({
      name: 'judge.correctness',
      value: 0.6,
      metadata: { choice: 'B' },
    })
    expect(await judge.evaluate(ragSpan(), { rubric: 'correctness' }, ctx)).toEqual({
      status: 'skipped',
      reason: 'no reference for the correctness rubric',
    })
  })

  it.each([
    { rubric: 'answer_relevance', extra: {}, choice: 'partially_relevant', value: 0.5 },
    { rubric: 'toxicity', extra: {}, choice: 'non_toxic', value: 0 },
    {
      rubric: 'off_policy',
      extra: { policy: 'Never give medical advice.' },
      choice: 'violates',
      value: 1,
    },
    {
      rubric: 'custom',
      extra: { prompt: 'Is this polite? {{output}}', choices: { polite: 1, rude: 0, mixed: 0.3 } },
      choice: 'mixed',
      value: 0.3,
    },
  ])('maps $rubric verdicts to their choice scores', async ({ rubric, extra, choice, value }) => {
    fake.setScript({ verdicts: [{ match: '', choice }] })
    const [score] = scored(await judge.evaluate(ragSpan(), { rubric, ...extra }, ctx))
    expect(score).toMatchObject({ name: `judge.${rubric}`, value, metadata: { choice } })
    const body = fake.requests.at(-1)?.body as Record<string, any>
    const labels = body['tools'][0].function.parameters.properties.choice.enum as string[]
    expect(labels).toContain(choice)
    if (rubric === 'off_policy') expect(body['messages'][0].content).toContain('medical advice')
    if (rubric === 'custom') {
      expect(body['messages'][0].content).toContain('Is this polite? The Eiffel Tower')
    }
  })

  it('judges RAG faithfulness claim by claim', async () => {
    fake.setScript({
      rules: [
        {
          match: 'standalone factual claims',
          toolCall: {
            arguments: {
              claims: [
                'The tower was finished in 1889.',
                'The tower was repainted in gold in 2020.',
                'It is made of iron.',
              ],
            },
          },
        },
      ],
      verdicts: [
        { match: 'gold in 2020', choice: 'unsupported' },
        { match: 'made of iron', choice: 'bogus-label' },
        { match: 'finished in 1889', choice: 'supported' },
      ],
    })
    const [score] = scored(await judge.evaluate(ragSpan(), { rubric: 'faithfulness' }, ctx))
    expect(score).toMatchObject({
      name: 'judge.faithfulness',
      value: 0.5,
      explanation: '1 of 2 claims supported by the context',
    })
    expect(score!.metadata!['claims']).toEqual([
      expect.objectContaining({ claim: 'The tower was finished in 1889.', verdict: 'supported' }),
      expect.objectContaining({
        claim: 'The tower was repainted in gold in 2020.',
        verdict: 'unsupported',
      }),
      expect.objectContaining({ claim: 'It is made of iron.', verdict: 'unparsable' }),
    ])
    expect(fake.requests).toHaveLength(4)
    expect(
      await judge.evaluate(ragSpan({ context: null }), { rubric: 'faithfulness' }, ctx),
    ).toMatchObject({ status: 'skipped' })
  })

  it('records an unreadable answer as its own outcome, not a zero', async () => {
    fake.setScript({ malformedToolArguments: true })
    const [broken] = scored(await judge.evaluate(ragSpan(), { rubric: 'toxicity' }, ctx))
    expect(broken).toMatchObject({
      name: 'judge.toxicity',
      value: 'unparsable',
      metadata: { outcome: 'unparsable' },
    })
    expect(broken!.explanation).toMatch(/not valid JSON/)
    fake.setScript({ verdicts: [{ match: '', choice: 'maybe' }] })
    const [offLabel] = scored(await judge.evaluate(ragSpan(), { rubric: 'toxicity' }, ctx))
    expect(offLabel).toMatchObject({ value: 'unparsable', metadata: { outcome: 'unparsable' } })
    expect(offLabel!.explanation).toMatch(/not one of the labels/)
  })

  it('skips when the project has no judge endpoint or the span has no output', async () => {
    await endpoints.delete(P)
    expect(await judge.evaluate(ragSpan(), { rubric: 'toxicity' }, ctx)).toEqual({
      status: 'skipped',
      reason: 'no judge endpoint configured for the project',
    })
    await endpoints.put(P, { baseUrl: fake.url, model: 'gpt-4o-mini', apiKey: KEY })
    expect(
      await judge.evaluate(ragSpan({ output: null }), { rubric: 'toxicity' }, ctx),
    ).toMatchObject({ status: 'skipped' })
    expect(fake.requests).toHaveLength(0)
  })

  it('turns rate limits, outages and timeouts into retryable errors that never carry the key', async () => {
    const attempt = () => judge.evaluate(ragSpan(), { rubric: 'toxicity' }, ctx)
    fake.setScript({ error: { status: 429, retryAfterSeconds: 7 } })
    await expect(attempt()).rejects.toSatisfy(
      (e: unknown) =>
        e instanceof AppError && e.code === 'RATE_LIMITED' && e.details.retryAfterSeconds === 7,
    )
    fake.setScript({ error: { status: 503 } })
    await expect(attempt()).rejects.toSatisfy(
      (e: unknown) => e instanceof AppError && e.code === 'UPSTREAM_FAILED',
    )
    fake.setScript({
      error: { status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}` } } },
    })
    await expect(attempt()).rejects.toSatisfy(
      (e: unknown) =>
        e instanceof AppError &&
        e.code === 'UPSTREAM_FAILED' &&
        !e.message.includes(KEY) &&
        e.message.includes('[key]'),
    )
    await endpoints.put(P, { baseUrl: fake.url, model: 'gpt-4o-mini', timeoutMs: 200 })
    fake.setScript({ hang: true })
    await expect(attempt()).rejects.toSatisfy(
      (e: unknown) => e instanceof AppError && e.code === 'UPSTREAM_TIMEOUT',
    )
  })

  it('keeps the key on updates that omit it and shows it only masked', async () => {
    const updated = await endpoints.put(P, { baseUrl: fake.url, model: 'gpt-4.1-mini' })
    expect(updated.apiKey).toBe(KEY)
    expect(updated.version).toBe(2)
    expect(maskEndpoint(updated)).toEqual({
      baseUrl: fake.url,
      model: 'gpt-4.1-mini',
      apiKey: '…9876',
      embeddingModel: null,
      timeoutMs: 60_000,
      version: 2,
    })
  })
})
