import { AppError } from '@vigil/core'
import type { TraceAttributes } from './attributes.js'
import type { ExporterLimits } from './batch-exporter.js'

/** How to reach Vigil and how much to buffer; only `endpoint` and `apiKey` are required. */
export interface VigilOptions {
  /** Base URL of the Vigil server, e.g. `http://127.0.0.1:8700`. */
  endpoint: string
  /** A project API key (sent as `Authorization: Bearer`). */
  apiKey: string
  /** Attribution for every trace (environment, release, …); traces and calls may override it. */
  defaults?: TraceAttributes
  /** Record inputs, outputs and retrieved documents (default true); false keeps only metadata. */
  captureContent?: boolean
  /** false records nothing and wraps nothing; the helpers still run the host's functions. */
  enabled?: boolean
  /** Receives every problem the SDK meets (default: a rate-limited `console.warn`). */
  onError?: (error: AppError) => void
  /** Items held in memory before new ones are dropped (default 2048). */
  maxQueueSize?: number
  /** Serialized bytes held in memory before new items are dropped (default 32 MiB). */
  maxQueueBytes?: number
  /** Items per request (default 512). */
  maxBatchSize?: number
  /** Uncompressed bytes per request (default 4 MiB; the server's default limit is 10 MiB). */
  maxBatchBytes?: number
  /** How long an item may wait for a batch to fill (default 1000 ms). */
  flushIntervalMs?: number
  /** Retries of a failed request before its items count as failed (default 6). */
  maxRetries?: number
  /** First backoff step; it doubles per retry, with jitter (default 500 ms). */
  initialBackoffMs?: number
  /** Longest backoff step (default 30 s); a server's Retry-After wins. */
  maxBackoffMs?: number
  /** One request's time limit (default 10 s). */
  requestTimeoutMs?: number
  /** Default time limit of flush() and shutdown() (default 10 s). */
  flushTimeoutMs?: number
}

/** Options with defaults applied and problems found. */
export interface ResolvedOptions {
  endpoint: URL | undefined
  apiKey: string
  limits: ExporterLimits
  requestTimeoutMs: number
  flushTimeoutMs: number
  /** Why nothing can be exported (bad endpoint or key); recording still works, items drop. */
  problems: AppError[]
}

const LIMIT_DEFAULTS: ExporterLimits = {
  maxQueueSize: 2048,
  maxQueueBytes: 32 * 1024 * 1024,
  maxBatchSize: 512,
  maxBatchBytes: 4 * 1024 * 1024,
  flushIntervalMs: 1000,
  maxRetries: 6,
  initialBackoffMs: 500,
  maxBackoffMs: 30_000,
}

function parseEndpoint(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined
  } catch {
    return undefined
  }
}

/** Applies defaults; a bad value is reported and replaced, never thrown. */
export function resolveOptions(options: Partial<VigilOptions> | undefined): ResolvedOptions {
  const o: Partial<VigilOptions> = options ?? {}
  const problems: AppError[] = []
  const number = (
    name: keyof ExporterLimits | 'requestTimeoutMs' | 'flushTimeoutMs',
    fallback: number,
    min: number,
  ): number => {
    const value = o[name]
    if (value === undefined) return fallback
    if (typeof value === 'number' && Number.isFinite(value) && value >= min) return value
    problems.push(
      new AppError('INVALID_INPUT', `${name} must be a number ≥ ${min}; using ${fallback}`),
    )
    return fallback
  }
  const limits = {} as ExporterLimits
  for (const key of Object.keys(LIMIT_DEFAULTS) as (keyof ExporterLimits)[]) {
    limits[key] = number(key, LIMIT_DEFAULTS[key], key === 'maxRetries' ? 0 : 1)
  }
  const endpoint = parseEndpoint(o.endpoint)
  if (!endpoint) {
    problems.push(
      new AppError(
        'INVALID_INPUT',
        `endpoint must be an http(s) URL; got ${String(o.endpoint)}: nothing will be exported`,
      ),
    )
  }
  const apiKey = typeof o.apiKey === 'string' ? o.apiKey.trim() : ''
  if (apiKey === '') {
    problems.push(new AppError('UNAUTHORIZED', 'apiKey is missing: nothing will be exported'))
  }
  return {
    endpoint,
    apiKey,
    limits,
    requestTimeoutMs: number('requestTimeoutMs', 10_000, 1),
    flushTimeoutMs: number('flushTimeoutMs', 10_000, 0),
    problems,
  }
}
