import { describe, expect, it } from 'vitest'
import { cosine, hashedTfIdfVector, tfidfEmbedder } from './embeddings.js'
import { bleu, exactMatch, levenshtein, referenceMetrics, rouge } from './reference-metrics.js'

describe('reference metrics on known pairs', () => {
  it('exact match ignores only surrounding whitespace', () => {
    expect(exactMatch(' Paris\n', 'Paris')).toBe(1)
    expect(exactMatch('paris', 'Paris')).toBe(0)
  })

  it('levenshtein: kitten → sitting is 3 edits, similarity 1 − 3/7', () => {
    expect(levenshtein('kitten', 'sitting')).toEqual({ distance: 3, similarity: 1 - 3 / 7 })
    expect(levenshtein('', '')).toEqual({ distance: 0, similarity: 1 })
    expect(levenshtein('abc', '').similarity).toBe(0)
  })

  it('ROUGE-1/2/L F-scores', () => {
    expect(rouge('the cat sat', 'the cat sat on the mat', 'rouge1')).toBeCloseTo(2 / 3, 10)
    // bigrams: 2 of 2 in the output, 2 of 5 in the reference → F = 2·1·0.4 / 1.4
    expect(rouge('the cat sat', 'the cat sat on the mat', 'rouge2')).toBeCloseTo(0.8 / 1.4, 10)
    // LCS "police the gunman" = 3 of 4 tokens each way
    expect(rouge('police kill the gunman', 'police killed the gunman', 'rougeL')).toBeCloseTo(
      0.75,
      10,
    )
    expect(rouge('The Cat', 'the cat', 'rouge1')).toBe(1)
    expect(rouge('', 'the cat', 'rouge1')).toBe(0)
  })

  it('BLEU: 1 for an identical sentence, promptfoo value for a near miss, 0 for nothing', () => {
    expect(bleu('the quick brown fox jumps', 'the quick brown fox jumps')).toBeCloseTo(1, 5)
    // precisions 5/6, 3/5, 1/4, 0/3 (smoothed by 1e-7); equal lengths, so no brevity penalty
    const expected = Math.exp(
      0.25 *
        (Math.log(5 / 6 + 1e-7) + Math.log(3 / 5 + 1e-7) + Math.log(1 / 4 + 1e-7) + Math.log(1e-7)),
    )
    expect(bleu('the cat sat on the mat', 'the cat is on the mat')).toBeCloseTo(expected, 12)
    expect(bleu('', 'anything')).toBe(0)
    // a short output is penalised: brevity factor exp(1 − 6/3)
    expect(bleu('the cat sat', 'the cat sat on the mat')).toBeLessThan(
      bleu('the cat sat on the mat', 'the cat sat on the mat'),
    )
    // the closest of several references sets the length
    expect(bleu('a b c d', ['a b c d', 'x y z w v u t s'])).toBeCloseTo(1, 5)
  })

  it('hashed TF-IDF vectors: deterministic, unit length, similar texts closer than unrelated ones', () => {
    const a = hashedTfIdfVector('How do I reset my password?')
    expect(Array.from(a)).toEqual(Array.from(hashedTfIdfVector('How do I reset my password?')))
    expect(cosine(a, a)).toBeCloseTo(1, 6)
    const near = cosine(a, hashedTfIdfVector('how can I reset the password'))
    const far = cosine(a, hashedTfIdfVector('Quarterly revenue grew by 12 percent'))
    expect(near).toBeGreaterThan(0.5)
    expect(far).toBeLessThan(0.15)
    expect(cosine(hashedTfIdfVector(''), a)).toBe(0)
  })

  it('computes the requested metrics for a pair, all in [0, 1]', async () => {
    const scores = await referenceMetrics(
      {
        output: 'Paris is the capital of France.',
        reference: 'The capital of France is Paris.',
        metrics: ['exact', 'levenshtein', 'rouge1', 'rouge2', 'rougeL', 'bleu', 'embedding'],
      },
      { embedder: tfidfEmbedder },
    )
    expect(Object.keys(scores).sort()).toEqual([
      'bleu',
      'embedding',
      'exact',
      'levenshtein',
      'rouge1',
      'rouge2',
      'rougeL',
    ])
    expect(scores.exact).toBe(0)
    expect(scores.rouge1).toBe(1)
    for (const value of Object.values(scores)) {
      expect(value).toBeGreaterThanOrEqual(0)
      expect(value).toBeLessThanOrEqual(1)
    }
    expect(scores.embedding).toBeGreaterThan(0.7)
  })
})
