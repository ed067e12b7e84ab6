import { randomBytes, randomFillSync } from 'node:crypto'

/** A random lowercase hex id of `bytes` bytes (16 → a W3C trace id, 8 → a span id). */
export function randomHexId(bytes: number): string {
  return randomBytes(bytes).toString('hex')
}

const POOL_BYTES = 4096
const pool = Buffer.alloc(POOL_BYTES)
let offset = POOL_BYTES

/*
 * Trace and span ids come from a refilled random pool: one randomFillSync per ~170 ids instead
 * of a randomBytes call per id, which showed in the gateway's and the SDK's CPU profiles.
 */
function pooledHex(bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool)
    offset = 0
  }
  const id = pool.toString('hex', offset, offset + bytes)
  offset += bytes
  return id
}

/** A new trace id in W3C format (32 hex characters). */
export function newTraceId(): string {
  return pooledHex(16)
}

/** A new span id in W3C format (16 hex characters). */
export function newSpanId(): string {
  return pooledHex(8)
}
