import { Pool } from 'undici'

/** One keep-alive connection pool per upstream origin, created on first use. */
export interface UpstreamPools {
  get(origin: string): Pool
  /** Open connections and requests in flight per origin (for tests and health). */
  stats(): Record<string, { connected: number; running: number; pending: number }>
  /** Finishes in-flight requests, then closes every connection. */
  close(): Promise<void>
}

/** Creates the pools; connect timeout is fixed, response timeouts are per request. */
export function createUpstreamPools(options: { connectTimeoutMs?: number } = {}): UpstreamPools {
  const pools = new Map<string, Pool>()
  return {
    get(origin) {
      let pool = pools.get(origin)
      if (pool === undefined) {
        pool = new Pool(origin, {
          pipelining: 1,
          connect: { timeout: options.connectTimeoutMs ?? 10_000 },
        })
        pools.set(origin, pool)
      }
      return pool
    },
    stats() {
      const out: Record<string, { connected: number; running: number; pending: number }> = {}
      for (const [origin, pool] of pools) {
        const { connected, running, pending } = pool.stats
        out[origin] = { connected, running, pending }
      }
      return out
    },
    async close() {
      const all = [...pools.values()]
      pools.clear()
      await Promise.all(all.map((pool) => pool.close()))
    },
  }
}
