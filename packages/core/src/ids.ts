import { randomBytes } from 'node:crypto'

/** A random lowercase hex id of `bytes` bytes (16 → a W3C trace id, 8 → a span id). */
export function randomHexId(bytes: number): string {
  return randomBytes(bytes).toString('hex')
}

/** A new trace id in W3C format (32 hex characters). */
export function newTraceId(): string {
  return randomHexId(16)
}

/** A new span id in W3C format (16 hex characters). */
export function newSpanId(): string {
  return randomHexId(8)
}
