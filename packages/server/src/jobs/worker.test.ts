import { AppError, type Job, type JobQueue, type NewJob } from '@vigil/core'
import { describe, expect, it } from 'vitest'
import { MemoryJobQueue } from '../storage/memory/job-queue.js'
import { retryAt, DEFAULT_RETRY_POLICY } from './retry-policy.js'
import { createWorker, type JobHandler, type WorkerOptions } from './worker.js'

const T0 = 1_000_000
const job = (id: string, type = 'work'): NewJob => ({
  id,
  queue: 'q',
  type,
  projectId: 'p',
  payload: { id },
  runAt: T0,
})

function setup(handlers: Record<string, JobHandler>, options: Partial<WorkerOptions> = {}) {
  let clock = T0
  const queue = new MemoryJobQueue()
  const errors: AppError[] = []
  const worker = createWorker({
    queue,
    queueName: 'q',
    handlers,
    now: () => clock,
    random: () => 0.5,
    onError: (e) => errors.push(e),
    ...options,
  })
  return { queue, worker, errors, advance: (ms: number) => (clock += ms), now: () => clock }
}

const done: JobHandler = () => Promise.resolve({ status: 'done' })

describe('retry policy', () => {
  const policy = DEFAULT_RETRY_POLICY
  const err = (code: 'RATE_LIMITED' | 'INVALID_INPUT', retryAfterSeconds?: number) =>
    new AppError(
      code,
      'x',
      retryAfterSeconds === undefined ? {} : { details: { retryAfterSeconds } },
    )

  it('doubles the delay per attempt with equal jitter, up to the cap', () => {
    const at = (attempt: number, random: number) =>
      retryAt(err('RATE_LIMITED'), attempt, { policy, now: 0, random: () => random })
    expect([at(1, 0), at(1, 1)]).toEqual([500, 1000])
    expect([at(3, 0), at(3, 1)]).toEqual([2000, 4000])
    expect(
      retryAt(err('RATE_LIMITED'), 4, {
        policy: { ...policy, maxAttempts: 99 },
        now: 0,
        random: () => 1,
      }),
    ).toBe(8000)
    expect(
      retryAt(err('RATE_LIMITED'), 30, {
        policy: { ...policy, maxAttempts: 99 },
        now: 0,
        random: () => 1,
      }),
    ).toBe(policy.maxDelayMs)
  })

  it('honours Retry-After as a floor, and gives up on the last attempt or a non-retryable code', () => {
    expect(retryAt(err('RATE_LIMITED', 30), 1, { policy, now: 5, random: () => 0 })).toBe(30_005)
    expect(
      retryAt(err('RATE_LIMITED'), policy.maxAttempts, { policy, now: 0, random: () => 0 }),
    ).toBeNull()
    expect(retryAt(err('INVALID_INPUT'), 1, { policy, now: 0, random: () => 0 })).toBeNull()
  })
})

describe('job worker', () => {
  it('never runs more jobs at once than its concurrency', async () => {
    let running = 0
    let peak = 0
    const slow: JobHandler = async () => {
      running += 1
      peak = Math.max(peak, running)
      await new Promise((r) => setTimeout(r, 5))
      running -= 1
      return { status: 'done' }
    }
    const { queue, worker } = setup({ work: slow }, { concurrency: 3, pollMs: 5 })
    await queue.enqueue({ jobs: Array.from({ length: 20 }, (_, i) => job(`j${i}`)), now: T0 })
    worker.start()
    const deadline = Date.now() + 5000
    while ((await queue.counts({})).done < 20 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5))
    }
    await worker.stop()
    expect((await queue.counts({})).done).toBe(20)
    expect(peak).toBe(3)
    expect(worker.stats()).toMatchObject({ claimed: 20, done: 20, inFlight: 0 })
  })

  it('counts skipped outcomes apart and dead-letters unknown job types at once', async () => {
    const { queue, worker } = setup({
      work: () => Promise.resolve({ status: 'skipped', note: 'nothing to do' }),
    })
    await queue.enqueue({ jobs: [job('a'), job('b', 'mystery')], now: T0 })
    await worker.tick()
    expect(worker.stats()).toMatchObject({ skipped: 1, dead: 1 })
    expect(await queue.get('b')).toMatchObject({
      state: 'dead',
      lastError: 'INVALID_INPUT: no handler for job type mystery',
    })
  })

  it('retries until the last attempt, then dead-letters, reporting each failure', async () => {
    const { queue, worker, errors, advance } = setup({
      work: () => Promise.reject(new AppError('UPSTREAM_FAILED', '502 from the judge endpoint')),
    })
    await queue.enqueue({ jobs: [job('f')], now: T0 })
    const runAts: number[] = []
    for (let i = 0; i < DEFAULT_RETRY_POLICY.maxAttempts; i += 1) {
      expect(await worker.tick()).toBe(1)
      const stored = await queue.get('f')
      runAts.push(stored!.runAt - T0)
      advance(10 * 60_000)
    }
    expect(await queue.get('f')).toMatchObject({ state: 'dead', attempts: 5 })
    expect(errors).toHaveLength(5)
    expect(worker.stats()).toMatchObject({ retried: 4, dead: 1 })
    expect(runAts.slice(0, 2)).toEqual([750, 600_000 + 1500])
  })

  it('dead-letters a non-retryable failure on its first attempt', async () => {
    const { queue, worker } = setup({
      work: () => Promise.reject(new AppError('INVALID_INPUT', 'malformed payload')),
    })
    await queue.enqueue({ jobs: [job('bad')], now: T0 })
    await worker.tick()
    expect(await queue.get('bad')).toMatchObject({ state: 'dead', attempts: 1 })
  })

  it('treats a job whose leases kept expiring as dead instead of running it again', async () => {
    const { queue, worker, advance } = setup({ work: done }, { leaseMs: 1000 })
    await queue.enqueue({ jobs: [job('crashy')], now: T0 })
    for (let i = 0; i < DEFAULT_RETRY_POLICY.maxAttempts; i += 1) {
      await queue.claim({ queue: 'q', limit: 1, leaseMs: 1000, now: T0 + i * 2000 })
    }
    advance(DEFAULT_RETRY_POLICY.maxAttempts * 2000)
    await worker.tick()
    expect(await queue.get('crashy')).toMatchObject({ state: 'dead', attempts: 6 })
    expect((await queue.get('crashy'))?.lastError).toMatch(/claimed 6 times without finishing/)
  })

  it('does not finish a job whose lease another worker took over', async () => {
    const holder: { release?: () => void } = {}
    const stuck: JobHandler = () =>
      new Promise((resolve) => {
        holder.release = () => resolve({ status: 'done' })
      })
    const a = setup({ work: stuck }, { leaseMs: 100 })
    await a.queue.enqueue({ jobs: [job('x')], now: T0 })
    const first = a.worker.tick()
    await new Promise((r) => setTimeout(r, 5))
    const other = await a.queue.claim({ queue: 'q', limit: 1, leaseMs: 100, now: T0 + 100 })
    expect(other[0]?.attempts).toBe(2)
    holder.release?.()
    await first
    expect(a.worker.stats()).toMatchObject({ fenced: 1, done: 0 })
    expect(await a.queue.get('x')).toMatchObject({ state: 'running', attempts: 2 })
  })

  it('on stop lets quick jobs finish and releases the ones it has to abort', async () => {
    const quick: JobHandler = () => new Promise((r) => setTimeout(() => r({ status: 'done' }), 5))
    const endless: JobHandler = (_job: Job, signal) =>
      new Promise((_, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason as Error))
      })
    const { queue, worker, now } = setup({ quick, endless }, { stopTimeoutMs: 50, pollMs: 5 })
    await queue.enqueue({ jobs: [job('q1', 'quick'), job('e1', 'endless')], now: T0 })
    worker.start()
    await new Promise((r) => setTimeout(r, 20))
    await worker.stop()
    await worker.stop()
    expect(await queue.get('q1')).toMatchObject({ state: 'done' })
    expect(await queue.get('e1')).toMatchObject({ state: 'pending', runAt: now() })
    expect(worker.stats()).toMatchObject({ inFlight: 0, dead: 0, retried: 0 })
    worker.start() // a stopped worker stays stopped
    expect(worker.stats().claimed).toBe(2)
  })

  it('reports queue failures to the error sink instead of throwing into the host', async () => {
    const broken = new MemoryJobQueue() as JobQueue
    broken.claim = () => Promise.reject(new Error('disk gone'))
    const errors: AppError[] = []
    const worker = createWorker({
      queue: broken,
      queueName: 'q',
      handlers: {},
      onError: (e) => errors.push(e),
    })
    expect(await worker.tick()).toBe(0)
    expect(errors[0]?.message).toBe('disk gone')
  })
})
