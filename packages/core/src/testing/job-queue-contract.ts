import { afterEach, describe, expect, it } from 'vitest'
import type { NewJob } from '../ports/job-queue.js'
import type { Storage } from '../ports/storage.js'
import { makeSpan } from './fixtures.js'
import type { StorageContractOptions } from './storage-contract.js'

const T0 = Date.UTC(2026, 10, 3, 0, 0, 0)

const job = (id: string, overrides: Partial<NewJob> = {}): NewJob => ({
  id,
  queue: 'evaluation',
  type: 'evaluate.span',
  projectId: 'p1',
  payload: { traceId: 't1', nested: { list: [1, 'two', null, true] } },
  runAt: T0,
  ...overrides,
})

/** The behaviour every JobQueue adapter must have, including the outbox in EventStore.append. */
export function describeJobQueueContract(name: string, options: StorageContractOptions): void {
  describe(`job queue contract: ${name}`, () => {
    let storage: Storage | undefined
    const open = async (): Promise<Storage> => {
      storage = await options.open()
      return storage
    }
    afterEach(async () => {
      await storage?.close()
      storage = undefined
    })

    it('enqueues idempotently by id and round-trips the payload', async () => {
      const { jobs } = await open()
      expect(await jobs.enqueue({ jobs: [job('a'), job('a'), job('b')], now: T0 })).toBe(2)
      expect(await jobs.enqueue({ jobs: [job('a', { payload: 'changed' })], now: T0 })).toBe(0)
      const a = await jobs.get('a')
      expect(a).toMatchObject({ id: 'a', state: 'pending', attempts: 0, runAt: T0 })
      expect(a?.payload).toEqual({ traceId: 't1', nested: { list: [1, 'two', null, true] } })
      expect(a?.leaseUntil).toBeNull()
      expect(a?.lastError).toBeNull()
      expect(await jobs.get('missing')).toBeNull()
    })

    it('claims due jobs of one queue, oldest first, up to the limit, once per lease', async () => {
      const { jobs } = await open()
      await jobs.enqueue({
        jobs: [
          job('late', { runAt: T0 + 5_000 }),
          job('second', { runAt: T0 + 2 }),
          job('first', { runAt: T0 + 1 }),
          job('third', { runAt: T0 + 3 }),
          job('other-queue', { queue: 'rollups' }),
        ],
        now: T0,
      })
      const claimed = await jobs.claim({
        queue: 'evaluation',
        limit: 2,
        leaseMs: 1000,
        now: T0 + 10,
      })
      expect(claimed.map((j) => j.id)).toEqual(['first', 'second'])
      expect(claimed[0]).toMatchObject({ state: 'running', attempts: 1, leaseUntil: T0 + 1010 })
      const next = await jobs.claim({ queue: 'evaluation', limit: 5, leaseMs: 1000, now: T0 + 20 })
      expect(next.map((j) => j.id)).toEqual(['third'])
      expect(
        await jobs.claim({ queue: 'evaluation', limit: 5, leaseMs: 1000, now: T0 + 30 }),
      ).toEqual([])
    })

    it('lets another worker take over an expired lease and fences the stale claim', async () => {
      const { jobs } = await open()
      await jobs.enqueue({ jobs: [job('x')], now: T0 })
      const [first] = await jobs.claim({ queue: 'evaluation', limit: 1, leaseMs: 100, now: T0 })
      expect(
        await jobs.claim({ queue: 'evaluation', limit: 1, leaseMs: 100, now: T0 + 99 }),
      ).toEqual([])
      const [second] = await jobs.claim({
        queue: 'evaluation',
        limit: 1,
        leaseMs: 100,
        now: T0 + 100,
      })
      expect(second?.attempts).toBe(2)
      expect(await jobs.complete({ id: 'x', attempt: first!.attempts, now: T0 + 101 })).toBe(false)
      expect(await jobs.complete({ id: 'x', attempt: second!.attempts, now: T0 + 102 })).toBe(true)
      expect(await jobs.get('x')).toMatchObject({
        state: 'done',
        leaseUntil: null,
        updatedAt: T0 + 102,
      })
      expect(await jobs.complete({ id: 'x', attempt: 2, now: T0 + 103 })).toBe(false)
    })

    it('retries a failed job at its retry time and dead-letters when told to', async () => {
      const { jobs } = await open()
      await jobs.enqueue({ jobs: [job('r')], now: T0 })
      const claim = async (now: number) =>
        jobs.claim({ queue: 'evaluation', limit: 1, leaseMs: 1000, now })
      await claim(T0)
      expect(
        await jobs.fail({ id: 'r', attempt: 1, now: T0 + 1, error: 'timeout', retryAt: T0 + 500 }),
      ).toBe(true)
      expect(await jobs.get('r')).toMatchObject({
        state: 'pending',
        runAt: T0 + 500,
        lastError: 'timeout',
      })
      expect(await claim(T0 + 499)).toEqual([])
      const [again] = await claim(T0 + 500)
      expect(again?.attempts).toBe(2)
      expect(
        await jobs.fail({ id: 'r', attempt: 1, now: T0 + 501, error: 'stale', retryAt: null }),
      ).toBe(false)
      expect(
        await jobs.fail({ id: 'r', attempt: 2, now: T0 + 502, error: 'gave up', retryAt: null }),
      ).toBe(true)
      expect(await jobs.get('r')).toMatchObject({
        state: 'dead',
        lastError: 'gave up',
        attempts: 2,
      })
      expect(await claim(T0 + 10_000)).toEqual([])
    })

    it('puts a dead job back to pending on retry, scoped to its project', async () => {
      const { jobs } = await open()
      await jobs.enqueue({ jobs: [job('d')], now: T0 })
      await jobs.claim({ queue: 'evaluation', limit: 1, leaseMs: 1000, now: T0 })
      await jobs.fail({ id: 'd', attempt: 1, now: T0 + 1, error: 'boom', retryAt: null })
      expect(await jobs.retry({ id: 'd', projectId: 'p2', now: T0 + 2 })).toBe(false)
      expect(await jobs.retry({ id: 'd', projectId: 'p1', now: T0 + 3 })).toBe(true)
      expect(await jobs.get('d')).toMatchObject({ state: 'pending', attempts: 0, runAt: T0 + 3 })
      expect(await jobs.retry({ id: 'd', projectId: 'p1', now: T0 + 4 })).toBe(false)
      const [claimed] = await jobs.claim({
        queue: 'evaluation',
        limit: 1,
        leaseMs: 1000,
        now: T0 + 5,
      })
      expect(claimed?.attempts).toBe(1)
    })

    it('lists newest change first by state, queue and project, and counts by state', async () => {
      const { jobs } = await open()
      await jobs.enqueue({
        jobs: [job('j1'), job('j2'), job('j3', { projectId: 'p2' }), job('j4', { queue: 'q2' })],
        now: T0,
      })
      await jobs.claim({ queue: 'evaluation', limit: 2, leaseMs: 1000, now: T0 + 1 })
      await jobs.fail({ id: 'j1', attempt: 1, now: T0 + 2, error: 'e', retryAt: null })
      await jobs.complete({ id: 'j2', attempt: 1, now: T0 + 3 })
      const ids = async (f: Parameters<typeof jobs.list>[0]) =>
        (await jobs.list(f)).map((j) => j.id)
      expect(await ids({ projectId: 'p1', queue: 'evaluation', limit: 10 })).toEqual(['j2', 'j1'])
      expect(await ids({ state: 'dead', limit: 10 })).toEqual(['j1'])
      expect(await ids({ projectId: 'p2', limit: 10 })).toEqual(['j3'])
      expect(await ids({ queue: 'q2', limit: 10 })).toEqual(['j4'])
      expect(await ids({ limit: 1 })).toEqual(['j2'])
      expect(await jobs.counts({ projectId: 'p1' })).toEqual({
        pending: 1,
        running: 0,
        done: 1,
        dead: 1,
      })
      expect(await jobs.counts({})).toEqual({ pending: 2, running: 0, done: 1, dead: 1 })
    })

    it('prunes only done jobs older than the cut-off', async () => {
      const { jobs } = await open()
      await jobs.enqueue({ jobs: [job('old'), job('new'), job('dead'), job('waiting')], now: T0 })
      await jobs.claim({ queue: 'evaluation', limit: 3, leaseMs: 1000, now: T0 })
      await jobs.complete({ id: 'old', attempt: 1, now: T0 + 1 })
      await jobs.complete({ id: 'new', attempt: 1, now: T0 + 100 })
      await jobs.fail({ id: 'dead', attempt: 1, now: T0 + 1, error: 'x', retryAt: null })
      expect(await jobs.prune({ before: T0 + 50 })).toBe(1)
      expect(await jobs.get('old')).toBeNull()
      expect((await jobs.list({ limit: 10 })).map((j) => j.id).sort()).toEqual([
        'dead',
        'new',
        'waiting',
      ])
    })

    it('enqueues the jobs of an appended batch with its events (outbox), idempotently', async () => {
      const s = await open()
      const span = makeSpan({ projectId: 'p1', traceId: 'ob', spanId: 's' })
      await s.events.append({ spans: [span], scores: [], jobs: [job('ob-1')] })
      await s.events.append({ spans: [span], scores: [], jobs: [job('ob-1')] })
      expect(await s.events.getTrace('p1', 'ob')).not.toBeNull()
      expect((await s.jobs.list({ limit: 10 })).map((j) => j.id)).toEqual(['ob-1'])
    })

    if (options.reopen) {
      const reopen = options.reopen
      it('keeps pending, leased and dead jobs across close and reopen', async () => {
        const s = await open()
        await s.events.append({
          spans: [makeSpan({ projectId: 'p1' })],
          scores: [],
          jobs: [job('o')],
        })
        await s.jobs.enqueue({
          jobs: [job('p'), job('lease'), job('dead', { runAt: T0 - 1 })],
          now: T0,
        })
        await s.jobs.claim({ queue: 'evaluation', limit: 2, leaseMs: 1000, now: T0 })
        await s.jobs.fail({ id: 'dead', attempt: 1, now: T0, error: 'x', retryAt: null })
        storage = await reopen(s)
        const counts = await storage.jobs.counts({})
        expect(counts).toEqual({ pending: 2, running: 1, done: 0, dead: 1 })
        const taken = await storage.jobs.claim({
          queue: 'evaluation',
          limit: 10,
          leaseMs: 1000,
          now: T0 + 1000,
        })
        expect(taken.map((j) => j.id).sort()).toEqual(['lease', 'o', 'p'])
      })
    }
  })
}
