import { z } from 'zod'
import { LIMITS } from '../model/limits.js'
import { SPAN_KINDS, SPAN_STATUSES } from '../model/span.js'

const short = z.string().min(1).max(LIMITS.shortText)

/** A query-string time: epoch milliseconds or ISO-8601. */
const queryTime = z
  .string()
  .max(64)
  .transform((v) => (/^\d+(\.\d+)?$/.test(v) ? Number(v) : Date.parse(v)))
  .refine((v) => Number.isFinite(v), 'not epoch milliseconds or an ISO-8601 date-time')

/** GET /api/v1/spans query string. */
export const spanQueryParamsSchema = z
  .object({
    from: queryTime.optional(),
    to: queryTime.optional(),
    traceId: short.optional(),
    model: short.optional(),
    userId: short.optional(),
    sessionId: short.optional(),
    feature: short.optional(),
    kind: z.enum(SPAN_KINDS).optional(),
    status: z.enum(SPAN_STATUSES).optional(),
    /** Only spans with a score of this name (on the span, or on its trace). */
    scoreName: short.optional(),
    scoreMin: z.coerce.number().finite().optional(),
    scoreMax: z.coerce.number().finite().optional(),
    /** Case-insensitive substring of the input or output text. */
    q: z.string().min(1).max(512).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(512).optional(),
  })
  .strict()
  .refine((p) => (p.scoreMin === undefined && p.scoreMax === undefined) || p.scoreName, {
    message: 'scoreMin/scoreMax need scoreName',
    path: ['scoreName'],
  })
export type SpanQueryParams = z.output<typeof spanQueryParamsSchema>

/** Keyset position: the last row of the previous page (ordered by startTime desc). */
export interface SpanCursor {
  startTime: number
  traceId: string
  spanId: string
}

/** Encodes a cursor for the `nextCursor` field. */
export function encodeCursor(cursor: SpanCursor): string {
  return Buffer.from(JSON.stringify([cursor.startTime, cursor.traceId, cursor.spanId])).toString(
    'base64url',
  )
}

/** Decodes a `cursor` query value; undefined when it is not one of ours. */
export function parseCursor(value: string): SpanCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'))
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      typeof parsed[0] === 'number' &&
      typeof parsed[1] === 'string' &&
      typeof parsed[2] === 'string'
    ) {
      return { startTime: parsed[0], traceId: parsed[1], spanId: parsed[2] }
    }
  } catch {
    return undefined
  }
  return undefined
}
