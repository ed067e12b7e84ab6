import type { ReferenceMetric } from '@vigil/core'
import { distance } from 'fastest-levenshtein'
import { l as rougeL, n as rougeN } from 'js-rouge'
import { cosine, type Embedder } from './embeddings.js'

/** 1 when output and reference are equal after trimming surrounding whitespace, else 0. */
export function exactMatch(output: string, reference: string): number {
  return output.trim() === reference.trim() ? 1 : 0
}

/** Edit distance, and similarity `1 − distance / longer length` (1 for two empty texts). */
export function levenshtein(
  output: string,
  reference: string,
): { distance: number; similarity: number } {
  const d = distance(output, reference)
  const longer = Math.max(output.length, reference.length)
  return { distance: d, similarity: longer === 0 ? 1 : 1 - d / longer }
}

/** ROUGE F-score (js-rouge), case-insensitive: unigrams, bigrams, or longest common subsequence. */
export function rouge(
  output: string,
  reference: string,
  variant: 'rouge1' | 'rouge2' | 'rougeL',
): number {
  if (output.trim() === '' || reference.trim() === '') return 0
  if (variant === 'rougeL') return rougeL(output, reference, { caseSensitive: false })
  return rougeN(output, reference, { n: variant === 'rouge1' ? 1 : 2, caseSensitive: false })
}

function ngramCounts(words: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>()
  for (let i = 0; i + n <= words.length; i += 1) {
    const gram = words.slice(i, i + n).join(' ')
    counts.set(gram, (counts.get(gram) ?? 0) + 1)
  }
  return counts
}

const wordsOf = (text: string): string[] => text.toLowerCase().trim().split(/\s+/).filter(Boolean)

/**
 * Sentence BLEU as promptfoo computes it: clipped 1–4-gram precisions with equal weights, a
 * brevity penalty against the reference length closest to the output's, and 1e-7 smoothing.
 */
export function bleu(output: string, references: string | readonly string[]): number {
  const candidate = wordsOf(output)
  const refs = (typeof references === 'string' ? [references] : references).map(wordsOf)
  if (candidate.length === 0 || refs.length === 0) return 0
  const c = candidate.length
  const closest = refs
    .map((r) => r.length)
    .reduce((best, len) => (Math.abs(len - c) < Math.abs(best - c) ? len : best))
  const brevity = c > closest ? 1 : Math.exp(1 - closest / c)
  let logSum = 0
  for (let n = 1; n <= 4; n += 1) {
    const counts = ngramCounts(candidate, n)
    const refCounts = refs.map((r) => ngramCounts(r, n))
    let clipped = 0
    let total = 0
    for (const [gram, count] of counts) {
      total += count
      clipped += Math.min(count, Math.max(0, ...refCounts.map((rc) => rc.get(gram) ?? 0)))
    }
    logSum += 0.25 * Math.log((total > 0 ? clipped / total : 0) + 1e-7)
  }
  return brevity * Math.exp(logSum)
}

/** Cosine similarity of the two texts' embeddings, clamped to [0, 1]. */
export async function embeddingSimilarity(
  output: string,
  reference: string,
  options: { embedder: Embedder; signal?: AbortSignal | undefined },
): Promise<number> {
  const [a, b] = await options.embedder.embed([output, reference], options.signal)
  return a && b ? Math.min(1, Math.max(0, cosine(a, b))) : 0
}

/** Computes the requested metrics for one pair; every value is in [0, 1], higher is closer. */
export async function referenceMetrics(
  input: { output: string; reference: string; metrics: readonly ReferenceMetric[] },
  options: { embedder: Embedder; signal?: AbortSignal | undefined },
): Promise<Partial<Record<ReferenceMetric, number>>> {
  const { output, reference } = input
  const out: Partial<Record<ReferenceMetric, number>> = {}
  for (const metric of input.metrics) {
    switch (metric) {
      case 'exact':
        out[metric] = exactMatch(output, reference)
        break
      case 'levenshtein':
        out[metric] = levenshtein(output, reference).similarity
        break
      case 'rouge1':
      case 'rouge2':
      case 'rougeL':
        out[metric] = rouge(output, reference, metric)
        break
      case 'bleu':
        out[metric] = bleu(output, reference)
        break
      case 'embedding':
        out[metric] = await embeddingSimilarity(output, reference, options)
        break
    }
  }
  return out
}
