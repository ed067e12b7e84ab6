import { z } from 'zod'
import { LIMITS } from './limits.js'
import { jsonObjectSchema } from './json.js'
import { timestampSchema } from './span.js'

export const FEEDBACK_KINDS = [
  'thumbs',
  'rating',
  'correction',
  'regenerate',
  'copy',
  'abandon',
  'edit',
] as const
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number]

const id = z.string().min(1).max(LIMITS.idLength)

/** End-user feedback on an answer; stored as `user` scores named `feedback.<kind>`. */
export const feedbackInputSchema = z
  .object({
    feedbackId: id.optional(),
    traceId: id,
    spanId: id.nullish(),
    kind: z.enum(FEEDBACK_KINDS),
    /** thumbs: 'up' | 'down' | true | false; rating: a number (1–5 by convention). */
    value: z.union([z.number().finite(), z.boolean(), z.enum(['up', 'down'])]).optional(),
    /** correction: what the right answer was. */
    correction: z.string().max(LIMITS.textBytes).optional(),
    /** edit: the text the user finally kept. */
    finalText: z.string().max(LIMITS.textBytes).optional(),
    comment: z.string().max(LIMITS.textBytes).optional(),
    userId: z.string().max(LIMITS.shortText).optional(),
    createdAt: timestampSchema.optional(),
    metadata: jsonObjectSchema.optional(),
  })
  .superRefine((f, ctx) => {
    if (f.kind === 'thumbs' && f.value === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: "thumbs needs value 'up' or 'down'",
      })
    }
    if (f.kind === 'rating' && typeof f.value !== 'number') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'rating needs a numeric value' })
    }
    if (f.kind === 'correction' && f.correction === undefined) {
      ctx.addIssue({ code: 'custom', path: ['correction'], message: 'correction needs its text' })
    }
    if (f.kind === 'edit' && f.finalText === undefined) {
      ctx.addIssue({ code: 'custom', path: ['finalText'], message: 'edit needs finalText' })
    }
  })
export type FeedbackInput = z.input<typeof feedbackInputSchema>
export type ParsedFeedbackInput = z.output<typeof feedbackInputSchema>
