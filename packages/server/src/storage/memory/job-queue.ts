import {
  JOB_STATES,
  type AppendBatch,
  type AppendResult,
  type Job,
  type JobClaim,
  type JobFilter,
  type JobQueue,
  type JobState,
} from '@vigil/core'
import { MemoryEventStore } from './event-store.js'

const matches = (job: Job, f: JobFilter): boolean =>
  (f.queue === undefined || job.queue === f.queue) &&
  (f.projectId === undefined || job.projectId === f.projectId) &&
  (f.state === undefined || job.state === f.state)

/** Jobs in a map; the reference behaviour for the job-queue contract. */
export class MemoryJobQueue implements JobQueue {
  readonly #jobs = new Map<string, Job>()

  /** Synchronous enqueue, so the memory event store can write its outbox "in" its append. */
  enqueueNow(input: Parameters<JobQueue['enqueue']>[0]): number {
    let inserted = 0
    for (const job of input.jobs) {
      if (this.#jobs.has(job.id)) continue
      this.#jobs.set(job.id, {
        id: job.id,
        queue: job.queue,
        type: job.type,
        projectId: job.projectId,
        payload: structuredClone(job.payload),
        state: 'pending',
        attempts: 0,
        runAt: job.runAt ?? input.now,
        leaseUntil: null,
        lastError: null,
        createdAt: input.now,
        updatedAt: input.now,
      })
      inserted += 1
    }
    return inserted
  }

  enqueue(input: Parameters<JobQueue['enqueue']>[0]): Promise<number> {
    return Promise.resolve(this.enqueueNow(input))
  }

  claim(input: Parameters<JobQueue['claim']>[0]): Promise<Job[]> {
    const due = [...this.#jobs.values()]
      .filter(
        (j) =>
          j.queue === input.queue &&
          ((j.state === 'pending' && j.runAt <= input.now) ||
            (j.state === 'running' && (j.leaseUntil ?? 0) <= input.now)),
      )
      .sort((a, b) => a.runAt - b.runAt || (a.id < b.id ? -1 : 1))
      .slice(0, Math.max(0, input.limit))
    for (const job of due) {
      job.state = 'running'
      job.attempts += 1
      job.leaseUntil = input.now + input.leaseMs
      job.updatedAt = input.now
    }
    return Promise.resolve(structuredClone(due))
  }

  #current(claim: JobClaim): Job | undefined {
    const job = this.#jobs.get(claim.id)
    return job && job.state === 'running' && job.attempts === claim.attempt ? job : undefined
  }

  complete(claim: JobClaim): Promise<boolean> {
    const job = this.#current(claim)
    if (!job) return Promise.resolve(false)
    job.state = 'done'
    job.leaseUntil = null
    job.updatedAt = claim.now
    return Promise.resolve(true)
  }

  fail(input: Parameters<JobQueue['fail']>[0]): Promise<boolean> {
    const job = this.#current(input)
    if (!job) return Promise.resolve(false)
    job.state = input.retryAt === null ? 'dead' : 'pending'
    job.runAt = input.retryAt ?? job.runAt
    job.leaseUntil = null
    job.lastError = input.error
    job.updatedAt = input.now
    return Promise.resolve(true)
  }

  retry(input: Parameters<JobQueue['retry']>[0]): Promise<boolean> {
    const job = this.#jobs.get(input.id)
    if (!job || job.projectId !== input.projectId || job.state !== 'dead') {
      return Promise.resolve(false)
    }
    job.state = 'pending'
    job.attempts = 0
    job.runAt = input.now
    job.updatedAt = input.now
    return Promise.resolve(true)
  }

  get(id: string): Promise<Job | null> {
    const job = this.#jobs.get(id)
    return Promise.resolve(job ? structuredClone(job) : null)
  }

  list(input: JobFilter & { limit: number }): Promise<Job[]> {
    const found = [...this.#jobs.values()]
      .filter((j) => matches(j, input))
      .sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : 1))
      .slice(0, Math.max(0, input.limit))
    return Promise.resolve(structuredClone(found))
  }

  counts(input: JobFilter): Promise<Record<JobState, number>> {
    const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>
    for (const job of this.#jobs.values()) {
      if (matches(job, { ...input, state: undefined })) counts[job.state] += 1
    }
    return Promise.resolve(counts)
  }

  prune(input: { before: number }): Promise<number> {
    let removed = 0
    for (const [id, job] of this.#jobs) {
      if (job.state === 'done' && job.updatedAt < input.before) {
        this.#jobs.delete(id)
        removed += 1
      }
    }
    return Promise.resolve(removed)
  }
}

/** The memory event store whose append also enqueues the batch's jobs, as one step (the outbox). */
export class MemoryEventStoreWithOutbox extends MemoryEventStore {
  readonly #jobs: MemoryJobQueue

  constructor(jobs: MemoryJobQueue) {
    super()
    this.#jobs = jobs
  }

  override async append(batch: AppendBatch): Promise<AppendResult> {
    const result = await super.append(batch)
    if (batch.jobs && batch.jobs.length > 0) {
      this.#jobs.enqueueNow({ jobs: batch.jobs, now: Date.now() })
    }
    return result
  }
}
