/** FNV-1a, 32 bits: a fast, stable hash for seeding. */
function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** mulberry32: a tiny seeded generator of uint32 values. */
function generator(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return (t ^ (t >>> 14)) >>> 0
  }
}

const FEATURES_PER_WORD = 16
const NOISE = 0.02

/**
 * A deterministic unit vector for a text: hashed word features (so texts sharing words are
 * similar, as with real embeddings) over a low-amplitude dense part seeded by the whole text.
 */
export function embedText(text: string, dimensions: number): Float32Array {
  const v = new Float32Array(dimensions)
  const noise = generator(fnv1a(text))
  for (let i = 0; i < dimensions; i += 1) v[i] = (noise() / 0xffffffff - 0.5) * NOISE
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const next = generator(fnv1a(word))
    for (let k = 0; k < FEATURES_PER_WORD; k += 1) {
      const r = next()
      const i = r % dimensions
      v[i] = (v[i] ?? 0) + (r & 0x80000000 ? 1 : -1)
    }
  }
  let norm = 0
  for (const x of v) norm += x * x
  norm = Math.sqrt(norm) || 1
  for (let i = 0; i < dimensions; i += 1) v[i] = (v[i] ?? 0) / norm
  return v
}

/** The vector as OpenAI's base64 encoding: little-endian float32 bytes. */
export function toBase64(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')
}
