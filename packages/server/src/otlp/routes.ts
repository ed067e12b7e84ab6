import { AppError, LIMITS, type IngestResponse } from '@vigil/core'
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  preHandlerAsyncHookHandler,
} from 'fastify'
import { errorBody, fromFastifyError, HTTP_STATUS, principalOf } from '../http/index.js'
import { ingest, type IngestDeps } from '../ingest/index.js'
import { decodeOtlpProtobuf } from './decode-protobuf.js'
import { parseOtlpJson } from './decode-json.js'
import type { OtlpMapper } from './mapper.js'
import { OTLP_MAPPERS } from './mappers/index.js'
import { mapOtlpExport, type MappedExport } from './process.js'
import {
  encodeExportResponse,
  encodeStatus,
  exportResponseJson,
  statusJson,
  type PartialSuccess,
} from './response.js'
import { assertValidIds } from './validate-export.js'

/** Where OTLP/HTTP trace exports are accepted: the standard path and Langfuse's. */
export const OTLP_TRACE_PATHS = ['/v1/traces', '/api/public/otel/v1/traces'] as const

const PROTOBUF_TYPES = ['application/x-protobuf', 'application/protobuf']

/** What the receiver needs: the write path, the auth hook, optionally other mappers (tests). */
export interface OtlpDeps extends IngestDeps {
  auth: preHandlerAsyncHookHandler
  mappers?: readonly OtlpMapper[]
}

function isProtobuf(request: FastifyRequest): boolean {
  const type = String(request.headers['content-type'] ?? '').toLowerCase()
  return PROTOBUF_TYPES.some((t) => type.startsWith(t))
}

function isJson(request: FastifyRequest): boolean {
  return String(request.headers['content-type'] ?? '')
    .toLowerCase()
    .startsWith('application/json')
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += LIMITS.batchItems)
    out.push(items.slice(i, i + LIMITS.batchItems))
  return out
}

/** Rejected spans and the first reasons, for the OTLP partial-success answer. */
function partialOf(results: IngestResponse[]): PartialSuccess | null {
  const rejected = results.flatMap((r) => r.results.filter((item) => item.status === 'rejected'))
  if (rejected.length === 0) return null
  const reasons = rejected
    .flatMap((item) =>
      (item.errors ?? []).map(
        (e) => `${item.type} ${item.id ?? item.index}: ${e.path}: ${e.message}`,
      ),
    )
    .slice(0, 5)
  return {
    rejectedSpans: rejected.filter((item) => item.type === 'span').length,
    errorMessage: `${rejected.length} item(s) rejected; ${reasons.join('; ')}`,
  }
}

/** Everything through ingest(), in batches it accepts, each committed before the answer. */
async function ingestMapped(
  deps: OtlpDeps,
  projectId: string,
  mapped: MappedExport,
): Promise<PartialSuccess | null> {
  const results: IngestResponse[] = []
  for (const spans of chunks(mapped.spans)) {
    results.push(await ingest(deps, { projectId, source: 'otlp' }, { spans }))
  }
  for (const scores of chunks(mapped.scores)) {
    results.push(await ingest(deps, { projectId, source: 'otlp' }, { scores }))
  }
  return partialOf(results)
}

function handleOtlpError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const appError = fromFastifyError(error)
  const status = HTTP_STATUS[appError.code]
  if (status >= 500) request.log.error({ err: error, code: appError.code }, 'OTLP export failed')
  if (appError.details.retryAfterSeconds !== undefined) {
    void reply.header('retry-after', String(appError.details.retryAfterSeconds))
  }
  if (isProtobuf(request)) {
    void reply
      .status(status)
      .type('application/x-protobuf')
      .send(Buffer.from(encodeStatus(appError)))
  } else void reply.status(status).send(statusJson(appError, errorBody(appError)))
}

/**
 * OTLP/HTTP trace receiver: protobuf or JSON bodies (gzip is decoded by the app's preParsing
 * hook, within the body limit), project-key auth, mapping through the mapper registry, and
 * OTLP partial-success answers. Failures answer in the request's encoding.
 */
export function otlpRoutes(app: FastifyInstance, deps: OtlpDeps): void {
  const mappers = deps.mappers ?? OTLP_MAPPERS
  void app.register((scope, _options, done) => {
    scope.addContentTypeParser(PROTOBUF_TYPES, { parseAs: 'buffer' }, (_request, body, parsed) => {
      parsed(null, body)
    })
    scope.setErrorHandler(handleOtlpError)
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const { projectId } = principalOf(request)
      const protobuf = isProtobuf(request)
      if (!protobuf && !isJson(request)) {
        throw new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          `content-type ${request.headers['content-type'] ?? '(none)'} is not OTLP; send application/x-protobuf or application/json`,
        )
      }
      const data = protobuf
        ? decodeOtlpProtobuf(request.body as Buffer)
        : parseOtlpJson(request.body)
      assertValidIds(data)
      const partial = await ingestMapped(deps, projectId, mapOtlpExport(data, mappers))
      if (!protobuf) return reply.send(exportResponseJson(partial))
      return reply.type('application/x-protobuf').send(Buffer.from(encodeExportResponse(partial)))
    }
    for (const path of OTLP_TRACE_PATHS) scope.post(path, { preHandler: deps.auth }, handler)
    done()
  })
}
