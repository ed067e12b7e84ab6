import { z } from 'zod'
import { LIMITS } from './limits.js'
import { jsonObjectSchema } from './json.js'
import { ioSchema, type SpanIo } from './message.js'

export const SPAN_KINDS = [
  'generation',
  'embedding',
  'retrieval',
  'tool',
  'agent',
  'chain',
  'span',
] as const
export type SpanKind = (typeof SPAN_KINDS)[number]

export const SPAN_STATUSES = ['ok', 'error', 'unset'] as const
export type SpanStatus = (typeof SPAN_STATUSES)[number]

/** Where a span entered Vigil. */
export const SPAN_SOURCES = ['api', 'gateway', 'otlp', 'sdk'] as const
export type SpanSource = (typeof SPAN_SOURCES)[number]

const id = z.string().min(1).max(LIMITS.idLength)
const short = z.string().max(LIMITS.shortText)

/** Epoch milliseconds, or an ISO-8601 date-time string; parsed to epoch milliseconds. */
export const timestampSchema = z
  .union([
    z.number().finite().nonnegative(),
    z
      .string()
      .max(64)
      .refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO-8601 date-time'),
  ])
  .transform((v) => (typeof v === 'number' ? v : Date.parse(v)))

const tokenCount = z.number().finite().nonnegative()

/** A retrieved document the answer should be grounded in. */
export const contextDocumentSchema = z.object({
  id: short.optional(),
  content: z.string().max(LIMITS.textBytes),
  source: short.optional(),
  score: z.number().finite().optional(),
  metadata: jsonObjectSchema.optional(),
})
export type ContextDocument = z.infer<typeof contextDocumentSchema>

/** Trace-level attribution, copied onto every span of the trace. */
export const traceFieldsSchema = z.object({
  userId: short.optional(),
  sessionId: short.optional(),
  feature: short.optional(),
  environment: short.optional(),
  release: short.optional(),
  tags: z.array(short).max(LIMITS.tags).optional(),
  promptName: short.optional(),
  promptVersion: short.optional(),
})
export type TraceFields = z.infer<typeof traceFieldsSchema>
export const TRACE_FIELD_NAMES = Object.keys(traceFieldsSchema.shape) as (keyof TraceFields)[]

/** The span as every way in submits it. */
export const spanInputSchema = traceFieldsSchema.extend({
  traceId: id,
  spanId: id,
  parentSpanId: id.nullish(),
  name: z.string().min(1).max(LIMITS.nameLength),
  kind: z.enum(SPAN_KINDS).default('span'),
  startTime: timestampSchema,
  endTime: timestampSchema.nullish(),
  status: z.enum(SPAN_STATUSES).default('unset'),
  statusMessage: z.string().max(4096).nullish(),
  provider: short.nullish(),
  requestModel: short.nullish(),
  responseModel: short.nullish(),
  params: jsonObjectSchema.nullish(),
  input: ioSchema.nullish(),
  output: ioSchema.nullish(),
  finishReason: short.nullish(),
  usage: z.record(z.string().max(64), tokenCount).nullish(),
  usageEstimated: z.boolean().default(false),
  cost: z.record(z.string().max(64), z.number().finite().nonnegative()).nullish(),
  ttftMs: z.number().finite().nonnegative().nullish(),
  context: z.array(contextDocumentSchema).max(1000).nullish(),
  metadata: jsonObjectSchema.nullish(),
})
export type SpanInput = z.input<typeof spanInputSchema>
export type ParsedSpanInput = z.output<typeof spanInputSchema>

/**
 * A stored span: wide and immutable. Optional input fields are normalised to null so every
 * adapter stores and returns the same shape.
 */
export interface Span {
  projectId: string
  traceId: string
  spanId: string
  parentSpanId: string | null
  name: string
  kind: SpanKind
  source: SpanSource
  startTime: number
  endTime: number | null
  durationMs: number | null
  status: SpanStatus
  statusMessage: string | null
  userId: string | null
  sessionId: string | null
  feature: string | null
  environment: string | null
  release: string | null
  tags: string[]
  promptName: string | null
  promptVersion: string | null
  provider: string | null
  requestModel: string | null
  responseModel: string | null
  /** responseModel ?? requestModel: the model to slice by. */
  model: string | null
  params: Record<string, unknown> | null
  input: SpanIo | null
  output: SpanIo | null
  finishReason: string | null
  usage: Record<string, number> | null
  usageEstimated: boolean
  cost: Record<string, number> | null
  /** Total cost in USD; null when it is unknown (never silently zero). */
  costTotal: number | null
  ttftMs: number | null
  context: ContextDocument[] | null
  metadata: Record<string, unknown> | null
  ingestedAt: number
}
