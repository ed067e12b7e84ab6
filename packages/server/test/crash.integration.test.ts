import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { exited, spawnServe } from './serve-process.js'

const KEY = 'vk_crash_test_key'
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }

function batch(worker: number, n: number) {
  const spans = Array.from({ length: 20 }, (_, i) => ({
    traceId: `w${worker}-b${n}`,
    spanId: `s${i}`,
    name: 'chat',
    kind: 'generation',
    startTime: Date.UTC(2026, 10, 1) + n,
    requestModel: 'gpt-4o-mini',
    input: [{ role: 'user', content: 'x'.repeat(1500) }],
    output: [{ role: 'assistant', content: 'y'.repeat(800) }],
    usage: { input: 400, output: 200 },
  }))
  return { traceId: `w${worker}-b${n}`, body: JSON.stringify({ spans }) }
}

/** Sends batches until the server dies; returns the trace ids it acknowledged. */
async function loadUntilDeath(url: string, worker: number, acked: string[]): Promise<string[]> {
  for (let n = 0; n < 100_000; n += 1) {
    const { traceId, body } = batch(worker, n)
    try {
      const res = await fetch(`${url}/api/v1/ingest`, { method: 'POST', headers, body })
      if (res.status === 200) acked.push(traceId)
      else await res.arrayBuffer()
    } catch {
      return acked
    }
  }
  return acked
}

describe('crash safety', () => {
  const dirs: string[] = []
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true })
  })

  it('keeps every acknowledged span across kill -9', { timeout: 180_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'vigil-crash-'))
    dirs.push(dataDir)
    const first = await spawnServe({ dataDir, apiKey: KEY })
    const acked: string[] = []
    const load = Promise.all([1, 2, 3, 4].map((w) => loadUntilDeath(first.url, w, acked)))
    // pull the plug mid-load, once many group commits have been acknowledged
    const deadline = Date.now() + 60_000
    while (acked.length < 60 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    first.child.kill('SIGKILL')
    await exited(first.child)
    await load
    expect(acked.length).toBeGreaterThanOrEqual(60)

    const second = await spawnServe({ dataDir, apiKey: KEY })
    try {
      const missing: string[] = []
      for (const traceId of acked) {
        const res = await fetch(`${second.url}/api/v1/traces/${traceId}`, { headers })
        const body = (await res.json()) as { spans?: unknown[] }
        if (res.status !== 200 || body.spans?.length !== 20) missing.push(traceId)
      }
      expect(missing).toEqual([])
    } finally {
      second.child.kill('SIGTERM')
      await exited(second.child)
    }
  })

  it('finishes in-flight commits on SIGTERM before exiting', { timeout: 180_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'vigil-term-'))
    dirs.push(dataDir)
    const first = await spawnServe({ dataDir, apiKey: KEY })
    const requests = Array.from({ length: 30 }, (_, n) => batch(9, n)).map(({ traceId, body }) =>
      fetch(`${first.url}/api/v1/ingest`, { method: 'POST', headers, body }).then(
        async (res) => ({ traceId, status: res.status, text: await res.text() }),
        () => ({ traceId, status: 0, text: '' }),
      ),
    )
    await new Promise((resolve) => setTimeout(resolve, 50))
    first.child.kill('SIGTERM')
    const results = await Promise.all(requests)
    await exited(first.child)
    expect(first.child.exitCode).toBe(0)
    const acked = results.filter((r) => r.status === 200).map((r) => r.traceId)
    const second = await spawnServe({ dataDir, apiKey: KEY })
    try {
      for (const traceId of acked) {
        const res = await fetch(`${second.url}/api/v1/traces/${traceId}`, { headers })
        expect(res.status).toBe(200)
      }
    } finally {
      second.child.kill('SIGTERM')
      await exited(second.child)
    }
  })
})
