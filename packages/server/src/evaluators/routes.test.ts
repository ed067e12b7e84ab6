import type { Score } from '@vigil/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeLlm, type FakeLlm } from '../fake-llm/index.js'
import type { RunningServer } from '../main.js'
import { call, startTestServer } from '../testing.js'

const KEY = 'sk-project-judge-key-4242'
let server: RunningServer
let fake: FakeLlm

beforeAll(async () => {
  fake = await startFakeLlm({
    apiKeys: [KEY],
    script: {
      verdicts: [
        {
          match: 'moon is made of cheese',
          choice: 'hallucinated',
          reasons: 'Not in the documents.',
        },
      ],
    },
  })
  server = await startTestServer()
})
afterAll(async () => {
  await server.close()
  await fake.close()
})

async function traceScores(traceId: string, until: (s: Score[]) => boolean): Promise<Score[]> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const res = await call(server, { method: 'GET', url: `/api/v1/traces/${traceId}` })
    const scores = res.statusCode === 200 ? (res.json().scores as Score[]) : []
    if (until(scores) || Date.now() > deadline) return scores
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('evaluator API and the judge path over HTTP', () => {
  it('stores the judge endpoint and never shows its key', async () => {
    const set = await call(server, {
      method: 'PUT',
      url: '/api/v1/judge-endpoint',
      body: { baseUrl: `${fake.url}/v1`, model: 'gpt-4o-mini', apiKey: KEY },
    })
    expect(set.statusCode).toBe(200)
    expect(set.json()).toMatchObject({ apiKey: '…4242', model: 'gpt-4o-mini', version: 1 })
    const get = await call(server, { method: 'GET', url: '/api/v1/judge-endpoint' })
    expect(get.body).not.toContain(KEY)
    expect(get.json().apiKey).toBe('…4242')
    const bad = await call(server, {
      method: 'PUT',
      url: '/api/v1/judge-endpoint',
      body: { baseUrl: 'ftp://x', model: 'm' },
    })
    expect(bad.statusCode).toBe(400)
  })

  it('creates, versions, reads and deletes evaluators', async () => {
    const post = (body: unknown) =>
      call(server, { method: 'POST', url: '/api/v1/evaluators', body })
    const created = await post({
      name: 'halluc',
      kind: 'judge',
      config: { rubric: 'hallucination' },
      sampling: { rate: 0.5 },
    })
    expect(created.statusCode).toBe(201)
    expect(created.json()).toMatchObject({
      name: 'halluc',
      version: 1,
      codeVersion: 'judge-1/hallucination-1',
    })
    const changed = await post({
      name: 'halluc',
      kind: 'judge',
      config: { rubric: 'hallucination' },
    })
    expect(changed.statusCode).toBe(200)
    expect(changed.json()).toMatchObject({ version: 2, sampling: { rate: 1 } })
    const v1 = await call(server, { method: 'GET', url: '/api/v1/evaluators/halluc?version=1' })
    expect(v1.json().sampling.rate).toBe(0.5)
    expect((await post({ name: 'pii-out', kind: 'pii' })).statusCode).toBe(201)
    expect((await post({ name: 'tmp', kind: 'refusal' })).statusCode).toBe(201)
    expect(
      (await call(server, { method: 'DELETE', url: '/api/v1/evaluators/tmp' })).statusCode,
    ).toBe(204)
    expect(
      (await call(server, { method: 'DELETE', url: '/api/v1/evaluators/tmp' })).statusCode,
    ).toBe(404)
    const list = await call(server, { method: 'GET', url: '/api/v1/evaluators' })
    expect(list.json().data.map((e: { name: string }) => e.name)).toEqual(['halluc', 'pii-out'])
    const invalid = await post({ name: 'x', kind: 'judge', config: { rubric: 'off_policy' } })
    expect(invalid.statusCode).toBe(400)
    expect(invalid.json().error.issues[0].path).toBe('config.policy')
    const kinds = await call(server, { method: 'GET', url: '/api/v1/evaluator-kinds' })
    expect(kinds.json().data.map((k: { kind: string }) => k.kind)).toEqual(
      expect.arrayContaining(['judge', 'reference', 'pii', 'toxicity', 'user_correction']),
    )
  })

  it('ingested spans get judge and heuristic scores naming the evaluator version', async () => {
    const res = await call(server, {
      method: 'POST',
      url: '/api/v1/ingest',
      body: {
        spans: [
          {
            traceId: 'http-eval-1',
            spanId: 'gen',
            name: 'chat',
            kind: 'generation',
            startTime: Date.now(),
            requestModel: 'gpt-4o-mini',
            input: [{ role: 'user', content: 'What is the moon made of?' }],
            output: 'The moon is made of cheese. Mail me at jane.doe@example.com.',
            context: [{ content: 'The Moon is made of rock.' }],
          },
        ],
      },
    })
    expect(res.statusCode).toBe(200)
    const scores = await traceScores(
      'http-eval-1',
      (s) => s.some((x) => x.source === 'judge') && s.some((x) => x.evaluator === 'pii-out'),
    )
    const judged = scores.find((s) => s.evaluator === 'halluc')
    expect(judged).toMatchObject({
      spanId: 'gen',
      name: 'judge.hallucination',
      value: 1,
      source: 'judge',
      evaluatorVersion: '2:judge-1/hallucination-1',
      explanation: 'Not in the documents.',
    })
    expect(judged?.latencyMs).toBeGreaterThan(0)
    expect(judged?.costTotal).toBeGreaterThan(0)
    const pii = scores.filter((s) => s.evaluator === 'pii-out')
    expect(pii.length).toBeGreaterThan(0)
    expect(pii[0]).toMatchObject({
      source: 'heuristic',
      evaluatorVersion: expect.stringMatching(/^1:/),
    })
    const recorded = fake.requests.at(-1)
    expect(recorded?.auth.authorization).toBe(true)
  })

  it('lists jobs by state and retries a dead one', async () => {
    const { jobs } = server.deps.storage
    const id = 'manual-dead-job'
    await jobs.enqueue({
      jobs: [
        {
          id,
          queue: 'evaluation',
          type: 'evaluate.span',
          projectId: server.defaultProjectId,
          payload: { broken: true },
        },
      ],
      now: Date.now() + 60_000,
    })
    await jobs.claim({ queue: 'evaluation', limit: 100, leaseMs: 1000, now: Date.now() + 60_000 })
    await jobs.fail({
      id,
      attempt: 1,
      now: Date.now(),
      error: 'UPSTREAM_FAILED: test',
      retryAt: null,
    })
    const dead = await call(server, { method: 'GET', url: '/api/v1/evaluation-jobs?state=dead' })
    expect(dead.statusCode).toBe(200)
    expect(dead.json().data.map((j: { id: string }) => j.id)).toContain(id)
    expect(dead.json().counts.dead).toBeGreaterThanOrEqual(1)
    const one = await call(server, { method: 'GET', url: `/api/v1/evaluation-jobs/${id}` })
    expect(one.json()).toMatchObject({ state: 'dead', lastError: 'UPSTREAM_FAILED: test' })
    const retried = await call(server, {
      method: 'POST',
      url: `/api/v1/evaluation-jobs/${id}/retry`,
    })
    expect(retried.statusCode).toBe(200)
    expect(retried.json()).toMatchObject({ state: 'pending', attempts: 0 })
    const again = await call(server, { method: 'POST', url: `/api/v1/evaluation-jobs/${id}/retry` })
    expect([409, 200]).toContain(again.statusCode)
    expect(
      (await call(server, { method: 'GET', url: '/api/v1/evaluation-jobs/nope' })).statusCode,
    ).toBe(404)
  })

  it('computes reference metrics on demand and documents the routes', async () => {
    const res = await call(server, {
      method: 'POST',
      url: '/api/v1/reference-metrics',
      body: { output: 'Paris', reference: 'Paris', metrics: ['exact', 'levenshtein', 'embedding'] },
    })
    expect(res.json()).toEqual({
      scores: { exact: 1, levenshtein: 1, embedding: expect.closeTo(1, 5) },
      embedding: 'tfidf',
    })
    const openapi = (
      await call(server, { method: 'GET', url: '/api/v1/openapi.json', key: null })
    ).json()
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/evaluators',
        '/api/v1/judge-endpoint',
        '/api/v1/evaluation-jobs/{jobId}/retry',
      ]),
    )
  })
})
