import { AppError, toAppError, type Job, type JobQueue } from '@vigil/core'
import { DEFAULT_RETRY_POLICY, retryAt, type RetryPolicy } from './retry-policy.js'

/** What a handler reports: expected outcomes (nothing to do) are data, failures are thrown. */
export interface JobOutcome {
  status: 'done' | 'skipped'
  note?: string
}

/** Runs one job; throws (preferably an AppError) to have it retried or dead-lettered. */
export type JobHandler = (job: Job, signal: AbortSignal) => Promise<JobOutcome>

export interface WorkerOptions {
  queue: JobQueue
  /** The queue this worker takes jobs from. */
  queueName: string
  /** Handlers by job type; a job of another type is dead-lettered. */
  handlers: Readonly<Record<string, JobHandler>>
  /** Jobs run at once (default 4). */
  concurrency?: number
  /** How long a claim lasts; a job still running after it may be taken over (default 2 min). */
  leaseMs?: number
  /** Sleep when idle; `notify()` wakes the worker sooner (default 1 s). */
  pollMs?: number
  retry?: RetryPolicy
  /** Done jobs are deleted after this long (default 1 day); dead ones are kept. */
  retainDoneMs?: number
  /** On stop, in-flight jobs get this long before they are aborted and released (default 10 s). */
  stopTimeoutMs?: number
  now?: () => number
  random?: () => number
  /** The one error sink: queue failures and failed attempts (the job is given when known). */
  onError?: (error: AppError, job?: Job) => void
}

export interface WorkerStats {
  claimed: number
  done: number
  skipped: number
  retried: number
  dead: number
  /** Claims that were no longer current when the job finished (its lease had been taken over). */
  fenced: number
  inFlight: number
}

/** A background loop over a job queue; never throws into its host. */
export interface Worker {
  start(): void
  /** Wakes an idle worker (new jobs were committed). */
  notify(): void
  /** Claims due jobs up to the concurrency limit and runs them to the end; how many ran. */
  tick(): Promise<number>
  /** Stops claiming, lets in-flight jobs finish (or aborts and releases them); idempotent. */
  stop(): Promise<void>
  stats(): WorkerStats
}

const PRUNE_EVERY_MS = 10 * 60_000

/** Creates a worker; nothing runs until `start()` (or `tick()` in tests). */
export function createWorker(options: WorkerOptions): Worker {
  return new JobWorker(options)
}

class JobWorker implements Worker {
  readonly #o: WorkerOptions
  readonly #policy: RetryPolicy
  readonly #now: () => number
  readonly #stats = { claimed: 0, done: 0, skipped: 0, retried: 0, dead: 0, fenced: 0 }
  readonly #inFlight = new Set<Promise<void>>()
  readonly #abort = new AbortController()
  #running = false
  #loop: Promise<void> | undefined
  #wake: (() => void) | undefined
  #lastPrune = 0

  constructor(options: WorkerOptions) {
    this.#o = options
    this.#policy = options.retry ?? DEFAULT_RETRY_POLICY
    this.#now = options.now ?? Date.now
  }

  start(): void {
    if (this.#running || this.#abort.signal.aborted) return
    this.#running = true
    this.#loop = this.#forever()
  }

  notify(): void {
    this.#wake?.()
  }

  async tick(): Promise<number> {
    const jobs = await this.#claim(this.#concurrency)
    await Promise.all(jobs.map((job) => this.#run(job)))
    return jobs.length
  }

  async stop(): Promise<void> {
    this.#running = false
    this.#wake?.()
    await this.#loop
    const timeout = new Promise<void>((resolve) =>
      setTimeout(resolve, this.#o.stopTimeoutMs ?? 10_000).unref(),
    )
    await Promise.race([Promise.all(this.#inFlight), timeout])
    this.#abort.abort(new AppError('UNAVAILABLE', 'worker stopping'))
    await Promise.all(this.#inFlight)
  }

  stats(): WorkerStats {
    return { ...this.#stats, inFlight: this.#inFlight.size }
  }

  get #concurrency(): number {
    return this.#o.concurrency ?? 4
  }

  #report(error: AppError, job?: Job): void {
    this.#o.onError?.(error, job)
  }

  async #forever(): Promise<void> {
    while (this.#running) {
      const free = this.#concurrency - this.#inFlight.size
      const jobs = free > 0 ? await this.#claim(free) : []
      for (const job of jobs) void this.#run(job)
      if (jobs.length > 0 && jobs.length === free) continue
      await this.#prune()
      if (this.#running) await this.#sleep()
    }
  }

  async #claim(limit: number): Promise<Job[]> {
    try {
      const leaseMs = this.#o.leaseMs ?? 120_000
      return await this.#o.queue.claim({
        queue: this.#o.queueName,
        limit,
        leaseMs,
        now: this.#now(),
      })
    } catch (cause) {
      this.#report(toAppError(cause))
      return []
    }
  }

  #run(job: Job): Promise<void> {
    this.#stats.claimed += 1
    const promise: Promise<void> = this.#attempt(job)
      .catch((cause: unknown) => this.#report(toAppError(cause), job))
      .finally(() => {
        this.#inFlight.delete(promise)
        this.#wake?.()
      })
    this.#inFlight.add(promise)
    return promise
  }

  async #attempt(job: Job): Promise<void> {
    const handler = this.#o.handlers[job.type]
    if (!handler) {
      const error = new AppError('INVALID_INPUT', `no handler for job type ${job.type}`)
      return this.#release(job, error, null)
    }
    if (job.attempts > this.#policy.maxAttempts) {
      // its leases expired this often: the process died or stalled while running it
      const error = new AppError('INTERNAL', `claimed ${job.attempts} times without finishing`)
      return this.#release(job, error, null)
    }
    try {
      const outcome = await handler(job, this.#abort.signal)
      const claim = { id: job.id, attempt: job.attempts, now: this.#now() }
      if (await this.#o.queue.complete(claim)) this.#stats[outcome.status] += 1
      else this.#stats.fenced += 1
    } catch (cause) {
      await this.#failed(job, toAppError(cause))
    }
  }

  async #failed(job: Job, error: AppError): Promise<void> {
    if (this.#abort.signal.aborted) {
      // aborted by stop(): released for the next start rather than counted as a failure
      return this.#release(job, error, this.#now())
    }
    this.#report(error, job)
    const random = this.#o.random ?? Math.random
    const at = retryAt(error, job.attempts, { policy: this.#policy, now: this.#now(), random })
    return this.#release(job, error, at)
  }

  async #release(job: Job, error: AppError, at: number | null): Promise<void> {
    const ok = await this.#o.queue.fail({
      id: job.id,
      attempt: job.attempts,
      now: this.#now(),
      error: `${error.code}: ${error.message}`.slice(0, 2000),
      retryAt: at,
    })
    if (!ok) this.#stats.fenced += 1
    else if (at === null) this.#stats.dead += 1
    else if (!this.#abort.signal.aborted) this.#stats.retried += 1
  }

  async #prune(): Promise<void> {
    if (this.#now() - this.#lastPrune < PRUNE_EVERY_MS) return
    this.#lastPrune = this.#now()
    const before = this.#now() - (this.#o.retainDoneMs ?? 24 * 3_600_000)
    await this.#o.queue.prune({ before }).catch((cause: unknown) => {
      this.#report(toAppError(cause))
    })
  }

  #sleep(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        this.#wake = undefined
        resolve()
      }
      const timer = setTimeout(done, this.#o.pollMs ?? 1_000)
      timer.unref()
      this.#wake = done
    })
  }
}
