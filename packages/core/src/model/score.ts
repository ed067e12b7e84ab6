import { z } from 'zod'
import { LIMITS } from './limits.js'
import { jsonObjectSchema } from './json.js'
import { timestampSchema } from './span.js'

export const SCORE_SOURCES = ['heuristic', 'judge', 'human', 'user', 'api'] as const
export type ScoreSource = (typeof SCORE_SOURCES)[number]

export const SCORE_DATA_TYPES = ['numeric', 'boolean', 'categorical'] as const
export type ScoreDataType = (typeof SCORE_DATA_TYPES)[number]

const id = z.string().min(1).max(LIMITS.idLength)
const short = z.string().max(LIMITS.shortText)

/** A score as submitted: attached to a trace, or to one span of it. */
export const scoreInputSchema = z.object({
  scoreId: id.optional(),
  traceId: id,
  spanId: id.nullish(),
  name: z.string().min(1).max(LIMITS.shortText),
  value: z.union([z.number().finite(), z.boolean(), z.string().max(LIMITS.shortText)]),
  source: z.enum(SCORE_SOURCES).default('api'),
  evaluator: short.nullish(),
  evaluatorVersion: short.nullish(),
  explanation: z.string().max(LIMITS.textBytes).nullish(),
  cost: z.record(z.string().max(64), z.number().finite().nonnegative()).nullish(),
  latencyMs: z.number().finite().nonnegative().nullish(),
  createdAt: timestampSchema.optional(),
  metadata: jsonObjectSchema.nullish(),
})
export type ScoreInput = z.input<typeof scoreInputSchema>
export type ParsedScoreInput = z.output<typeof scoreInputSchema>

/** A stored score. Booleans are stored as 0/1 in `value` with `dataType: 'boolean'`. */
export interface Score {
  projectId: string
  scoreId: string
  traceId: string
  spanId: string | null
  name: string
  dataType: ScoreDataType
  /** The number (numeric), 0/1 (boolean) or null (categorical). */
  value: number | null
  /** The category (categorical), 'true'/'false' (boolean) or null (numeric). */
  stringValue: string | null
  source: ScoreSource
  evaluator: string | null
  evaluatorVersion: string | null
  explanation: string | null
  cost: Record<string, number> | null
  costTotal: number | null
  latencyMs: number | null
  metadata: Record<string, unknown> | null
  createdAt: number
  ingestedAt: number
}
