/**
 * bench/ingest: (a) raw append rate of the DuckDB adapter called directly vs (b) end-to-end
 * HTTP ingest through a `vigil serve` child process (acknowledged after commit), on the same
 * spans in one run, plus the server's peak RSS and the CPU each side spends per span (all
 * threads: the append's process in (a), the server's in (b)). Run:
 * npx tsx bench/ingest/run.ts [--count N]
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { spanInputSchema, toSpan, type SpanInput } from '@vigil/core'
import { Pool } from 'undici'
import { openStorage } from '@vigil/server'
import { exited, spawnServe } from '../../packages/server/test/serve-process.js'
import { cpuMsOf, memoryMbOf } from '../process-stats.js'
import { makeRealisticSpans } from './spans.js'

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '500' },
    // (a) appends in the server's own transaction size (the committer's maxBatchRows): with
    // 2,048-row row groups a 4,000-row commit writes a full group straight to the file, and
    // smaller batches append measurably slower, which would flatter the ratio
    'commit-batch': { type: 'string', default: '4000' },
    concurrency: { type: 'string', default: '8' },
  },
})
const COUNT = Number(values.count)
const BATCH = Number(values.batch)
const COMMIT_BATCH = Number(values['commit-batch'])
const CONCURRENCY = Number(values.concurrency)
const CHUNK = 10_000
const KEY = 'vk_bench_ingest'

/** The same deterministic spans for both runs, generated a chunk at a time to bound memory. */
function* chunks(): Generator<SpanInput[]> {
  for (let done = 0, i = 0; done < COUNT; i += 1) {
    const size = Math.min(CHUNK, COUNT - done)
    yield makeRealisticSpans(size, 42 + i, { startTime: Date.UTC(2026, 10, 8) + i * 3_600_000 })
    done += size
  }
}

/** A rate, and the CPU (all threads of the process doing the work) per 1,000 spans. */
interface Measured {
  rate: number
  cpuMsPer1k: number
}

async function rawAppendRate(): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-raw-'))
  const storage = await openStorage({ kind: 'duckdb', dataDir: dir })
  let appendMs = 0
  let cpuMicros = 0
  for (const chunk of chunks()) {
    const spans = chunk.map((s) =>
      toSpan(spanInputSchema.parse(s), { projectId: 'p_bench', now: Date.now(), source: 'api' }),
    )
    for (let i = 0; i < spans.length; i += COMMIT_BATCH) {
      const cpu0 = process.cpuUsage()
      const t0 = performance.now()
      await storage.events.append({ spans: spans.slice(i, i + COMMIT_BATCH), scores: [] })
      appendMs += performance.now() - t0
      const cpu = process.cpuUsage(cpu0)
      cpuMicros += cpu.user + cpu.system
    }
  }
  await storage.close()
  await rm(dir, { recursive: true, force: true })
  return { rate: COUNT / (appendMs / 1000), cpuMsPer1k: cpuMicros / COUNT }
}

async function httpIngestRate(): Promise<Measured & { peakRssMb: number; retries: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-http-'))
  const server = await spawnServe({
    dataDir: dir,
    apiKey: KEY,
    extraEnv: { VIGIL_LOG_LEVEL: 'warn' },
  })
  const pid = server.child.pid!
  const pool = new Pool(server.url, { connections: CONCURRENCY })
  let retries = 0
  const send = async (body: string): Promise<void> => {
    for (;;) {
      const res = await pool.request({
        method: 'POST',
        path: '/api/v1/ingest',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body,
      })
      await res.body.text()
      if (res.statusCode === 200) return
      if (res.statusCode !== 503 && res.statusCode !== 429)
        throw new Error(`ingest answered ${res.statusCode}`)
      retries += 1
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  // as in (a), only the system under test is timed: generating and serializing the next chunk
  // happens between timed sends, while the server is idle
  let sendMs = 0
  let serverCpuMs = 0
  for (const chunk of chunks()) {
    const bodies: string[] = []
    for (let i = 0; i < chunk.length; i += BATCH)
      bodies.push(JSON.stringify({ spans: chunk.slice(i, i + BATCH) }))
    let next = 0
    const worker = async () => {
      while (next < bodies.length) await send(bodies[next++]!)
    }
    const cpu0 = cpuMsOf(pid)
    const t0 = performance.now()
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    sendMs += performance.now() - t0
    serverCpuMs += cpuMsOf(pid) - cpu0
  }
  const seconds = sendMs / 1000
  // the kernel's high-water mark: no sample can be above it
  const peakRssMb = memoryMbOf(pid).peak
  await pool.close()
  server.child.kill('SIGTERM')
  await exited(server.child)
  await rm(dir, { recursive: true, force: true })
  return {
    rate: COUNT / seconds,
    cpuMsPer1k: (serverCpuMs * 1000) / COUNT,
    peakRssMb,
    retries,
  }
}

const raw = await rawAppendRate()
const http = await httpIngestRate()
const ratio = http.rate / raw.rate
console.log(
  `spans: ${COUNT} (1–4 KB prompts, 0.5–2 KB outputs), HTTP batch ${BATCH}, concurrency ${CONCURRENCY}`,
)
const cpu = (m: Measured) => `${m.cpuMsPer1k.toFixed(0)} ms CPU per 1k spans`
console.log(
  `(a) raw DuckDB append (batches of ${COMMIT_BATCH}): ${raw.rate.toFixed(0)} spans/s, ${cpu(raw)}`,
)
console.log(
  `(b) HTTP ingest, acknowledged after commit:     ${http.rate.toFixed(0)} spans/s, ${cpu(http)} (${http.retries} 503 retries)`,
)
console.log(`ratio (b)/(a): ${(ratio * 100).toFixed(1)}%  (target ≥ 70%)`)
// where the server's CPU goes: the append itself vs parsing, validation, GC and HTTP around it
console.log(
  `CPU (a)/(b): ${((raw.cpuMsPer1k / http.cpuMsPer1k) * 100).toFixed(1)}%  (the share of the server's work that is the append itself)`,
)
console.log(`server peak RSS: ${http.peakRssMb.toFixed(0)} MB  (target ≤ 500 MB)`)
