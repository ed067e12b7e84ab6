import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http'
import { VIGIL_HEADER_PREFIX } from './attribution.js'

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus framing. */
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  // set by the upstream client for the upstream connection
  'host',
  'content-length',
  'expect',
])

const NOT_RETURNED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
])

/** Extra headers a `Connection` header names as connection-specific. */
function connectionTokens(value: string | string[] | undefined): string[] {
  if (value === undefined) return []
  const text = Array.isArray(value) ? value.join(',') : value
  return text
    .toLowerCase()
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0 && t !== 'close' && t !== 'keep-alive')
}

/**
 * The request headers to send upstream: everything the app sent except Vigil's own
 * (`x-vigil-*`), connection-level headers, and Authorization when it carried Vigil's key.
 */
export function upstreamRequestHeaders(
  headers: IncomingHttpHeaders,
  options: { dropAuthorization: boolean },
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  const extra = connectionTokens(headers.connection)
  for (const name in headers) {
    if (NOT_FORWARDED.has(name) || name.startsWith(VIGIL_HEADER_PREFIX)) continue
    if (options.dropAuthorization && name === 'authorization') continue
    if (extra.length > 0 && extra.includes(name)) continue
    const value = headers[name]
    if (value !== undefined) out[name] = value
  }
  return out
}

/** The upstream's response headers for the client, connection-level ones removed. */
export function clientResponseHeaders(
  headers: IncomingHttpHeaders,
  traceId: string,
): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {}
  for (const name in headers) {
    if (NOT_RETURNED.has(name)) continue
    const value = headers[name]
    if (value !== undefined) out[name] = value
  }
  out['x-vigil-trace-id'] = traceId
  return out
}
