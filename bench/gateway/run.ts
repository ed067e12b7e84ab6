// Gateway overhead: direct to the fake provider vs through Vigil vs through Portkey's OSS
// gateway, all on loopback, in separate processes. Run: npx tsx bench/gateway/run.ts
// Options: --storage duckdb|memory (default duckdb), --rounds N (default 3), --quick.
// "bare node proxy" is the floor: a process that forwards and records nothing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createConnection } from 'node:net'
import { loadavg } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { cpuMsOf, memoryMbOf } from '../process-stats.js'
import { quantile, runLoad } from './loadgen.js'

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = resolve(HERE, '../..')
const VIGIL_KEY = 'vk_bench_default_project_key'
const PROVIDER_KEY = 'sk-bench-provider-key'

const { values } = parseArgs({
  options: {
    storage: { type: 'string', default: 'duckdb' },
    rounds: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
  },
})
const ROUNDS = Number(values.rounds)
const C1 = values.quick ? 500 : 2000
const C50 = values.quick ? 4000 : 20000
const C50_PORTKEY = values.quick ? 1500 : 6000

interface Started {
  child: ChildProcess
  info: Record<string, string>
}

/** Starts a child and waits for its first stdout line (JSON with its URLs). */
function startChild(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  })
  return new Promise((resolvePromise, reject) => {
    let buffered = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const line = buffered.split('\n')[0]
      if (buffered.includes('\n')) {
        child.stdout!.removeAllListeners('data')
        child.stdout!.resume()
        resolvePromise({ child, info: JSON.parse(line!) })
      }
    })
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)))
  })
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    const ok = await new Promise<boolean>((done) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.end()
        done(true)
      })
      socket.once('error', () => done(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`)
}

async function startPortkey(port: number): Promise<ChildProcess> {
  const script = join(ROOT, 'node_modules/@portkey-ai/gateway/build/start-server.js')
  const child = spawn(
    process.execPath,
    ['--import', join(HERE, 'portkey-preload.mjs'), script, `--port=${port}`, '--headless'],
    { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' }, stdio: 'ignore' },
  )
  await waitForPort(port)
  return child
}

/** Every server must listen on loopback only. */
function assertLoopbackOnly(ports: number[]): void {
  const out = spawnSync('ss', ['-ltnH'], { encoding: 'utf8' }).stdout ?? ''
  for (const port of ports) {
    const lines = out.split('\n').filter((l) => new RegExp(`:${port}\\s`).test(l))
    const wide = lines.filter((l) => !l.includes(`127.0.0.1:${port}`))
    if (lines.length === 0 || wide.length > 0) throw new Error(`port ${port} is not loopback-only`)
  }
}

const BODY = (stream: boolean) =>
  JSON.stringify({
    model: 'gpt-4o-mini',
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
    messages: [
      { role: 'system', content: 'You are a helpful assistant for a support team. '.repeat(10) },
      {
        role: 'user',
        content: `Summarise: ${'the quick brown fox jumps over the lazy dog '.repeat(20)}`,
      },
    ],
  })

interface Target {
  name: string
  url: string
  path: string
  headers: Record<string, string>
  c50: number
  /** The process that serves this target (its CPU time per request is reported). */
  pid: number
  /** Waits until the target finished its background work for the requests sent (recording). */
  settle?: () => Promise<unknown>
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const fmt = (n: number, digits = 2) => n.toFixed(digits).padStart(8)

async function measure(targets: Target[], stream: boolean) {
  const body = BODY(stream)
  const spec = (t: Target, requests: number, concurrency: number) => ({
    url: t.url,
    path: t.path,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${PROVIDER_KEY}`,
      ...t.headers,
    },
    body,
    requests,
    concurrency,
  })
  for (const t of targets) await runLoad(spec(t, 500, 10)) // warm-up: JIT, pools, caches
  // background work left from earlier runs (recording) must not land in the latency rounds
  for (const t of targets) await t.settle?.()
  const c1 = new Map<string, { p50: number[]; p99: number[] }>(
    targets.map((t) => [t.name, { p50: [], p99: [] }]),
  )
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const t of targets) {
      await t.settle?.()
      const r = await runLoad(spec(t, C1, 1))
      if (r.errors > 0) throw new Error(`${t.name}: ${r.errors} bad responses`)
      c1.get(t.name)!.p50.push(quantile(r.latencies, 0.5))
      c1.get(t.name)!.p99.push(quantile(r.latencies, 0.99))
    }
  }
  const rps = new Map<string, number>()
  const cpu = new Map<string, number>()
  for (const t of targets) {
    await runLoad(spec(t, Math.min(2000, t.c50), 50))
    await t.settle?.()
    const before = cpuMsOf(t.pid)
    const r = await runLoad(spec(t, t.c50, 50))
    await t.settle?.()
    cpu.set(t.name, (cpuMsOf(t.pid) - before) / t.c50)
    if (r.errors > 0) throw new Error(`${t.name}: ${r.errors} bad responses at concurrency 50`)
    rps.set(t.name, r.rps)
  }
  return { c1, rps, cpu }
}

function report(mode: string, targets: Target[], result: Awaited<ReturnType<typeof measure>>) {
  const direct = result.c1.get('direct')!
  console.log(
    `\n${mode}: latency at concurrency 1 (median of ${ROUNDS} rounds × ${C1}), max RPS at concurrency 50`,
  )
  console.log('target                 p50 ms   p99 ms  +p50 ms  +p99 ms   RPS@c50  CPU ms/req')
  for (const t of targets) {
    const m = result.c1.get(t.name)!
    const added = (q: 'p50' | 'p99') => median(m[q].map((v, i) => v - direct[q][i]!))
    console.log(
      `${t.name.padEnd(20)} ${fmt(median(m.p50))} ${fmt(median(m.p99))} ${fmt(added('p50'))} ${fmt(added('p99'))} ${fmt(result.rps.get(t.name)!, 0).padStart(9)} ${fmt(result.cpu.get(t.name)!, 3).padStart(11)}`,
    )
  }
  const ratio = result.rps.get('vigil')! / result.rps.get('portkey')!
  const cpuRatio = result.cpu.get('portkey')! / result.cpu.get('vigil')!
  console.log(`Vigil / Portkey throughput at concurrency 50: ${ratio.toFixed(1)}×`)
  console.log(
    `Portkey / Vigil CPU per request (gateway process, all threads): ${cpuRatio.toFixed(1)}×`,
  )
  console.log(
    '(CPU ms/req of "direct" is the fake provider\'s; the others are the gateway process\'s)',
  )
}

async function main(): Promise<void> {
  console.log(
    `loadavg at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (2 cores, shared)`,
  )
  const tsx = ['--import', 'tsx']
  const fake = await startChild([...tsx, join(HERE, 'fake-child.ts')])
  const vigil = await startChild([
    ...tsx,
    join(HERE, 'vigil-child.ts'),
    fake.info['url']!,
    values.storage,
    VIGIL_KEY,
  ])
  const bare = await startChild([...tsx, join(HERE, 'bare-proxy-child.ts'), fake.info['url']!])
  const portkeyPort = 40000 + Math.floor(Math.random() * 20000)
  const portkey = await startPortkey(portkeyPort)
  const children = [fake.child, vigil.child, bare.child, portkey]
  try {
    const urls = [
      fake.info['url']!,
      vigil.info['url']!,
      vigil.info['routedUrl']!,
      bare.info['url']!,
    ]
    assertLoopbackOnly([...urls.map((u) => Number(new URL(u).port)), portkeyPort])
    const proxyHeaders = { 'x-vigil-key': VIGIL_KEY }
    const ask = () =>
      new Promise<Record<string, unknown>>((done) => {
        vigil.child.once('message', (m) => done(m as Record<string, unknown>))
        vigil.child.send('flush')
      })
    const targets: Target[] = [
      {
        name: 'direct',
        url: urls[0]!,
        path: '/v1/chat/completions',
        headers: {},
        c50: C50,
        pid: fake.child.pid!,
      },
      {
        name: 'vigil',
        url: urls[1]!,
        path: '/proxy/openai/v1/chat/completions',
        headers: proxyHeaders,
        c50: C50,
        pid: vigil.child.pid!,
        settle: ask,
      },
      {
        name: 'vigil (Fastify route)',
        url: urls[2]!,
        path: '/proxy/openai/v1/chat/completions',
        headers: proxyHeaders,
        c50: C50,
        pid: vigil.child.pid!,
        settle: ask,
      },
      {
        // the floor: one more Node process that records nothing (bare-proxy-child.ts)
        name: 'bare node proxy',
        url: urls[3]!,
        path: '/v1/chat/completions',
        headers: {},
        c50: C50,
        pid: bare.child.pid!,
      },
      {
        name: 'portkey',
        pid: portkey.pid!,
        url: `http://127.0.0.1:${portkeyPort}`,
        path: '/v1/chat/completions',
        headers: { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${urls[0]!}/v1` },
        c50: C50_PORTKEY,
      },
    ]
    for (const stream of [false, true]) {
      report(stream ? 'streaming' : 'non-streaming', targets, await measure(targets, stream))
    }
    const memory = memoryMbOf(vigil.child.pid!)
    const last = await ask()
    console.log(
      `\nVigil RSS now ${memory.rss.toFixed(0)} MB, peak ${memory.peak.toFixed(0)} MB ` +
        `(storage: ${values.storage}); at the end ${JSON.stringify(last['memoryMb'])} MB`,
    )
    console.log(`Vigil recording: ${JSON.stringify(last['stats'])}`)
    console.log(
      `loadavg at end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    )
  } finally {
    for (const child of children) child.kill('SIGTERM')
  }
}

await main()
