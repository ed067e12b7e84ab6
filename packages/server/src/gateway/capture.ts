import type { IncomingHttpHeaders } from 'node:http'
import type { Operation, ProviderPlugin } from './provider.js'

/** How a proxied call ended. */
export type Outcome = 'complete' | 'client_closed' | 'upstream_failed' | 'upstream_timeout'

/**
 * Everything the response path collects about one call, cheaply: references and arrival
 * times, no parsing. The recorder turns it into a span later, off the response path.
 */
export interface Capture {
  readonly projectId: string
  readonly traceId: string
  readonly spanId: string
  readonly plugin: ProviderPlugin
  readonly operation: Operation | undefined
  readonly method: string
  /** Upstream path without the query string. */
  readonly path: string
  /** The request headers as received (attribution is read from them; they are never stored). */
  readonly headers: IncomingHttpHeaders
  readonly requestBody: Buffer | undefined
  /** Epoch milliseconds when the request reached the gateway. */
  readonly startTime: number
  durationMs: number
  /** The upstream's status; undefined when none came. */
  status: number | undefined
  responseHeaders: IncomingHttpHeaders | undefined
  readonly chunks: Buffer[]
  /** Arrival of each chunk, ms since the request reached the gateway. */
  readonly times: number[]
  bytes: number
  /** More than the capture limit arrived; the rest was forwarded but not kept. */
  truncated: boolean
  outcome: Outcome
  errorMessage: string | undefined
}
