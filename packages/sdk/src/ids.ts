import { randomFillSync } from 'node:crypto'

const POOL_BYTES = 4096
const pool = Buffer.alloc(POOL_BYTES)
let offset = POOL_BYTES

// one randomBytes() call per id costs microseconds on the call path; a refilled pool costs
// one syscall per few hundred ids
function hex(bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool)
    offset = 0
  }
  const id = pool.toString('hex', offset, offset + bytes)
  offset += bytes
  return id
}

/** A W3C trace id: 32 lowercase hex characters. */
export function newTraceId(): string {
  return hex(16)
}

/** A W3C span id: 16 lowercase hex characters. */
export function newSpanId(): string {
  return hex(8)
}
