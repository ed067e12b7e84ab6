import { ioText, REFERENCE_METRICS, type EvalScore } from '@vigil/core'
import { z } from 'zod'
import { createProviderEmbedder, tfidfEmbedder, type Embedder } from './embeddings.js'
import type { JudgeEndpoints } from './judge/endpoint-settings.js'
import type { OpenAiCompatibleClient } from './openai-compatible.js'
import type { VersionedEvaluator } from './registry.js'
import { levenshtein, referenceMetrics } from './reference-metrics.js'

/** Config of the `reference` evaluator: which metrics, and where the expected answer is. */
export const referenceConfigSchema = z
  .object({
    metrics: z
      .array(z.enum(REFERENCE_METRICS))
      .min(1)
      .default(['exact', 'levenshtein', 'rougeL', 'bleu', 'embedding']),
    /** Key of the expected answer in span metadata (datasets and golden sets put it there). */
    referenceKey: z.string().min(1).max(128).default('expected'),
    /** `auto`: the project's provider embeddings when configured, else hashed TF-IDF. */
    embedding: z.enum(['auto', 'tfidf']).default('auto'),
  })
  .strict()
export type ReferenceConfig = z.output<typeof referenceConfigSchema>

/** Chooses the embedder for a project: provider embeddings only when an embedding model is set. */
export function embedderFor(deps: {
  client: OpenAiCompatibleClient
  endpoints: JudgeEndpoints
}): (projectId: string, mode: 'auto' | 'tfidf') => Promise<Embedder> {
  return async (projectId, mode) => {
    if (mode === 'tfidf') return tfidfEmbedder
    const endpoint = await deps.endpoints.get(projectId)
    if (!endpoint?.embeddingModel) return tfidfEmbedder
    return createProviderEmbedder(deps.client, {
      ...endpoint,
      embeddingModel: endpoint.embeddingModel,
    })
  }
}

/** Compares a span's output with the expected answer in its metadata: `reference.<metric>` scores. */
export function createReferenceEvaluator(deps: {
  embedder: (projectId: string, mode: 'auto' | 'tfidf') => Promise<Embedder>
}): VersionedEvaluator<ReferenceConfig> {
  return {
    kind: 'reference',
    version: '1',
    configSchema: referenceConfigSchema,
    async evaluate(span, config, ctx) {
      const reference = span.metadata?.[config.referenceKey]
      if (typeof reference !== 'string') {
        return { status: 'skipped', reason: `no metadata.${config.referenceKey} to compare with` }
      }
      const output = ioText(span.output)
      const embedder = config.metrics.includes('embedding')
        ? await deps.embedder(span.projectId, config.embedding)
        : tfidfEmbedder
      const values = await referenceMetrics(
        { output, reference, metrics: config.metrics },
        { embedder, signal: ctx.signal },
      )
      const scores: EvalScore[] = Object.entries(values).map(([metric, value]) => ({
        name: `reference.${metric}`,
        value: metric === 'exact' ? value === 1 : value,
      }))
      for (const score of scores) {
        if (score.name === 'reference.levenshtein') {
          score.metadata = { distance: levenshtein(output, reference).distance }
        }
        if (score.name === 'reference.embedding') score.metadata = { embedder: embedder.name }
      }
      return { status: 'scored', scores }
    },
  }
}
