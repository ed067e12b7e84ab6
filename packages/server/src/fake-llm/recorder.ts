import type { IncomingHttpHeaders } from 'node:http'

/** One request as the fake received it; credentials are reduced to presence flags. */
export interface RecordedRequest {
  readonly method: string
  /** Path without the query string. */
  readonly path: string
  /** Received headers, lower-cased, without `authorization`, `x-api-key` and `api-key`. */
  readonly headers: IncomingHttpHeaders
  readonly auth: { readonly authorization: boolean; readonly apiKey: boolean }
  /** Parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  readonly body: unknown
  readonly receivedAt: number
}

/** A bounded log: the newest `capacity` requests, oldest first. */
export interface RequestLog {
  add(request: RecordedRequest): void
  list(): RecordedRequest[]
  clear(): void
}

/** A ring buffer, so benchmarks that send millions of requests don't grow memory. */
export function createRequestLog(capacity: number): RequestLog {
  const ring: RecordedRequest[] = []
  let next = 0
  return {
    add(request) {
      if (capacity <= 0) return
      if (ring.length < capacity) ring.push(request)
      else ring[next] = request
      next = (next + 1) % capacity
    },
    list() {
      return ring.length < capacity ? [...ring] : [...ring.slice(next), ...ring.slice(0, next)]
    },
    clear() {
      ring.length = 0
      next = 0
    },
  }
}

const SECRET_HEADERS = ['authorization', 'x-api-key', 'api-key'] as const

/** The record of a request, its secrets removed. */
export function recordOf(
  req: { method?: string | undefined; headers: IncomingHttpHeaders },
  path: string,
  body: unknown,
): RecordedRequest {
  const headers = { ...req.headers }
  for (const name of SECRET_HEADERS) delete headers[name]
  return {
    method: req.method ?? 'GET',
    path,
    headers,
    auth: {
      authorization: req.headers.authorization !== undefined,
      apiKey: req.headers['x-api-key'] !== undefined || req.headers['api-key'] !== undefined,
    },
    body,
    receivedAt: Date.now(),
  }
}
