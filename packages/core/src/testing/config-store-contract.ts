import { describe, expect, it } from 'vitest'
import type { ConfigStore } from '../ports/config-store.js'

/** The behaviour every ConfigStore must have; `open` returns an empty store. */
export function describeConfigStoreContract(name: string, open: () => Promise<ConfigStore>): void {
  describe(`config store contract: ${name}`, () => {
    const at = { projectId: 'p1', kind: 'evaluator', id: 'pii' }

    it('appends versions and returns the latest or a given one', async () => {
      const store = await open()
      const v1 = await store.put({ ...at, value: { rate: 0.1 }, now: 1 })
      const v2 = await store.put({ ...at, value: { rate: 0.5 }, now: 2 })
      expect([v1.version, v2.version]).toEqual([1, 2])
      expect((await store.get(at))?.value).toEqual({ rate: 0.5 })
      expect((await store.get({ ...at, version: 1 }))?.value).toEqual({ rate: 0.1 })
      expect(await store.get({ ...at, version: 9 })).toBeNull()
    })

    it('lists the latest live version per id, scoped to project and kind', async () => {
      const store = await open()
      await store.put({ ...at, value: 1, now: 1 })
      await store.put({ ...at, value: 2, now: 2 })
      await store.put({ ...at, id: 'tox', value: { x: [1, 'a', null] }, now: 3 })
      await store.put({ ...at, projectId: 'p2', value: 3, now: 4 })
      await store.put({ ...at, kind: 'other', value: 4, now: 5 })
      const list = await store.list({ projectId: 'p1', kind: 'evaluator' })
      expect(list.map((r) => [r.id, r.version, r.value]).sort()).toEqual([
        ['pii', 2, 2],
        ['tox', 1, { x: [1, 'a', null] }],
      ])
    })

    it('deletes with a tombstone that keeps old versions readable', async () => {
      const store = await open()
      await store.put({ ...at, value: 'a', now: 1 })
      expect(await store.delete({ ...at, now: 2 })).toBe(true)
      expect(await store.delete({ ...at, now: 3 })).toBe(false)
      expect(await store.get(at)).toBeNull()
      expect((await store.get({ ...at, version: 1 }))?.value).toBe('a')
      expect(await store.list({ projectId: 'p1', kind: 'evaluator' })).toEqual([])
      const again = await store.put({ ...at, value: 'b', now: 4 })
      expect(again.version).toBe(3)
    })
  })
}
