export { AppError, ERROR_CODES, isAppError, toAppError } from './errors.js'
export type { AppErrorDetails, ErrorCode } from './errors.js'
export { newSpanId, newTraceId, randomHexId } from './ids.js'
export { LIMITS } from './model/limits.js'
export { jsonObjectSchema, jsonValueSchema, type JsonValue } from './model/json.js'
export {
  contentPartSchema,
  ioSchema,
  ioText,
  messageSchema,
  messageText,
  toolCallSchema,
} from './model/message.js'
export type { Message, SpanIo, ToolCall } from './model/message.js'
export {
  contextDocumentSchema,
  SPAN_KINDS,
  SPAN_SOURCES,
  SPAN_STATUSES,
  spanInputSchema,
  timestampSchema,
  TRACE_FIELD_NAMES,
  traceFieldsSchema,
} from './model/span.js'
export type {
  ContextDocument,
  ParsedSpanInput,
  Span,
  SpanInput,
  SpanKind,
  SpanSource,
  SpanStatus,
  TraceFields,
} from './model/span.js'
export { SCORE_DATA_TYPES, SCORE_SOURCES, scoreInputSchema } from './model/score.js'
export type {
  ParsedScoreInput,
  Score,
  ScoreDataType,
  ScoreInput,
  ScoreSource,
} from './model/score.js'
export { FEEDBACK_KINDS, feedbackInputSchema } from './model/feedback.js'
export type { FeedbackInput, FeedbackKind, ParsedFeedbackInput } from './model/feedback.js'
export { completionTokens, normalizeUsage, promptTokens, totalTokens } from './model/usage.js'
export type { CostMap, RawUsage, UsageMap } from './model/usage.js'
export {
  contentId,
  feedbackToScore,
  propagateTraceFields,
  toScore,
  toSpan,
  type NormalizeContext,
} from './model/normalize.js'
export {
  ingestEnvelopeSchema,
  ingestItemResultSchema,
  ingestRequestSchema,
  ingestResponseSchema,
  INGEST_ITEM_TYPES,
  toFieldIssues,
} from './wire/ingest-v1.js'
export type {
  FieldIssue,
  IngestItemResult,
  IngestItemType,
  IngestRequest,
  IngestResponse,
} from './wire/ingest-v1.js'
export { encodeCursor, parseCursor, spanQueryParamsSchema } from './wire/query-v1.js'
export type { SpanCursor, SpanQueryParams } from './wire/query-v1.js'
export type {
  AppendBatch,
  AppendResult,
  ApiKeyRecord,
  EventStore,
  MetaStore,
  Page,
  Project,
  SpanFilter,
  SpanQuery,
  Storage,
  TraceRecord,
} from './ports/storage.js'
export type { EvalContext, EvalOutcome, EvalScore, Evaluator } from './ports/evaluator.js'
export {
  API_V1_ROUTES,
  apiKeyOutputSchema,
  createdKeyResponseSchema,
  createKeyRequestSchema,
  errorResponseSchema,
  scoreOutputSchema,
  spanOutputSchema,
  spanPageSchema,
  traceResponseSchema,
} from './wire/api-v1.js'
export type { ApiRoute, SpanTreeNode } from './wire/api-v1.js'
export { buildOpenApiDocument } from './wire/openapi.js'
export type { ConfigRecord, ConfigStore } from './ports/config-store.js'
export { JOB_STATES } from './ports/job-queue.js'
export type { Job, JobClaim, JobFilter, JobQueue, JobState, NewJob } from './ports/job-queue.js'
export {
  gatewayStatsSchema,
  modelPriceOutputSchema,
  modelPriceSchema,
  redactionSettingSchema,
  upstreamOutputSchema,
  upstreamSettingSchema,
} from './wire/gateway-v1.js'
export type { ModelPrice, RedactionSetting, UpstreamSetting } from './wire/gateway-v1.js'
export {
  evaluatorFilterSchema,
  evaluatorNameSchema,
  evaluatorOutputSchema,
  evaluatorSettingSchema,
  jobListQuerySchema,
  jobListResponseSchema,
  jobOutputSchema,
  judgeEndpointOutputSchema,
  judgeEndpointSchema,
  REFERENCE_METRICS,
  referenceMetricsRequestSchema,
  referenceMetricsResponseSchema,
  samplingPolicySchema,
} from './wire/evaluators-v1.js'
export type {
  EvaluatorSetting,
  EvaluatorSettingInput,
  JudgeEndpointInput,
  ReferenceMetric,
} from './wire/evaluators-v1.js'
