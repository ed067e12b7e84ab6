export { createVigil, type Vigil, type VigilStats } from './client.js'
export type { VigilOptions } from './options.js'
export type { SpanOptions } from './tracer.js'
export type { SpanHandle, SpanUpdate } from './span-record.js'
export type { TraceAttributes } from './attributes.js'
export type { FeedbackOptions, ScoreOptions } from './feedback.js'
export type { WrapOptions } from './record-call.js'
export {
  normalizeUsage,
  AppError,
  type ErrorCode,
  type FeedbackKind,
  type SpanKind,
  type UsageMap,
} from '@vigil/core'
