import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Storage } from '@vigil/core'
import { afterAll, describe, expect, it } from 'vitest'
import { createCommitter, ingest, type Committer } from '../ingest/index.js'
import { createWorker, type Worker } from '../jobs/index.js'
import { createPricing } from '../pricing/index.js'
import { openStorage } from '../storage/index.js'
import { EVALUATION_QUEUE, withEvaluationOutbox } from './outbox.js'
import { createEvaluation, type Evaluation } from './setup.js'

const P = 'p1'
const T0 = Date.UTC(2026, 10, 7, 10, 0, 0)
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

interface Process {
  storage: Storage
  committer: Committer
  evaluation: Evaluation
  worker: Worker
  send(traceId: string): Promise<void>
  drain(): Promise<void>
  stop(): Promise<void>
}

/** One "server process" on the DuckDB file in `dir`: storage, write path, engine and worker. */
async function start(dir: string, now: () => number): Promise<Process> {
  const storage = await openStorage({ kind: 'duckdb', dataDir: dir })
  const committer = createCommitter(withEvaluationOutbox(storage.events))
  const pricing = createPricing({ configs: storage.configs, now })
  const ingestDeps = { committer, events: storage.events, pricing, now }
  const evaluation = createEvaluation({ storage, ingest: ingestDeps, pricing, now })
  const worker = createWorker({
    queue: storage.jobs,
    queueName: EVALUATION_QUEUE,
    handlers: evaluation.engine.handlers,
    leaseMs: 60_000,
    now,
  })
  return {
    storage,
    committer,
    evaluation,
    worker,
    async send(traceId) {
      const output = `Write to ${traceId}@example.com for a refund.`
      const span = {
        traceId,
        spanId: 'g',
        name: 'chat',
        startTime: now(),
        kind: 'generation' as const,
        output,
      }
      await ingest(ingestDeps, { projectId: P, source: 'api' }, { spans: [span] })
    },
    async drain() {
      while ((await worker.tick()) > 0) await committer.drain()
    },
    async stop() {
      await worker.stop()
      await committer.drain()
      await evaluation.close()
      await storage.close()
    },
  }
}

const piiScores = async (p: Process, traceId: string) =>
  ((await p.storage.events.getTrace(P, traceId))?.scores ?? []).filter((s) => s.evaluator === 'pii')

describe('evaluation survives a restart on DuckDB', () => {
  it('evaluates spans acknowledged before a stop, and takes over a job a dead worker held', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-eval-restart-'))
    dirs.push(dir)
    let clock = T0
    const now = () => clock
    const first = await start(dir, now)
    await first.evaluation.engine.settings.put(P, { name: 'pii', kind: 'pii' })
    await first.send('before-stop')
    // the fan-out runs and its evaluation job is claimed, but the "process" dies before finishing
    await first.worker.tick()
    const held = await first.storage.jobs.claim({
      queue: EVALUATION_QUEUE,
      limit: 10,
      leaseMs: 60_000,
      now: clock,
    })
    expect(held.map((j) => j.type)).toEqual(['evaluate.span'])
    await first.send('never-claimed')
    await first.stop()

    clock += 30_000
    const second = await start(dir, now)
    await second.drain()
    // the second span's jobs were only in the file; the held job waits for its lease to expire
    expect(await piiScores(second, 'never-claimed')).not.toEqual([])
    expect(await piiScores(second, 'before-stop')).toEqual([])
    clock += 30_000
    await second.drain()
    const scores = await piiScores(second, 'before-stop')
    expect(scores.length).toBeGreaterThan(0)
    expect(scores[0]).toMatchObject({
      source: 'heuristic',
      evaluatorVersion: expect.stringMatching(/^1:/),
    })
    expect(await second.storage.jobs.counts({ queue: EVALUATION_QUEUE })).toMatchObject({
      pending: 0,
      running: 0,
      dead: 0,
    })
    await second.stop()
  })

  it('keeps dead letters and evaluator versions across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-eval-restart-'))
    dirs.push(dir)
    let clock = T0
    const now = () => clock
    const first = await start(dir, now)
    await first.evaluation.engine.settings.put(P, { name: 'pii', kind: 'pii' })
    await first.evaluation.engine.settings.put(P, {
      name: 'pii',
      kind: 'pii',
      sampling: { rate: 0.5 },
    })
    await first.storage.jobs.enqueue({
      jobs: [
        { id: 'broken', queue: EVALUATION_QUEUE, type: 'evaluate.span', projectId: P, payload: {} },
      ],
      now: clock,
    })
    await first.drain()
    await first.stop()
    clock += 1000
    const second = await start(dir, now)
    expect(await second.storage.jobs.get('broken')).toMatchObject({ state: 'dead', attempts: 1 })
    expect((await second.evaluation.engine.settings.get(P, 'pii'))?.version).toBe(2)
    expect((await second.evaluation.engine.settings.get(P, 'pii', 1))?.setting.sampling.rate).toBe(
      1,
    )
    await second.stop()
  })
})
