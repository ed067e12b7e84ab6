import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppError } from '@vigil/core'
import { makeSpan } from '@vigil/core/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { openDuckDbStorage, type ReopenOutcome } from './index.js'

const dir = mkdtempSync(join(tmpdir(), 'vigil-duckdb-reopen-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const batch = (traceId: string, n: number) => ({
  spans: Array.from({ length: n }, (_, i) =>
    makeSpan({ projectId: 'p1', traceId, spanId: `${traceId}-${i}` }),
  ),
  scores: [],
})

const count = async (s: Awaited<ReturnType<typeof openDuckDbStorage>>): Promise<number> =>
  (await s.events.listSpans({ projectId: 'p1', limit: 1000 })).items.length

describe('a store whose commit breaks DuckDB', () => {
  // a failed checkpoint invalidates the database in this process: every later statement fails
  // with "has been invalidated … Detach and reattach it" until it is opened again. Aborting
  // before the header leaves the failed batch out of the file; before the WAL is truncated,
  // the batch is in the file although its COMMIT reported failure.
  it.each([
    ['before_header', 'not stored'],
    ['before_truncate', 'stored anyway'],
  ])(
    'reopens the file when a checkpoint aborts (%s: the failed batch is %s) and every span lands once',
    async (abort) => {
      const path = join(dir, `${abort}.duckdb`)
      // every commit checkpoints
      const options = { path, checkpointThreshold: '1KB' }
      const first = await openDuckDbStorage(options)
      await first.events.append(batch('before', 10))
      await first.close()

      const reopens: ReopenOutcome[] = []
      const s = await openDuckDbStorage(options, {
        onReopen: (o) => reopens.push(o),
        afterOpen: async (c, opening) => {
          if (opening === 0) await c.run(`SET GLOBAL debug_checkpoint_abort = '${abort}'`)
        },
      })
      try {
        const failed = await s.events.append(batch('broken', 20)).catch((e: unknown) => e)
        expect(failed).toBeInstanceOf(AppError)
        expect((failed as AppError).code).toBe('UNAVAILABLE')
        // work that arrives while the store reopens settles one way or the other, never hangs
        const during = await Promise.allSettled([
          s.events.append(batch('during', 3)),
          s.events.listSpans({ projectId: 'p1', limit: 5 }),
          s.meta.listProjects(),
        ])
        expect(during).toHaveLength(3)
        await expect.poll(() => reopens.length).toBe(1)
        expect(reopens[0]!.error).toBeUndefined()
        expect(String(reopens[0]!.cause)).toMatch(/invalidated/)

        // what the committed batch left is readable again, and the client's retry lands once
        expect(await count(s)).toBeGreaterThanOrEqual(10)
        await s.events.append(batch('broken', 20))
        await s.events.append(batch('during', 3))
        await s.events.append(batch('after', 5))
        expect(await count(s)).toBe(38)
        expect((await s.events.getTrace('p1', 'broken'))?.spans).toHaveLength(20)
        expect(reopens).toHaveLength(1)
      } finally {
        await s.close()
      }
      const again = await openDuckDbStorage(options)
      try {
        expect(await count(again)).toBe(38)
      } finally {
        await again.close()
      }
    },
    60_000,
  )
})
