import { AppError, type Evaluator, type Score, type SpanInput, type Storage } from '@vigil/core'
import { beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createCommitter, ingest, type IngestDeps } from '../ingest/index.js'
import { createWorker, type Worker } from '../jobs/index.js'
import { createPricing } from '../pricing/index.js'
import { openStorage } from '../storage/index.js'
import { createEvaluationEngine, type EvaluationEngine } from './engine.js'
import { EVALUATION_QUEUE, withEvaluationOutbox } from './outbox.js'
import { createEvaluatorRegistry, registerEvaluator } from './registry.js'
import { createEvaluatorSettings } from './settings.js'

const T0 = Date.UTC(2026, 10, 5, 9, 0, 0)
const P = 'p1'

const lengthEvaluator: Evaluator<{ unit: 'chars' | 'words' }> = {
  kind: 'length',
  version: '7',
  configSchema: z.object({ unit: z.enum(['chars', 'words']).default('chars') }).strict(),
  evaluate(span, config) {
    const text = typeof span.output === 'string' ? span.output : JSON.stringify(span.output)
    if (!text || span.output === null)
      return Promise.resolve({ status: 'skipped', reason: 'no output' })
    const value = config.unit === 'chars' ? text.length : text.split(/\s+/).length
    return Promise.resolve({
      status: 'scored',
      scores: [{ name: 'length', value, explanation: `${value} ${config.unit}` }],
    })
  },
}

let failuresLeft = 0
const flakyEvaluator: Evaluator<Record<string, never>> = {
  kind: 'flaky',
  version: '1',
  configSchema: z.object({}).strict(),
  evaluate() {
    if (failuresLeft > 0) {
      failuresLeft -= 1
      return Promise.reject(new AppError('UPSTREAM_TIMEOUT', 'judge took too long'))
    }
    return Promise.resolve({ status: 'scored', scores: [{ name: 'flaky', value: true }] })
  },
}

let fragileFailures = 0
const fragileEvaluator: Evaluator<Record<string, never>> = {
  kind: 'fragile',
  version: '1',
  configSchema: z.object({}).strict(),
  evaluate() {
    if (fragileFailures > 0) {
      fragileFailures -= 1
      return Promise.reject(new Error('detector bug'))
    }
    return Promise.resolve({ status: 'scored', scores: [{ name: 'fragile', value: 1 }] })
  },
}

interface Harness {
  storage: Storage
  engine: EvaluationEngine
  worker: Worker
  ingestDeps: IngestDeps
  advance(ms: number): void
  send(body: { spans?: SpanInput[]; feedback?: unknown[] }): Promise<void>
  settle(): Promise<void>
  scores(traceId: string): Promise<Score[]>
}

async function harness(): Promise<Harness> {
  let clock = T0
  const now = () => clock
  const storage = await openStorage({ kind: 'memory', dataDir: '' })
  // wired as the server wires it: projects known to have no evaluator get no fan-out job
  const late: { engine?: EvaluationEngine } = {}
  const outbox = withEvaluationOutbox(storage.events, {
    knownIdle: (projectId) => late.engine?.settings.knownIdle(projectId) ?? false,
  })
  const committer = createCommitter(outbox)
  const ingestDeps = {
    committer,
    events: storage.events,
    pricing: createPricing({ configs: storage.configs, now }),
    now,
  }
  const registry = createEvaluatorRegistry([
    registerEvaluator(lengthEvaluator),
    registerEvaluator(flakyEvaluator, { source: 'judge' }),
    registerEvaluator(fragileEvaluator),
  ])
  const engine = createEvaluationEngine({ storage, registry, ingest: ingestDeps, now })
  late.engine = engine
  const worker = createWorker({
    queue: storage.jobs,
    queueName: EVALUATION_QUEUE,
    handlers: engine.handlers,
    now,
    random: () => 0.5,
  })
  return {
    storage,
    engine,
    worker,
    ingestDeps,
    advance: (ms) => {
      clock += ms
    },
    send: async (body) => {
      await ingest(ingestDeps, { projectId: P, source: 'api' }, body)
    },
    settle: async () => {
      while ((await worker.tick()) > 0) await committer.drain()
      await committer.drain()
    },
    scores: async (traceId) => (await storage.events.getTrace(P, traceId))?.scores ?? [],
  }
}

const span = (traceId: string, overrides: Partial<SpanInput> = {}): SpanInput => ({
  traceId,
  spanId: `${traceId}-s`,
  name: 'chat',
  kind: 'generation',
  startTime: T0,
  endTime: T0 + 100,
  status: 'ok',
  requestModel: 'gpt-4o-mini',
  input: 'What is the capital of France?',
  output: 'Paris is the capital.',
  ...overrides,
})

describe('evaluator settings', () => {
  let h: Harness
  beforeEach(async () => {
    h = await harness()
  })

  it('versions every change, keeps old versions and ignores a put that changes nothing', async () => {
    const { settings } = h.engine
    const v1 = await settings.put(P, { name: 'len', kind: 'length' })
    expect(v1.version).toBe(1)
    expect(v1.setting).toMatchObject({
      enabled: true,
      config: { unit: 'chars' },
      filter: { kinds: ['generation'] },
      sampling: { rate: 1, errors: true, flagged: true },
    })
    expect((await settings.put(P, { name: 'len', kind: 'length', config: {} })).version).toBe(1)
    const v2 = await settings.put(P, { name: 'len', kind: 'length', sampling: { rate: 0.5 } })
    expect(v2.version).toBe(2)
    expect((await settings.get(P, 'len', 1))?.setting.sampling.rate).toBe(1)
    expect(await settings.delete(P, 'len')).toBe(true)
    expect(await settings.list(P)).toEqual([])
    expect((await settings.get(P, 'len', 2))?.setting.sampling.rate).toBe(0.5)
  })

  it('rejects unknown kinds and configs the plug-in refuses, with field paths', async () => {
    const { settings } = h.engine
    await expect(settings.put(P, { name: 'x', kind: 'nope' })).rejects.toThrow(
      /unknown evaluator kind nope/,
    )
    const bad = settings.put(P, { name: 'x', kind: 'length', config: { unit: 'bytes' } })
    await expect(bad).rejects.toSatisfy(
      (e: unknown) =>
        e instanceof AppError &&
        e.code === 'INVALID_INPUT' &&
        e.details.issues?.[0]?.path === 'config.unit',
    )
    await expect(settings.put(P, { name: 'Bad Name', kind: 'length' })).rejects.toThrow(/body.name/)
    await expect(
      settings.put(P, { name: 'x', kind: 'length', sampling: { rate: 2 } }),
    ).rejects.toThrow(/rate/)
  })
})

describe('evaluation engine', () => {
  let h: Harness
  beforeEach(async () => {
    h = await harness()
  })

  it('scores matching spans after ingest with the evaluator and its version', async () => {
    await h.engine.settings.put(P, { name: 'len', kind: 'length' })
    await h.send({
      spans: [
        span('t1'),
        span('t1', { spanId: 'r', kind: 'retrieval', output: 'docs' }),
        span('t2', { output: 'Lyon' }),
      ],
    })
    await h.settle()
    const [score] = await h.scores('t1')
    expect(await h.scores('t1')).toHaveLength(1)
    expect(score).toMatchObject({
      spanId: 't1-s',
      name: 'length',
      value: 21,
      source: 'heuristic',
      evaluator: 'len',
      evaluatorVersion: '1:7',
      explanation: '21 chars',
      metadata: { 'vigil.evaluator_kind': 'length', 'vigil.sampled_by': 'rate' },
    })
    expect(score?.latencyMs).toBeGreaterThanOrEqual(0)
    expect((await h.scores('t2'))[0]?.value).toBe(4)
    expect(h.worker.stats()).toMatchObject({ done: 3, dead: 0 }) // one fan-out, two evaluations
  })

  it('plans no fan-out for a project known to have no evaluator, and resumes once it has one', async () => {
    const fanOuts = async () =>
      (await h.storage.jobs.list({ queue: EVALUATION_QUEUE, limit: 100 })).filter(
        (j) => j.type === 'evaluate.spans',
      ).length
    // unknown at first: the batch carries its job, which finds nothing and warms the cache
    await h.send({ spans: [span('t-idle-1')] })
    await h.settle()
    expect(await fanOuts()).toBe(1)
    await h.send({ spans: [span('t-idle-2')] })
    await h.settle()
    expect(await fanOuts()).toBe(1)
    // this process's own change drops the cache at once: the next batch is evaluated
    await h.engine.settings.put(P, { name: 'len', kind: 'length' })
    await h.send({ spans: [span('t-idle-3')] })
    await h.settle()
    expect(await fanOuts()).toBe(2)
    expect((await h.scores('t-idle-3')).map((s) => s.name)).toEqual(['length'])
    expect(await h.scores('t-idle-2')).toEqual([])
  })

  it('keeps a project known idle while its expired entry reloads, then sees a change made elsewhere', async () => {
    const { settings } = h.engine
    const tick = () => new Promise((resolve) => setImmediate(resolve))
    expect(settings.knownIdle(P)).toBe(false) // not loaded yet
    await tick()
    expect(settings.knownIdle(P)).toBe(true)
    // another process (its own settings over the same store) enables an evaluator
    const elsewhere = createEvaluatorSettings({
      configs: h.storage.configs,
      registry: createEvaluatorRegistry([registerEvaluator(lengthEvaluator)]),
      now: () => T0,
    })
    await elsewhere.put(P, { name: 'len', kind: 'length' })
    expect(settings.knownIdle(P)).toBe(true) // cached, not expired
    h.advance(6_000)
    // expired: the reload starts, and until it lands the entry answers what it knew
    expect(settings.knownIdle(P)).toBe(true)
    await tick()
    expect(settings.knownIdle(P)).toBe(false)
  })

  it('writes nothing twice when the same spans arrive again', async () => {
    await h.engine.settings.put(P, { name: 'len', kind: 'length' })
    await h.send({ spans: [span('t1')] })
    await h.settle()
    await h.send({ spans: [span('t1'), span('t3')] })
    await h.settle()
    expect(await h.scores('t1')).toHaveLength(1)
    expect(await h.scores('t3')).toHaveLength(1)
  })

  it('evaluates every error span and every flagged trace at a zero rate', async () => {
    await h.engine.settings.put(P, { name: 'len', kind: 'length', sampling: { rate: 0 } })
    await h.send({ spans: [span('ok'), span('err', { status: 'error' }), span('fb')] })
    await h.settle()
    expect(await h.scores('ok')).toEqual([])
    expect((await h.scores('err'))[0]?.metadata).toMatchObject({ 'vigil.sampled_by': 'error' })
    expect(await h.scores('fb')).toEqual([])
    await h.send({ feedback: [{ traceId: 'fb', kind: 'thumbs', value: 'down' }] })
    await h.send({ feedback: [{ traceId: 'ok', kind: 'thumbs', value: 'up' }] })
    await h.settle()
    const flagged = (await h.scores('fb')).filter((s) => s.source === 'heuristic')
    expect(flagged[0]?.metadata).toMatchObject({ 'vigil.sampled_by': 'flagged' })
    expect((await h.scores('ok')).filter((s) => s.source === 'heuristic')).toEqual([])
  })

  it('applies filters by model, feature and tags', async () => {
    await h.engine.settings.put(P, {
      name: 'len',
      kind: 'length',
      filter: {
        kinds: ['generation'],
        models: ['gpt-4o-mini'],
        features: ['chat'],
        tags: ['beta'],
      },
    })
    await h.send({
      spans: [
        span('yes', { feature: 'chat', tags: ['x', 'beta'] }),
        span('no-tag', { feature: 'chat', tags: ['x'] }),
        span('no-feature', { feature: 'search', tags: ['beta'] }),
        span('no-model', { feature: 'chat', tags: ['beta'], requestModel: 'claude' }),
      ],
    })
    await h.settle()
    expect(await h.scores('yes')).toHaveLength(1)
    for (const t of ['no-tag', 'no-feature', 'no-model']) expect(await h.scores(t)).toEqual([])
  })

  it('runs a job with the version it was planned under and skips deleted evaluators', async () => {
    await h.engine.settings.put(P, { name: 'len', kind: 'length' })
    await h.engine.settings.put(P, { name: 'gone', kind: 'length' })
    await h.send({ spans: [span('v')] })
    await h.worker.tick() // fan-out only: the evaluation jobs are queued under version 1
    await h.engine.settings.put(P, { name: 'len', kind: 'length', config: { unit: 'words' } })
    await h.engine.settings.delete(P, 'gone')
    await h.settle()
    const scores = await h.scores('v')
    expect(scores.map((s) => [s.evaluator, s.evaluatorVersion, s.value])).toEqual([
      ['len', '1:7', 21],
    ])
    await h.send({ spans: [span('v2')] })
    await h.settle()
    expect((await h.scores('v2'))[0]).toMatchObject({ evaluatorVersion: '2:7', value: 4 })
    expect(h.worker.stats().dead).toBe(0)
  })

  it('retries a failing evaluation with backoff, then writes its score once', async () => {
    await h.engine.settings.put(P, { name: 'flaky', kind: 'flaky' })
    failuresLeft = 2
    await h.send({ spans: [span('f')] })
    await h.settle()
    const [job] = await h.storage.jobs.list({ state: 'pending', limit: 5 })
    expect(job).toMatchObject({ attempts: 1, lastError: 'UPSTREAM_TIMEOUT: judge took too long' })
    expect(job!.runAt - T0).toBe(750) // 1 s base, equal jitter at random 0.5
    h.advance(750)
    await h.settle()
    expect((await h.storage.jobs.get(job!.id))?.runAt).toBe(T0 + 750 + 1500)
    h.advance(1500)
    await h.settle()
    const scores = await h.scores('f')
    expect(scores).toHaveLength(1)
    expect(scores[0]).toMatchObject({ source: 'judge', value: 1 })
    expect(h.worker.stats()).toMatchObject({ retried: 2, dead: 0 })
  })

  it('runs heuristics of a span in one job and judges in their own', async () => {
    await h.engine.settings.put(P, { name: 'len', kind: 'length' })
    await h.engine.settings.put(P, { name: 'frag', kind: 'fragile' })
    await h.engine.settings.put(P, { name: 'flaky', kind: 'flaky' })
    await h.send({ spans: [span('grouped')] })
    await h.worker.tick()
    const jobs = await h.storage.jobs.list({ state: 'pending', limit: 10 })
    const targets = jobs.map(
      (j) => (j.payload as { evaluators: { evaluator: string }[] }).evaluators,
    )
    expect(targets.map((t) => t.map((e) => e.evaluator).sort())).toEqual(
      expect.arrayContaining([['frag', 'len'], ['flaky']]),
    )
  })

  it('writes the scores of the heuristics that worked and retries the one that failed', async () => {
    await h.engine.settings.put(P, { name: 'len', kind: 'length' })
    await h.engine.settings.put(P, { name: 'frag', kind: 'fragile' })
    fragileFailures = 1
    await h.send({ spans: [span('partial')] })
    await h.settle()
    expect((await h.scores('partial')).map((s) => s.evaluator)).toEqual(['len'])
    h.advance(60_000)
    await h.settle()
    const scores = await h.scores('partial')
    expect(scores.map((s) => s.evaluator).sort()).toEqual(['frag', 'len'])
    expect(h.worker.stats()).toMatchObject({ retried: 1, dead: 0 })
  })

  it('dead-letters after the last attempt, and a retry by hand runs it again', async () => {
    await h.engine.settings.put(P, { name: 'flaky', kind: 'flaky' })
    failuresLeft = 5
    await h.send({ spans: [span('d')] })
    for (let i = 0; i < 6; i += 1) {
      await h.settle()
      h.advance(60_000)
    }
    const [dead] = await h.storage.jobs.list({ state: 'dead', limit: 5 })
    expect(dead).toMatchObject({ attempts: 5, type: 'evaluate.span' })
    expect(await h.scores('d')).toEqual([])
    expect(await h.storage.jobs.retry({ id: dead!.id, projectId: P, now: T0 + 1e6 })).toBe(true)
    h.advance(1e6)
    await h.settle()
    expect(await h.scores('d')).toHaveLength(1)
  })

  it('dead-letters at once a job whose plug-in is not installed', async () => {
    await h.engine.settings.put(P, { name: 'len', kind: 'length' })
    await h.send({ spans: [span('k')] })
    const bare = createEvaluationEngine({
      storage: h.storage,
      registry: createEvaluatorRegistry([]),
      ingest: h.ingestDeps,
      now: () => T0,
    })
    const worker = createWorker({
      queue: h.storage.jobs,
      queueName: EVALUATION_QUEUE,
      handlers: bare.handlers,
      now: () => T0,
    })
    while ((await worker.tick()) > 0);
    const [dead] = await h.storage.jobs.list({ state: 'dead', limit: 5 })
    expect(dead?.lastError).toMatch(/no evaluator plug-in of kind length/)
    expect(dead?.attempts).toBe(1)
  })
})
