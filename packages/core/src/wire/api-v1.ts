import { z } from 'zod'
import { feedbackInputSchema } from '../model/feedback.js'
import { scoreInputSchema, SCORE_SOURCES, SCORE_DATA_TYPES } from '../model/score.js'
import { SPAN_KINDS, SPAN_SOURCES, SPAN_STATUSES } from '../model/span.js'
import { ingestRequestSchema, ingestResponseSchema } from './ingest-v1.js'
import {
  gatewayStatsSchema,
  modelPriceOutputSchema,
  modelPriceSchema,
  redactionSettingSchema,
  upstreamOutputSchema,
  upstreamSettingSchema,
} from './gateway-v1.js'
import { spanQueryParamsSchema } from './query-v1.js'
import {
  evaluatorOutputSchema,
  evaluatorSettingSchema,
  jobListQuerySchema,
  jobListResponseSchema,
  jobOutputSchema,
  judgeEndpointOutputSchema,
  judgeEndpointSchema,
  referenceMetricsRequestSchema,
  referenceMetricsResponseSchema,
} from './evaluators-v1.js'

/** A stored span as the API returns it (times are epoch milliseconds). */
export const spanOutputSchema = z
  .object({
    projectId: z.string(),
    traceId: z.string(),
    spanId: z.string(),
    parentSpanId: z.string().nullable(),
    name: z.string(),
    kind: z.enum(SPAN_KINDS),
    source: z.enum(SPAN_SOURCES),
    startTime: z.number(),
    endTime: z.number().nullable(),
    durationMs: z.number().nullable(),
    status: z.enum(SPAN_STATUSES),
    model: z.string().nullable(),
    usage: z.record(z.string(), z.number()).nullable(),
    costTotal: z.number().nullable().describe('USD; null when unknown, never silently zero'),
  })
  .catchall(z.unknown())

/** A stored score as the API returns it. */
export const scoreOutputSchema = z
  .object({
    scoreId: z.string(),
    traceId: z.string(),
    spanId: z.string().nullable(),
    name: z.string(),
    dataType: z.enum(SCORE_DATA_TYPES),
    value: z.number().nullable(),
    stringValue: z.string().nullable(),
    source: z.enum(SCORE_SOURCES),
  })
  .catchall(z.unknown())

export interface SpanTreeNode {
  spanId: string
  children: SpanTreeNode[]
}
export const spanTreeNodeSchema: z.ZodType<SpanTreeNode> = z.lazy(() =>
  z.object({ spanId: z.string(), children: z.array(spanTreeNodeSchema) }),
)

export const traceResponseSchema = z.object({
  traceId: z.string(),
  spans: z.array(spanOutputSchema),
  tree: z.array(spanTreeNodeSchema),
  scores: z.array(scoreOutputSchema),
})

export const spanPageSchema = z.object({
  data: z.array(spanOutputSchema),
  nextCursor: z.string().nullable(),
})

export const errorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
})

export const apiKeyOutputSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.number(),
  revokedAt: z.number().nullable(),
})
export const createKeyRequestSchema = z.object({ name: z.string().min(1).max(128) }).strict()
export const createdKeyResponseSchema = apiKeyOutputSchema.extend({
  secret: z.string().describe('shown once; only its hash is stored'),
})

/** OTLP/JSON `ExportTraceServiceRequest` (protobuf bodies carry the same message). */
export const otlpTraceRequestSchema = z
  .object({ resourceSpans: z.array(z.unknown()).describe('OTLP ResourceSpans') })
  .describe('OTLP/JSON or application/x-protobuf, optionally gzip-encoded')

/** OTLP `ExportTraceServiceResponse`: `partialSuccess` names what was not stored. */
export const otlpTraceResponseSchema = z.object({
  partialSuccess: z.object({ rejectedSpans: z.string(), errorMessage: z.string() }).optional(),
})

/** One route of the public API: the single description the server, SDK and OpenAPI share. */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  path: string
  summary: string
  auth: boolean
  body?: z.ZodType
  query?: z.ZodType
  response?: z.ZodType
}

const priceList = z.object({ data: z.array(modelPriceOutputSchema) })

/** Gateway settings, custom prices and recording counters. */
const GATEWAY_ROUTES: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/gateway/upstreams',
    summary: 'The upstream base URL in force for each gateway provider',
    auth: true,
    response: z.object({ data: z.array(upstreamOutputSchema) }),
  },
  {
    method: 'PUT',
    path: '/api/v1/gateway/upstreams/{provider}',
    summary: "Set the project's upstream for a provider (self-hosted, Azure-style, test fakes)",
    auth: true,
    body: upstreamSettingSchema,
    response: upstreamOutputSchema,
  },
  {
    method: 'DELETE',
    path: '/api/v1/gateway/upstreams/{provider}',
    summary: "Return a provider to the server's default upstream",
    auth: true,
  },
  {
    method: 'GET',
    path: '/api/v1/gateway/stats',
    summary: 'Gateway calls recorded, and not recorded (fail-open), since the server started',
    auth: true,
    response: gatewayStatsSchema,
  },
  {
    method: 'GET',
    path: '/api/v1/privacy/redaction',
    summary: 'Redaction of personal data in recorded gateway calls',
    auth: true,
    response: redactionSettingSchema,
  },
  {
    method: 'PUT',
    path: '/api/v1/privacy/redaction',
    summary: 'Turn redaction of personal data before storage on or off',
    auth: true,
    body: redactionSettingSchema,
    response: redactionSettingSchema,
  },
  {
    method: 'GET',
    path: '/api/v1/prices',
    summary: "The project's custom model prices",
    auth: true,
    response: priceList,
  },
  {
    method: 'GET',
    path: '/api/v1/prices/{model}',
    summary: 'One custom model price',
    auth: true,
    response: modelPriceOutputSchema,
  },
  {
    method: 'PUT',
    path: '/api/v1/prices/{model}',
    summary: 'Set a custom price (USD per 1M tokens); it wins over the bundled catalogue',
    auth: true,
    body: modelPriceSchema,
    response: modelPriceOutputSchema,
  },
  {
    method: 'DELETE',
    path: '/api/v1/prices/{model}',
    summary: 'Remove a custom price (the bundled one applies again)',
    auth: true,
  },
]

const EVALUATOR_ROUTES: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/evaluator-kinds',
    summary: 'The evaluator plug-ins this server has, with their code versions',
    auth: true,
    response: z.object({
      data: z.array(z.object({ kind: z.string(), version: z.string(), source: z.string() })),
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/evaluators',
    summary: "The project's evaluators (latest version of each)",
    auth: true,
    response: z.object({ data: z.array(evaluatorOutputSchema) }),
  },
  {
    method: 'POST',
    path: '/api/v1/evaluators',
    summary: 'Create or change an evaluator by name; every change is a new version (201 for v1)',
    auth: true,
    body: evaluatorSettingSchema,
    response: evaluatorOutputSchema,
  },
  {
    method: 'GET',
    path: '/api/v1/evaluators/{name}',
    summary: 'One evaluator, latest or `?version=N`',
    auth: true,
    response: evaluatorOutputSchema,
  },
  {
    method: 'DELETE',
    path: '/api/v1/evaluators/{name}',
    summary: 'Delete an evaluator',
    auth: true,
  },
  {
    method: 'GET',
    path: '/api/v1/judge-endpoint',
    summary: "The project's LLM-as-judge endpoint (key masked)",
    auth: true,
    response: judgeEndpointOutputSchema,
  },
  {
    method: 'PUT',
    path: '/api/v1/judge-endpoint',
    summary: 'Set the OpenAI-compatible judge endpoint; an omitted apiKey keeps the stored one',
    auth: true,
    body: judgeEndpointSchema,
    response: judgeEndpointOutputSchema,
  },
  {
    method: 'DELETE',
    path: '/api/v1/judge-endpoint',
    summary: 'Remove the judge endpoint',
    auth: true,
  },
  {
    method: 'GET',
    path: '/api/v1/evaluation-jobs',
    summary: 'Evaluation jobs by state (dead letters included) with counts per state',
    auth: true,
    query: jobListQuerySchema,
    response: jobListResponseSchema,
  },
  {
    method: 'GET',
    path: '/api/v1/evaluation-jobs/{jobId}',
    summary: 'One evaluation job',
    auth: true,
    response: jobOutputSchema,
  },
  {
    method: 'POST',
    path: '/api/v1/evaluation-jobs/{jobId}/retry',
    summary: 'Put a dead evaluation job back in the queue',
    auth: true,
    response: jobOutputSchema,
  },
  {
    method: 'POST',
    path: '/api/v1/reference-metrics',
    summary: 'Exact, Levenshtein, ROUGE, BLEU and embedding similarity of an output to a reference',
    auth: true,
    body: referenceMetricsRequestSchema,
    response: referenceMetricsResponseSchema,
  },
]

/** Every route of /api/v1 and the health check. Modules add theirs here as they land. */
export const API_V1_ROUTES: ApiRoute[] = [
  { method: 'GET', path: '/healthz', summary: 'Liveness', auth: false },
  {
    method: 'POST',
    path: '/api/v1/ingest',
    summary: 'Ingest a batch of spans, scores and feedback (acknowledged after commit)',
    auth: true,
    body: ingestRequestSchema,
    response: ingestResponseSchema,
  },
  {
    method: 'POST',
    path: '/v1/traces',
    summary: 'OTLP/HTTP trace export (protobuf or JSON); key as Bearer, x-vigil-key or Basic',
    auth: true,
    body: otlpTraceRequestSchema,
    response: otlpTraceResponseSchema,
  },
  {
    method: 'POST',
    path: '/api/public/otel/v1/traces',
    summary: "OTLP/HTTP trace export at Langfuse's path; Basic publicKey:secretKey (secret = key)",
    auth: true,
    body: otlpTraceRequestSchema,
    response: otlpTraceResponseSchema,
  },
  {
    method: 'POST',
    path: '/api/v1/scores',
    summary: 'Attach one score',
    auth: true,
    body: scoreInputSchema,
    response: ingestResponseSchema,
  },
  {
    method: 'POST',
    path: '/api/v1/feedback',
    summary: 'Record end-user feedback',
    auth: true,
    body: feedbackInputSchema,
    response: ingestResponseSchema,
  },
  {
    method: 'GET',
    path: '/api/v1/spans',
    summary: 'List spans, newest first',
    auth: true,
    query: spanQueryParamsSchema,
    response: spanPageSchema,
  },
  {
    method: 'GET',
    path: '/api/v1/traces/{traceId}',
    summary: 'A trace with its span tree and scores',
    auth: true,
    response: traceResponseSchema,
  },
  {
    method: 'GET',
    path: '/api/v1/keys',
    summary: "List the project's API keys",
    auth: true,
    response: z.object({ data: z.array(apiKeyOutputSchema) }),
  },
  {
    method: 'POST',
    path: '/api/v1/keys',
    summary: 'Create an API key for the project',
    auth: true,
    body: createKeyRequestSchema,
    response: createdKeyResponseSchema,
  },
  { method: 'DELETE', path: '/api/v1/keys/{keyId}', summary: 'Revoke an API key', auth: true },
  ...GATEWAY_ROUTES,
  ...EVALUATOR_ROUTES,
]
