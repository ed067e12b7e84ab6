/**
 * bench/otlp: OTLP/protobuf ingest rate vs native JSON ingest rate for the same spans, each
 * through its own `vigil serve` child (DuckDB, acknowledged after commit), in one run. The
 * OTLP bodies are what the OpenTelemetry JS exporter sends for the same LLM calls written with
 * the GenAI conventions (official serializer); both sides send batches of 512 (the OTel batch
 * processor's default) over 8 connections. Bodies are encoded before timing; rounds alternate
 * native/OTLP so neighbours' load on a shared machine hits both alike.
 * `--storage memory` takes storage out, leaving the receiver's own cost (decode, map, validate).
 * Run: npx tsx bench/otlp/run.ts [--count N] [--rounds N] [--storage duckdb|memory]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Pool } from 'undici'
import { exited, spawnServe } from '../../packages/server/test/serve-process.js'
import { makeRealisticSpans } from '../ingest/spans.js'
import { encodeOtlpProtobuf } from './encode.js'

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '40000' },
    rounds: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '8' },
    storage: { type: 'string', default: 'duckdb' },
  },
})
const COUNT = Number(values.count)
const ROUNDS = Number(values.rounds)
const CONCURRENCY = Number(values.concurrency)
const STORAGE = values.storage
const BATCH = 512
const KEY = 'vk_bench_otlp'

interface Body {
  path: string
  contentType: string
  payload: Uint8Array | string
}

/** The same spans for both sides; `round` shifts ids so no round re-sends stored spans. */
function batches(round: number): { native: Body[]; otlp: Body[]; bytes: [number, number] } {
  const spans = makeRealisticSpans(COUNT, 7 + round, {
    startTime: Date.UTC(2026, 10, 8) + round * 86_400_000,
  })
  const native: Body[] = []
  const otlp: Body[] = []
  let nativeBytes = 0
  let otlpBytes = 0
  for (let i = 0; i < spans.length; i += BATCH) {
    const slice = spans.slice(i, i + BATCH)
    const json = JSON.stringify({ spans: slice })
    const pb = encodeOtlpProtobuf(slice)
    nativeBytes += json.length
    otlpBytes += pb.byteLength
    native.push({ path: '/api/v1/ingest', contentType: 'application/json', payload: json })
    otlp.push({ path: '/v1/traces', contentType: 'application/x-protobuf', payload: pb })
  }
  return { native, otlp, bytes: [nativeBytes, otlpBytes] }
}

/**
 * CPU seconds the server process has used (user + system, its own threads included): on a
 * shared machine this is steadier than wall-clock time, which neighbours' load stretches.
 */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // fields after the command: state is [0], utime [11], stime [12], in clock ticks (100 Hz)
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** Native answers counts; OTLP answers an empty response unless something was rejected. */
function fullyAccepted(body: Body, text: string): boolean {
  if (body.path === '/v1/traces') return text.length === 0
  return (JSON.parse(text) as { rejected: number }).rejected === 0
}

/** Sends every body to a fresh server; spans per second from first send to last answer. */
async function ingestRate(
  bodies: Body[],
): Promise<{ rate: number; cpuRate: number; retries: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-otlp-'))
  // DuckDB puts its temp files in `.tmp` under the working directory: give each server its own
  const cwd = process.cwd()
  process.chdir(dir)
  const server = await spawnServe({
    dataDir: dir,
    apiKey: KEY,
    extraEnv: { VIGIL_LOG_LEVEL: 'warn' },
  })
  process.chdir(cwd)
  const pool = new Pool(server.url, { connections: CONCURRENCY })
  let retries = 0
  const send = async (body: Body): Promise<void> => {
    for (;;) {
      const res = await pool.request({
        method: 'POST',
        path: body.path,
        headers: { authorization: `Bearer ${KEY}`, 'content-type': body.contentType },
        body: body.payload,
      })
      const text = await res.body.text()
      if (res.statusCode === 200 && fullyAccepted(body, text)) return
      if (res.statusCode !== 503 && res.statusCode !== 429) {
        throw new Error(`${body.path} answered ${res.statusCode}: ${text.slice(0, 300)}`)
      }
      retries += 1
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  let next = 0
  const worker = async () => {
    while (next < bodies.length) await send(bodies[next++]!)
  }
  try {
    const pid = server.child.pid!
    const cpu0 = await cpuSeconds(pid)
    const t0 = performance.now()
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    const seconds = (performance.now() - t0) / 1000
    const cpu = (await cpuSeconds(pid)) - cpu0
    return { rate: COUNT / seconds, cpuRate: COUNT / cpu, retries }
  } finally {
    await pool.close()
    server.child.kill('SIGTERM')
    await exited(server.child)
    await rm(dir, { recursive: true, force: true })
  }
}

const results: { native: number; otlp: number; nativeCpu: number; otlpCpu: number }[] = []
let sizes: [number, number] = [0, 0]
for (let round = 0; round < ROUNDS; round += 1) {
  const { native, otlp, bytes } = batches(round)
  sizes = bytes
  const a = await ingestRate(native)
  const b = await ingestRate(otlp)
  results.push({ native: a.rate, otlp: b.rate, nativeCpu: a.cpuRate, otlpCpu: b.cpuRate })
  console.log(
    `round ${round + 1}: native ${a.rate.toFixed(0)} spans/s, OTLP ${b.rate.toFixed(0)} spans/s` +
      ` (${((b.rate / a.rate) * 100).toFixed(1)}%); per server CPU-second: native ${a.cpuRate.toFixed(0)},` +
      ` OTLP ${b.cpuRate.toFixed(0)} (${((b.cpuRate / a.cpuRate) * 100).toFixed(1)}%); 503 retries ${a.retries}/${b.retries}`,
  )
}
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length
const native = mean(results.map((r) => r.native))
const otlp = mean(results.map((r) => r.otlp))
console.log(
  `spans: ${COUNT} per round × ${ROUNDS} (1–4 KB prompts, 0.5–2 KB outputs), batch ${BATCH}, concurrency ${CONCURRENCY}, storage ${STORAGE}`,
)
console.log(
  `bytes per span: native JSON ${(sizes[0] / COUNT).toFixed(0)}, OTLP protobuf ${(sizes[1] / COUNT).toFixed(0)}`,
)
console.log(`(a) native JSON ingest (POST /api/v1/ingest):   ${native.toFixed(0)} spans/s`)
console.log(`(b) OTLP protobuf ingest (POST /v1/traces):     ${otlp.toFixed(0)} spans/s`)
console.log(`ratio (b)/(a), wall clock: ${((otlp / native) * 100).toFixed(1)}%  (target ≥ 60%)`)
const nativeCpu = mean(results.map((r) => r.nativeCpu))
const otlpCpu = mean(results.map((r) => r.otlpCpu))
console.log(
  `spans per server CPU-second: native ${nativeCpu.toFixed(0)}, OTLP ${otlpCpu.toFixed(0)};` +
    ` ratio ${((otlpCpu / nativeCpu) * 100).toFixed(1)}%  (steadier under neighbours' load)`,
)
