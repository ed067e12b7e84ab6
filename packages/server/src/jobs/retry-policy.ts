import type { AppError, ErrorCode } from '@vigil/core'

/** How failed attempts are retried. */
export interface RetryPolicy {
  /** Attempts before a job is dead-lettered. */
  maxAttempts: number
  /** Delay before the second attempt; doubles per attempt. */
  baseDelayMs: number
  maxDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
}

// Failures another attempt can fix: provider rate limits, timeouts and outages, our own storage
// being briefly unavailable, and unexpected errors (a bug may be a race). Everything else is a
// problem with the job or its configuration: dead-letter it at once, fix, then retry it by hand.
const RETRYABLE: ReadonlySet<ErrorCode> = new Set([
  'RATE_LIMITED',
  'UPSTREAM_FAILED',
  'UPSTREAM_TIMEOUT',
  'UNAVAILABLE',
  'INTERNAL',
])

/**
 * When to try a failed job again, or null to dead-letter it. Exponential backoff with equal
 * jitter (half fixed, half random, so a burst of failures spreads out); a provider's
 * Retry-After is a floor.
 */
export function retryAt(
  error: AppError,
  attempt: number,
  options: { policy: RetryPolicy; now: number; random: () => number },
): number | null {
  const { policy } = options
  if (!RETRYABLE.has(error.code) || attempt >= policy.maxAttempts) return null
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  const jittered = exponential / 2 + (options.random() * exponential) / 2
  const floor = (error.details.retryAfterSeconds ?? 0) * 1000
  return options.now + Math.round(Math.max(jittered, floor))
}
