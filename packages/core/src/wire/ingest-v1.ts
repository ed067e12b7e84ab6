import { z } from 'zod'
import { LIMITS } from '../model/limits.js'
import { spanInputSchema } from '../model/span.js'
import { scoreInputSchema } from '../model/score.js'
import { feedbackInputSchema } from '../model/feedback.js'

/** POST /api/v1/ingest: a batch of spans, scores and feedback. Items are validated one by one. */
export const ingestRequestSchema = z
  .object({
    spans: z.array(spanInputSchema).max(LIMITS.batchItems).optional(),
    scores: z.array(scoreInputSchema).max(LIMITS.batchItems).optional(),
    feedback: z.array(feedbackInputSchema).max(LIMITS.batchItems).optional(),
  })
  .strict()
export type IngestRequest = z.input<typeof ingestRequestSchema>

/** The envelope only: each item is checked on its own so one bad item rejects only itself. */
export const ingestEnvelopeSchema = z
  .object({
    spans: z.array(z.unknown()).max(LIMITS.batchItems).optional(),
    scores: z.array(z.unknown()).max(LIMITS.batchItems).optional(),
    feedback: z.array(z.unknown()).max(LIMITS.batchItems).optional(),
  })
  .strict()

export const INGEST_ITEM_TYPES = ['span', 'score', 'feedback'] as const
export type IngestItemType = (typeof INGEST_ITEM_TYPES)[number]

export const fieldIssueSchema = z.object({ path: z.string(), message: z.string() })
export type FieldIssue = z.infer<typeof fieldIssueSchema>

export const ingestItemResultSchema = z.object({
  type: z.enum(INGEST_ITEM_TYPES),
  index: z.number().int(),
  id: z.string().nullable(),
  status: z.enum(['accepted', 'rejected']),
  errors: z.array(fieldIssueSchema).optional(),
})
export type IngestItemResult = z.infer<typeof ingestItemResultSchema>

/** 200 when every item was accepted, 207 when some were, 400 when none were. */
export const ingestResponseSchema = z.object({
  accepted: z.number().int(),
  rejected: z.number().int(),
  results: z.array(ingestItemResultSchema),
})
export type IngestResponse = z.infer<typeof ingestResponseSchema>

/** Turns zod issues into field paths a person can follow, e.g. `spans[3].startTime`. */
export function toFieldIssues(prefix: string, error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    let path = prefix
    for (const part of issue.path) {
      path += typeof part === 'number' ? `[${part}]` : `.${String(part)}`
    }
    return { path, message: issue.message }
  })
}
