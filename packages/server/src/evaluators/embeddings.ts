import { AppError } from '@vigil/core'
import { z } from 'zod'
import type { ModelEndpoint, OpenAiCompatibleClient } from './openai-compatible.js'

/** Turns texts into vectors: hashed TF-IDF offline, a provider's model when one is configured. */
export interface Embedder {
  readonly name: 'tfidf' | 'provider'
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>
}

/** Options of the hashed vectors; the defaults follow reference/quality-methods.md §2.9. */
export interface HashedTfIdfOptions {
  dims?: number
  /** Inverse document frequency per feature (e.g. from a reference corpus); default 1. */
  idf?: (feature: string) => number
}

const WORD = /[\p{L}\p{N}]+/gu

// FNV-1a: fast, stable across processes and versions, good enough spread for feature hashing
function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

function features(text: string): { words: string[]; chars: string[] } {
  const tokens = text.toLowerCase().match(WORD) ?? []
  const words = [...tokens]
  for (let i = 1; i < tokens.length; i += 1) words.push(`${tokens[i - 1]} ${tokens[i]}`)
  const chars: string[] = []
  for (const token of tokens) {
    const padded = ` ${token} `
    for (let n = 3; n <= 5; n += 1) {
      for (let i = 0; i + n <= padded.length; i += 1) chars.push(padded.slice(i, i + n))
    }
  }
  return { words, chars }
}

function normalize(vector: Float32Array): Float32Array {
  let norm = 0
  for (const v of vector) norm += v * v
  if (norm === 0) return vector
  const scale = 1 / Math.sqrt(norm)
  for (let i = 0; i < vector.length; i += 1) vector[i] = vector[i]! * scale
  return vector
}

function hashed(items: readonly string[], options: Required<HashedTfIdfOptions>): Float32Array {
  const counts = new Map<string, number>()
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1)
  const vector = new Float32Array(options.dims)
  for (const [item, tf] of counts) {
    const slot = fnv1a(item) % options.dims
    vector[slot] = vector[slot]! + (1 + Math.log(tf)) * options.idf(item)
  }
  return normalize(vector)
}

/**
 * A deterministic, dependency-free text vector: sublinear TF (× optional IDF) of word 1–2-grams
 * and character 3–5-grams, feature-hashed into `dims` slots. Words and characters are normalised
 * separately and summed, so neither family drowns the other; the result has unit length.
 */
export function hashedTfIdfVector(text: string, options: HashedTfIdfOptions = {}): Float32Array {
  const resolved = { dims: options.dims ?? 1024, idf: options.idf ?? (() => 1) }
  const { words, chars } = features(text)
  const a = hashed(words, resolved)
  const b = hashed(chars, resolved)
  const sum = new Float32Array(resolved.dims)
  for (let i = 0; i < sum.length; i += 1) sum[i] = a[i]! + b[i]!
  return normalize(sum)
}

/** Cosine similarity; 0 when either vector is all zeros. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    dot += a[i]! * b[i]!
    na += a[i]! * a[i]!
    nb += b[i]! * b[i]!
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb)
}

/** The offline default. */
export const tfidfEmbedder: Embedder = {
  name: 'tfidf',
  embed: (texts) => Promise.resolve(texts.map((t) => hashedTfIdfVector(t))),
}

const embeddingsResponse = z.object({
  data: z.array(z.object({ index: z.number().int(), embedding: z.array(z.number()) })),
})

/** Embeddings from an OpenAI-compatible `/v1/embeddings` with the endpoint's embedding model. */
export function createProviderEmbedder(
  client: OpenAiCompatibleClient,
  endpoint: ModelEndpoint & { embeddingModel: string },
): Embedder {
  return {
    name: 'provider',
    async embed(texts, signal) {
      const body = { model: endpoint.embeddingModel, input: texts }
      const raw = await client.post({ endpoint, path: '/embeddings', body, signal })
      const parsed = embeddingsResponse.safeParse(raw)
      if (!parsed.success || parsed.data.data.length !== texts.length) {
        throw new AppError(
          'UPSTREAM_FAILED',
          'the embeddings endpoint answered in an unknown shape',
        )
      }
      const sorted = [...parsed.data.data].sort((x, y) => x.index - y.index)
      return sorted.map((d) => Float32Array.from(d.embedding))
    },
  }
}
