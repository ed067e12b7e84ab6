/**
 * Measures the DuckDB adapter's raw append rate and the process RSS on realistic spans:
 *
 *   npx tsx packages/server/src/storage/duckdb/measure-append.ts --spans 1000000 --batch 1000
 *
 * Spans come from bench/ingest/spans.ts, pass through JSON (as an HTTP body would) and the
 * wire schema, then are appended one batch at a time, as the group-commit loop does. Only the
 * `append` calls are timed; generation is reported separately. Prints one JSON line.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { spanInputSchema, toSpan, type Span } from '@vigil/core'
import { makeRealisticSpans } from '../../../../../bench/ingest/spans.js'
import { openDuckDbStorage } from './index.js'

const { values: args } = parseArgs({
  options: {
    spans: { type: 'string', default: '200000' },
    batch: { type: 'string', default: '1000' },
    memory: { type: 'string' },
    checkpoint: { type: 'string' },
    threads: { type: 'string' },
    dir: { type: 'string' },
  },
})

function realisticBatch(size: number, seed: number): Span[] {
  const wire: unknown = JSON.parse(JSON.stringify(makeRealisticSpans(size, seed)))
  return (wire as unknown[]).map((w, i) =>
    toSpan(spanInputSchema.parse(w), {
      projectId: `proj_${(seed + i) % 3}`,
      now: Date.now(),
      source: 'api',
    }),
  )
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0

async function main(): Promise<void> {
  const total = Number(args.spans)
  const batch = Number(args.batch)
  const dir = args.dir ?? mkdtempSync(join(tmpdir(), 'vigil-measure-'))
  const path = join(dir, 'measure.duckdb')
  const storage = await openDuckDbStorage({
    path,
    ...(args.memory ? { memoryLimit: args.memory } : {}),
    ...(args.checkpoint ? { checkpointThreshold: args.checkpoint } : {}),
    ...(args.threads ? { threads: Number(args.threads) } : {}),
  })
  let genMs = 0
  let bytes = 0
  let maxRss = 0
  const latencies: number[] = []
  let cpuMicros = 0
  for (let seed = 0; seed * batch < total; seed += 1) {
    const g0 = performance.now()
    const spans = realisticBatch(Math.min(batch, total - seed * batch), seed)
    genMs += performance.now() - g0
    for (const s of spans) bytes += JSON.stringify(s).length
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    await storage.events.append({ spans, scores: [] })
    latencies.push(performance.now() - t0)
    const cpu = process.cpuUsage(cpu0)
    cpuMicros += cpu.user + cpu.system
    maxRss = Math.max(maxRss, process.memoryUsage().rss)
    if ((seed + 1) % 100 === 0) {
      process.stderr.write(`${(seed + 1) * batch} spans, rss ${Math.round(maxRss / 1e6)} MB\n`)
    }
  }
  const appendMs = latencies.reduce((a, b) => a + b, 0)
  const c0 = performance.now()
  await storage.close()
  const closeMs = performance.now() - c0
  const sorted = [...latencies].sort((a, b) => a - b)
  const result = {
    spans: total,
    batch,
    memoryLimit: args.memory ?? 'default',
    checkpointThreshold: args.checkpoint ?? 'default',
    avgSpanBytes: Math.round(bytes / total),
    appendRowsPerSec: Math.round(total / (appendMs / 1000)),
    // CPU of all threads (JS and DuckDB) per 1k spans: steadier than wall time on a shared box
    appendCpuMsPer1k: Math.round(cpuMicros / total),
    appendMsP50: Math.round(percentile(sorted, 0.5)),
    appendMsP99: Math.round(percentile(sorted, 0.99)),
    appendMsMax: Math.round(sorted[sorted.length - 1] ?? 0),
    generateMs: Math.round(genMs),
    closeMs: Math.round(closeMs),
    maxRssMB: Math.round(maxRss / 1e6),
    fileMB: Math.round(statSync(path).size / 1e6),
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
  if (!args.dir) rmSync(dir, { recursive: true, force: true })
}

await main()
