import type { JsonValue } from '../model/json.js'

/** pending → running → done, or back to pending (retry) or on to dead (dead letter). */
export const JOB_STATES = ['pending', 'running', 'done', 'dead'] as const
export type JobState = (typeof JOB_STATES)[number]

/** A job as enqueued. The id is the idempotency key: enqueueing a known id is a no-op. */
export interface NewJob {
  id: string
  /** Which worker pool takes it, e.g. `evaluation`. */
  queue: string
  /** What the handler does with it, e.g. `evaluate.span`. */
  type: string
  projectId: string
  payload: JsonValue
  /** Not before this time (epoch ms); default now. */
  runAt?: number | undefined
}

/** A stored job. */
export interface Job {
  id: string
  queue: string
  type: string
  projectId: string
  payload: JsonValue
  state: JobState
  /** Claims so far; a claim's attempt number is its fencing token for complete/fail. */
  attempts: number
  /** When a pending job may be claimed next. */
  runAt: number
  /** While running: when the claim expires and another worker may take the job over. */
  leaseUntil: number | null
  lastError: string | null
  createdAt: number
  updatedAt: number
}

/** Which jobs a listing wants; newest change first. */
export interface JobFilter {
  queue?: string | undefined
  projectId?: string | undefined
  state?: JobState | undefined
}

/** Identifies one claim of a job: a stale worker (lease lost) cannot finish someone else's claim. */
export interface JobClaim {
  id: string
  attempt: number
  now: number
}

/**
 * A durable work queue: at-least-once delivery with leases, idempotent enqueue, retries decided
 * by the worker (`fail` with a retry time) and a dead-letter state kept for inspection.
 */
export interface JobQueue {
  /** Stores the jobs whose ids are new; returns how many were. */
  enqueue(input: { jobs: readonly NewJob[]; now: number }): Promise<number>
  /**
   * Takes up to `limit` due jobs of a queue (pending with runAt ≤ now, or running with an
   * expired lease), oldest runAt first, marking them running until now + leaseMs and counting
   * the attempt.
   */
  claim(input: { queue: string; limit: number; leaseMs: number; now: number }): Promise<Job[]>
  /** Marks a claimed job done; false when the claim is no longer current. */
  complete(claim: JobClaim): Promise<boolean>
  /** Records a failed attempt: pending again at `retryAt`, or dead when retryAt is null. */
  fail(claim: JobClaim & { error: string; retryAt: number | null }): Promise<boolean>
  /** Puts a dead job back to pending now with its attempts reset; false when it is not dead. */
  retry(input: { id: string; projectId: string; now: number }): Promise<boolean>
  get(id: string): Promise<Job | null>
  /** Jobs matching the filter, most recently updated first. */
  list(input: JobFilter & { limit: number }): Promise<Job[]>
  /** How many jobs are in each state. */
  counts(input: JobFilter): Promise<Record<JobState, number>>
  /** Deletes done jobs last updated before `before`; returns how many. Dead jobs are kept. */
  prune(input: { before: number }): Promise<number>
}
