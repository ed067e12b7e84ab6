import { Pool } from 'undici'

/** One load run: how many requests, how many at once, what to send. */
export interface LoadSpec {
  url: string
  path: string
  headers: Record<string, string>
  body: string
  requests: number
  concurrency: number
}

/** Latencies (ms, sorted) and throughput of one run; every response is checked. */
export interface LoadResult {
  latencies: number[]
  rps: number
  errors: number
}

/** The load generator refuses anything but loopback, so the bench never leaves the machine. */
function assertLoopback(url: string): void {
  const host = new URL(url).hostname
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') {
    throw new Error(`refusing to load ${url}: loopback only`)
  }
}

/** Sends `requests` requests over `concurrency` keep-alive connections (undici Pool). */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  assertLoopback(spec.url)
  const pool = new Pool(spec.url, { connections: spec.concurrency, pipelining: 1 })
  const latencies: number[] = []
  let next = 0
  let errors = 0
  const worker = async () => {
    while (next < spec.requests) {
      next += 1
      const started = process.hrtime.bigint()
      try {
        const res = await pool.request({
          path: spec.path,
          method: 'POST',
          headers: spec.headers,
          body: spec.body,
        })
        const text = await res.body.text()
        if (res.statusCode !== 200 || text.length < 50) errors += 1
      } catch {
        errors += 1
      }
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6)
    }
  }
  const started = process.hrtime.bigint()
  await Promise.all(Array.from({ length: spec.concurrency }, worker))
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  await pool.close()
  latencies.sort((a, b) => a - b)
  return { latencies, rps: spec.requests / seconds, errors }
}

/** The q-quantile of sorted values (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}
