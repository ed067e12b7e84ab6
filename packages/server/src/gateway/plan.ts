import { AppError } from '@vigil/core'

/** Default time to the response headers, and between body chunks (LLM calls can be long). */
export const DEFAULT_TIMEOUT_MS = 600_000

/** A parsed upstream base URL. */
export interface Upstream {
  /** `scheme://host:port`: one connection pool each. */
  readonly origin: string
  /** Path prefix of the base URL without a trailing slash (`''`, `/openai`, …). */
  readonly basePath: string
  readonly timeoutMs: number
}

/** One try at the upstream: where to send the request and how long to wait. */
export interface Attempt {
  readonly origin: string
  /** Path and query to request at the origin. */
  readonly path: string
  readonly timeoutMs: number
}

/** Parses a base URL (settings are validated when saved; server defaults at start). */
export function parseUpstream(baseUrl: string, timeoutMs = DEFAULT_TIMEOUT_MS): Upstream {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch (cause) {
    throw new AppError('INVALID_INPUT', `upstream base URL ${baseUrl} is not a URL`, { cause })
  }
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, ''), timeoutMs }
}

/**
 * Plans the tries for one call. Pure: the same settings and path always give the same plan.
 * Today one attempt; fallbacks and retries will add more here, never in the proxy.
 */
export function planAttempts(upstream: Upstream, path: string): Attempt[] {
  let base = upstream.basePath
  // a base URL written the SDK way (ending in /v1) must not double the client's /v1
  if (base.endsWith('/v1') && (path.startsWith('/v1/') || path === '/v1')) base = base.slice(0, -3)
  return [{ origin: upstream.origin, path: base + path, timeoutMs: upstream.timeoutMs }]
}
