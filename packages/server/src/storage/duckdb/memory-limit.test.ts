import type { DuckDBConnection } from '@duckdb/node-api'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeScore, makeSpan } from '@vigil/core/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { queryRows } from './connections.js'
import { openDuckDbStorage } from './index.js'
import { memoryLimitFor, parseBytes } from './memory-limit.js'
import { readString } from './values.js'

const dir = mkdtempSync(join(tmpdir(), 'vigil-duckdb-memory-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const MIB = 1024 * 1024

describe('memory sizes', () => {
  it('reads sizes in DuckDB units and refuses anything else', () => {
    expect(parseBytes('128MB')).toBe(128e6)
    expect(parseBytes('1GiB')).toBe(1024 * MIB)
    expect(parseBytes(' 1.5 gb ')).toBe(1.5e9)
    expect(parseBytes('62.0 MiB')).toBe(62 * MIB)
    expect(() => parseBytes('lots')).toThrow(/not a memory size: 'lots'/)
    expect(() => parseBytes('12XB')).toThrow(/e\.g\. 128MB/)
  })

  it('gives the indexes room on top of the working memory, in whole MiB', () => {
    expect(memoryLimitFor({ spans: 0, scores: 0 }, 128e6)).toBe(123 * MIB)
    // a million spans: ~61 MiB more, about what their key index holds (~47 bytes a span)
    const million = memoryLimitFor({ spans: 1e6, scores: 0 }, 128e6)
    expect(million - memoryLimitFor({ spans: 0, scores: 0 }, 128e6)).toBe(61 * MIB)
    expect(memoryLimitFor({ spans: 0, scores: 1e6 }, 128e6)).toBeGreaterThan(million)
  })
})

const limitOf = async (c: DuckDBConnection): Promise<number> => {
  const [row] = await queryRows(c, "SELECT current_setting('memory_limit') AS v")
  return parseBytes(readString(row ?? {}, 'v'))
}

describe('fitting memory_limit to the store', () => {
  it('sets the limit for the rows a reopened store already holds, before its first commit', async () => {
    const path = join(dir, 'grown.duckdb')
    const first = await openDuckDbStorage({ path, memoryLimit: '64MB' })
    const spans = Array.from({ length: 20_000 }, (_, i) => makeSpan({ spanId: `s-${i}` }))
    const scores = Array.from({ length: 40 }, (_, i) => makeScore({ scoreId: `sc-${i}` }))
    await first.events.append({ spans, scores })
    await first.close()

    const seen: number[] = []
    const again = await openDuckDbStorage(
      { path, memoryLimit: '64MB' },
      { afterOpen: async (c) => void seen.push(await limitOf(c)) },
    )
    await again.close()
    expect(seen).toEqual([memoryLimitFor({ spans: 20_000, scores: 40 }, 64e6)])
    expect(seen[0]).toBeGreaterThan(memoryLimitFor({ spans: 0, scores: 0 }, 64e6))
  })

  it('raises the limit while the store grows', async () => {
    const limits: number[] = []
    const s = await openDuckDbStorage(
      { path: join(dir, 'growing.duckdb'), memoryLimit: '64MB' },
      { onMemoryLimit: (bytes) => limits.push(bytes), memoryRefreshMs: 20 },
    )
    try {
      expect(limits[0]).toBe(memoryLimitFor({ spans: 0, scores: 0 }, 64e6))
      await s.events.append({
        spans: Array.from({ length: 20_000 }, (_, i) => makeSpan({ spanId: `g-${i}` })),
        scores: [],
      })
      const grown = memoryLimitFor({ spans: 20_000, scores: 0 }, 64e6)
      await expect.poll(() => limits[limits.length - 1], { timeout: 5000 }).toBe(grown)
      expect(grown).toBeGreaterThan(limits[0]!)
    } finally {
      await s.close()
    }
  })
})
