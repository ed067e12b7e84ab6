/**
 * bench/evaluation: what evaluation costs on the embedded store, measured in one run.
 * (a) DuckDB append rate of the same realistic spans without and with the evaluation outbox
 *     (the jobs written in each commit's transaction) — the price ingest pays for durable
 *     evaluation; (b) worker throughput of the offline detectors (pii, toxicity, injection,
 *     refusal) on those spans, end to end: fan-out, evaluation, scores through ingest().
 * Run: npx tsx bench/evaluation/run.ts [--count N] [--evaluate N] [--storage duckdb|memory]
 *   [--skip-append]
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { spanInputSchema, toSpan, type EventStore, type Span } from '@vigil/core'
import { openStorage } from '@vigil/server'
import {
  createEvaluation,
  EVALUATION_QUEUE,
  withEvaluationOutbox,
} from '../../packages/server/src/evaluators/index.js'
import { createCommitter } from '../../packages/server/src/ingest/index.js'
import { createWorker } from '../../packages/server/src/jobs/index.js'
import { createPricing } from '../../packages/server/src/pricing/index.js'
import { makeRealisticSpans } from '../ingest/spans.js'

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    evaluate: { type: 'string', default: '5000' },
    'commit-batch': { type: 'string', default: '2000' },
    storage: { type: 'string', default: 'duckdb' },
    'skip-append': { type: 'boolean', default: false },
  },
})
const STORAGE = values.storage === 'memory' ? 'memory' : 'duckdb'
const COUNT = Number(values.count)
const EVALUATE = Number(values.evaluate)
const COMMIT_BATCH = Number(values['commit-batch'])
const P = 'p_bench'

function spans(count: number, seed: number): Span[] {
  return makeRealisticSpans(count, seed).map((s) =>
    toSpan(spanInputSchema.parse(s), { projectId: P, now: Date.now(), source: 'api' }),
  )
}

async function appendRate(all: Span[], wrap: (e: EventStore) => EventStore): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-eval-'))
  const storage = await openStorage({ kind: 'duckdb', dataDir: dir })
  const events = wrap(storage.events)
  let ms = 0
  for (let i = 0; i < all.length; i += COMMIT_BATCH) {
    const t0 = performance.now()
    await events.append({ spans: all.slice(i, i + COMMIT_BATCH), scores: [] })
    ms += performance.now() - t0
  }
  await storage.close()
  await rm(dir, { recursive: true, force: true })
  return all.length / (ms / 1000)
}

async function evaluationRate(all: Span[]): Promise<{ spansPerSecond: number; scores: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-eval-'))
  const storage = await openStorage({ kind: STORAGE, dataDir: dir })
  const now = Date.now
  const committer = createCommitter(withEvaluationOutbox(storage.events))
  const pricing = createPricing({ configs: storage.configs, now })
  const ingest = { committer, events: storage.events, pricing, now }
  const evaluation = createEvaluation({ storage, ingest, pricing, now })
  for (const kind of ['pii', 'toxicity', 'injection', 'refusal']) {
    await evaluation.engine.settings.put(P, { name: kind, kind })
  }
  for (let i = 0; i < all.length; i += COMMIT_BATCH) {
    await committer.submit({ spans: all.slice(i, i + COMMIT_BATCH), scores: [] })
  }
  const worker = createWorker({
    queue: storage.jobs,
    queueName: EVALUATION_QUEUE,
    handlers: evaluation.engine.handlers,
    concurrency: 8,
  })
  const t0 = performance.now()
  while ((await worker.tick()) > 0);
  await committer.drain()
  const seconds = (performance.now() - t0) / 1000
  const scores = committer.stats().rowsCommitted - all.length
  await evaluation.close()
  await storage.close()
  await rm(dir, { recursive: true, force: true })
  return { spansPerSecond: all.length / seconds, scores }
}

if (!values['skip-append']) {
  const appendSpans = spans(COUNT, 7)
  // both orders, so neither variant always runs on the warmer (or busier) machine
  const plainA = await appendRate(appendSpans, (e) => e)
  const outboxA = await appendRate(appendSpans, withEvaluationOutbox)
  const outboxB = await appendRate(appendSpans, withEvaluationOutbox)
  const plainB = await appendRate(appendSpans, (e) => e)
  const plain = (plainA + plainB) / 2
  const outbox = (outboxA + outboxB) / 2
  console.log(`append without outbox: ${Math.round(plain)} spans/s`)
  console.log(
    `append with outbox:    ${Math.round(outbox)} spans/s (ratio ${(outbox / plain).toFixed(3)})`,
  )
}
const evaluated = await evaluationRate(spans(EVALUATE, 11))
console.log(
  `offline detectors on ${STORAGE} (4 per span, concurrency 8): ${Math.round(evaluated.spansPerSecond)} spans/s (${Math.round(4 * evaluated.spansPerSecond)} evaluator runs/s), ${evaluated.scores} scores for ${EVALUATE} spans`,
)
