import { z } from 'zod'
import { jsonValueSchema } from '../model/json.js'
import { LIMITS } from '../model/limits.js'
import { SPAN_KINDS } from '../model/span.js'
import { JOB_STATES } from '../ports/job-queue.js'

const short = z.string().min(1).max(LIMITS.shortText)

/** An evaluator's name: the ConfigStore id, and the `evaluator` of the scores it writes. */
export const evaluatorNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lowercase letters, digits, . _ - (at most 64)')

/** Which spans an evaluator looks at; an omitted list matches everything. */
export const evaluatorFilterSchema = z
  .object({
    /** Span kinds; default only LLM calls (`generation`). */
    kinds: z.array(z.enum(SPAN_KINDS)).min(1).max(SPAN_KINDS.length).default(['generation']),
    models: z.array(short).max(100).optional(),
    features: z.array(short).max(100).optional(),
    /** A span matches when it has any of these tags. */
    tags: z.array(short).max(100).optional(),
    environments: z.array(short).max(100).optional(),
  })
  .strict()

/**
 * Which matching spans are evaluated: a share of traces chosen by trace id (so every span of a
 * trace and every rerun agree), plus every error span and every trace with negative feedback.
 */
export const samplingPolicySchema = z
  .object({
    rate: z.number().min(0).max(1).default(1),
    errors: z.boolean().default(true),
    flagged: z.boolean().default(true),
  })
  .strict()

/** An evaluator as configured per project (POST /api/v1/evaluators); each change is a version. */
export const evaluatorSettingSchema = z
  .object({
    name: evaluatorNameSchema,
    /** The plug-in, e.g. `pii`, `judge`, `reference`. */
    kind: z.string().min(1).max(64),
    enabled: z.boolean().default(true),
    /** The plug-in's own settings, checked against its schema. */
    config: jsonValueSchema.default({}),
    filter: evaluatorFilterSchema.default({ kinds: ['generation'] }),
    sampling: samplingPolicySchema.default({ rate: 1, errors: true, flagged: true }),
  })
  .strict()
export type EvaluatorSettingInput = z.input<typeof evaluatorSettingSchema>
export type EvaluatorSetting = z.output<typeof evaluatorSettingSchema>

/** A configured evaluator as the API returns it. */
export const evaluatorOutputSchema = z.object({
  name: z.string(),
  kind: z.string(),
  enabled: z.boolean(),
  config: z.unknown(),
  filter: evaluatorFilterSchema,
  sampling: samplingPolicySchema,
  version: z.number().int().describe('config version; scores carry it in evaluatorVersion'),
  codeVersion: z.string().nullable().describe('plug-in code version; null for an unknown kind'),
  updatedAt: z.number(),
})

/** The project's judge endpoint: any OpenAI-compatible chat-completions API. */
export const judgeEndpointSchema = z
  .object({
    /** e.g. `https://api.openai.com/v1`; `/v1` is added when missing. */
    baseUrl: z.url({ protocol: /^https?$/ }).max(2048),
    model: short,
    /** Omitted on an update: the stored key is kept. Not needed by some self-hosted servers. */
    apiKey: z.string().min(1).max(4096).optional(),
    /** Model for provider embeddings (reference metrics); none: hashed TF-IDF vectors. */
    embeddingModel: short.optional(),
    timeoutMs: z.number().int().min(100).max(600_000).default(60_000),
  })
  .strict()
export type JudgeEndpointInput = z.input<typeof judgeEndpointSchema>

/** The judge endpoint as the API returns it: the key only masked. */
export const judgeEndpointOutputSchema = z.object({
  baseUrl: z.string(),
  model: z.string(),
  apiKey: z.string().nullable().describe('masked: only the last 4 characters'),
  embeddingModel: z.string().nullable(),
  timeoutMs: z.number(),
  version: z.number().int(),
})

/** A job of the evaluation queue, as the dead-letter API shows it. */
export const jobOutputSchema = z.object({
  id: z.string(),
  type: z.string(),
  state: z.enum(JOB_STATES),
  attempts: z.number().int(),
  runAt: z.number(),
  lastError: z.string().nullable(),
  payload: z.unknown(),
  createdAt: z.number(),
  updatedAt: z.number(),
})

export const jobListQuerySchema = z
  .object({
    state: z.enum(JOB_STATES).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict()

export const jobListResponseSchema = z.object({
  data: z.array(jobOutputSchema),
  counts: z.record(z.enum(JOB_STATES), z.number().int()),
})

export const REFERENCE_METRICS = [
  'exact',
  'levenshtein',
  'rouge1',
  'rouge2',
  'rougeL',
  'bleu',
  'embedding',
] as const
export type ReferenceMetric = (typeof REFERENCE_METRICS)[number]

/** POST /api/v1/reference-metrics: compares an output with a reference. */
export const referenceMetricsRequestSchema = z
  .object({
    output: z.string().max(LIMITS.textBytes),
    reference: z.string().max(LIMITS.textBytes),
    metrics: z
      .array(z.enum(REFERENCE_METRICS))
      .min(1)
      .default([...REFERENCE_METRICS]),
  })
  .strict()

export const referenceMetricsResponseSchema = z.object({
  scores: z.record(z.string(), z.number()),
  embedding: z.enum(['tfidf', 'provider']).nullable(),
})
