import type { AppendBatch, AppendResult, EventStore } from '@vigil/core'
import { makeSpan } from '@vigil/core/testing'
import { describe, expect, it } from 'vitest'
import { createCommitter } from './committer.js'

/** A store whose appends finish only when the test says so (`open` keeps every one). */
function gatedStore() {
  const open: { batch: AppendBatch; finish: (r: AppendResult) => void }[] = []
  let unfinished = 0
  let maxOpen = 0
  const store = {
    append: (batch: AppendBatch) =>
      new Promise<AppendResult>((resolve) => {
        unfinished += 1
        maxOpen = Math.max(maxOpen, unfinished)
        open.push({
          batch,
          finish: (r) => {
            unfinished -= 1
            resolve(r)
          },
        })
      }),
  } as unknown as EventStore
  return { store, open, maxOpen: () => maxOpen }
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve))
const batchOf = (id: string): AppendBatch => ({ spans: [makeSpan({ spanId: id })], scores: [] })

describe('committer', () => {
  it('hands the store at most maxInFlight batches and answers each after its own commit', async () => {
    const g = gatedStore()
    const committer = createCommitter(g.store, { maxInFlight: 2 })
    const answered: string[] = []
    const submit = (id: string) => committer.submit(batchOf(id)).then(() => answered.push(id))
    const first = [submit('a'), submit('b')]
    await tick()
    await tick()
    const later = [submit('c'), submit('d')]
    await tick()
    await tick()
    // a+b share one batch; c+d wait in a second one while the first is still open
    expect(g.open.map((o) => o.batch.spans.map((s) => s.spanId))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ])
    const late = submit('e')
    await tick()
    await tick()
    expect(g.open).toHaveLength(2)
    g.open[1]!.finish({ spansInserted: 2, scoresInserted: 0 })
    await Promise.all(later)
    expect(answered).toEqual(['c', 'd'])
    await tick()
    await tick()
    expect(g.open.map((o) => o.batch.spans.map((s) => s.spanId))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e'],
    ])
    g.open[0]!.finish({ spansInserted: 2, scoresInserted: 0 })
    g.open[2]!.finish({ spansInserted: 1, scoresInserted: 0 })
    await Promise.all([...first, late])
    await committer.drain()
    expect(answered.sort()).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(g.maxOpen()).toBe(2)
    expect(committer.stats()).toMatchObject({ commits: 3, rowsCommitted: 5, pendingRows: 0 })
  })

  it('counts failed commits in a row and starts again from zero after one succeeds', async () => {
    let failing = true
    const store = {
      append: (batch: AppendBatch) =>
        failing
          ? Promise.reject(new Error('Failed to commit: failed to pin block'))
          : Promise.resolve({ spansInserted: batch.spans.length, scoresInserted: 0 }),
    } as unknown as EventStore
    const committer = createCommitter(store)
    for (const id of ['a', 'b', 'c']) {
      await expect(committer.submit(batchOf(id))).rejects.toMatchObject({ code: 'UNAVAILABLE' })
    }
    expect(committer.stats()).toMatchObject({ failures: 3, consecutiveFailures: 3, commits: 0 })
    failing = false
    await committer.submit(batchOf('d'))
    expect(committer.stats()).toMatchObject({ failures: 3, consecutiveFailures: 0, commits: 1 })
  })

  it('retries the requests of a failed merged batch one by one, so only the bad one fails', async () => {
    const appended: string[][] = []
    const store = {
      append: (batch: AppendBatch) => {
        const ids = batch.spans.map((s) => s.spanId)
        appended.push(ids)
        return ids.includes('bad')
          ? Promise.reject(new Error('Conversion Error: cannot store this row'))
          : Promise.resolve({ spansInserted: ids.length, scoresInserted: 0 })
      },
    } as unknown as EventStore
    const errors: unknown[] = []
    const committer = createCommitter(store, { onError: (e) => errors.push(e) })
    const results = await Promise.allSettled(
      ['a', 'bad', 'c'].map((id) => committer.submit(batchOf(id))),
    )
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'UNAVAILABLE' })
    expect(appended).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']])
    expect(errors).toHaveLength(1)
    expect(committer.stats()).toMatchObject({
      commits: 2,
      rowsCommitted: 2,
      failures: 1,
      pendingRows: 0,
    })
  })

  it('keeps committing when the onCommitted hook throws, and reports it', async () => {
    const store = {
      append: (batch: AppendBatch) =>
        Promise.resolve({ spansInserted: batch.spans.length, scoresInserted: 0 }),
    } as unknown as EventStore
    const errors: unknown[] = []
    const committer = createCommitter(store, {
      onCommitted: () => {
        throw new Error('hook failed')
      },
      onError: (e) => errors.push(e),
    })
    await committer.submit(batchOf('a'))
    await committer.submit(batchOf('b'))
    await committer.drain()
    expect(errors.map((e) => (e as Error).message)).toEqual(['hook failed', 'hook failed'])
    expect(committer.stats()).toMatchObject({ commits: 2, failures: 0, pendingRows: 0 })
  })
})
