import type { Score, Storage } from '@vigil/core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startFakeLlm, type FakeLlm } from '../../fake-llm/index.js'
import { createCommitter, ingest } from '../../ingest/index.js'
import { createWorker, type Worker } from '../../jobs/index.js'
import { createPricing } from '../../pricing/index.js'
import { openStorage } from '../../storage/index.js'
import { EVALUATION_QUEUE, withEvaluationOutbox } from '../outbox.js'
import { createEvaluation, type Evaluation } from '../setup.js'

const P = 'p1'
const T0 = Date.UTC(2026, 10, 6, 8, 0, 0)
let fake: FakeLlm
let storage: Storage
let evaluation: Evaluation
let worker: Worker
let clock: number
let drain: () => Promise<void>
let send: (traceId: string) => Promise<void>

beforeAll(async () => {
  fake = await startFakeLlm()
})
afterAll(async () => {
  await fake.close()
})
beforeEach(async () => {
  fake.setScript({ verdicts: [{ match: 'rude', choice: 'toxic', reasons: 'Insulting.' }] })
  clock = T0
  const now = () => clock
  storage = await openStorage({ kind: 'memory', dataDir: '' })
  const committer = createCommitter(withEvaluationOutbox(storage.events))
  const pricing = createPricing({ configs: storage.configs, now })
  const ingestDeps = { committer, events: storage.events, pricing, now }
  evaluation = createEvaluation({ storage, ingest: ingestDeps, pricing, now })
  worker = createWorker({
    queue: storage.jobs,
    queueName: EVALUATION_QUEUE,
    handlers: evaluation.engine.handlers,
    now,
    random: () => 0.5,
  })
  drain = async () => {
    while ((await worker.tick()) > 0) await committer.drain()
  }
  send = async (traceId) => {
    const span = {
      traceId,
      spanId: 'g',
      name: 'chat',
      kind: 'generation' as const,
      startTime: clock,
      input: 'Say something',
      output: 'You are rude and stupid.',
    }
    await ingest(ingestDeps, { projectId: P, source: 'sdk' }, { spans: [span] })
  }
  await evaluation.endpoints.put(P, {
    baseUrl: fake.url,
    model: 'gpt-4o-mini',
    apiKey: 'k',
    timeoutMs: 300,
  })
  await evaluation.engine.settings.put(P, {
    name: 'tox',
    kind: 'judge',
    config: { rubric: 'toxicity' },
  })
})

const judgeScores = async (traceId: string): Promise<Score[]> =>
  ((await storage.events.getTrace(P, traceId))?.scores ?? []).filter((s) => s.source === 'judge')
const evalJob = async () =>
  (await storage.jobs.list({ limit: 10 })).find((j) => j.type === 'evaluate.span')

describe('the judge path through the durable queue', () => {
  it('waits out a 429 for at least its Retry-After, then scores once', async () => {
    fake.setScript({ ...fake.script, error: { status: 429, retryAfterSeconds: 30, times: 1 } })
    await send('rl')
    await drain()
    const waiting = await evalJob()
    expect(waiting).toMatchObject({ state: 'pending', attempts: 1 })
    expect(waiting!.lastError).toMatch(/^RATE_LIMITED/)
    expect(waiting!.runAt).toBe(T0 + 30_000)
    clock += 29_999
    await drain()
    expect(await judgeScores('rl')).toEqual([])
    clock += 1
    await drain()
    const scores = await judgeScores('rl')
    expect(scores).toHaveLength(1)
    expect(scores[0]).toMatchObject({
      name: 'judge.toxicity',
      value: 1,
      evaluator: 'tox',
      evaluatorVersion: '1:judge-1/toxicity-1',
    })
  })

  it('retries a judge that timed out', async () => {
    fake.setScript({ ...fake.script, hang: true })
    await send('slow')
    await drain()
    expect((await evalJob())?.lastError).toMatch(/^UPSTREAM_TIMEOUT/)
    fake.setScript({ verdicts: [{ match: '', choice: 'non_toxic' }] })
    clock += 60_000
    await drain()
    expect((await judgeScores('slow'))[0]).toMatchObject({ value: 0 })
  })

  it('dead-letters a judge that keeps failing, keeps the item, and scores it on a manual retry', async () => {
    fake.setScript({ ...fake.script, error: { status: 500 } })
    await send('down')
    for (let i = 0; i < 6; i += 1) {
      await drain()
      clock += 10 * 60_000
    }
    const dead = await evalJob()
    expect(dead).toMatchObject({
      state: 'dead',
      attempts: 5,
      payload: { traceId: 'down', spanId: 'g' },
    })
    expect(await judgeScores('down')).toEqual([])
    fake.setScript({ verdicts: [{ match: '', choice: 'toxic' }] })
    expect(await storage.jobs.retry({ id: dead!.id, projectId: P, now: clock })).toBe(true)
    await drain()
    expect(await judgeScores('down')).toHaveLength(1)
    expect(worker.stats()).toMatchObject({ dead: 1 })
  })

  it('records an unparsable verdict as such and does not retry it', async () => {
    fake.setScript({ malformedToolArguments: true })
    await send('garbled')
    await drain()
    const [score] = await judgeScores('garbled')
    expect(score).toMatchObject({ dataType: 'categorical', value: null, stringValue: 'unparsable' })
    expect((await evalJob())?.state).toBe('done')
  })

  it('skips without a judge endpoint: the default install works offline', async () => {
    await evaluation.endpoints.delete(P)
    await send('offline')
    await drain()
    expect(await judgeScores('offline')).toEqual([])
    expect((await evalJob())?.state).toBe('done')
    expect(worker.stats().skipped).toBe(1)
  })
})
