import { promisify } from 'node:util'
import { brotliDecompress, gunzip, inflate } from 'node:zlib'
import type { JsonValue, SpanInput } from '@vigil/core'
import { headerValue, parseAttribution, type OmitContent } from './attribution.js'
import type { Capture } from './capture.js'
import type { JsonRecord, RequestFacts, ResponseFacts } from './provider.js'
import { clampShort } from './providers/shape.js'
import { parseSse } from './sse.js'

const DECODERS: Record<string, (input: Buffer) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
}

/** Generic calls keep bodies up to this size as text. */
const GENERIC_TEXT_MAX = 65_536

/** The response body as the upstream meant it (decompressed on a worker thread if needed). */
async function responseBody(capture: Capture): Promise<Buffer | undefined> {
  if (capture.chunks.length === 0) return undefined
  const raw = capture.chunks.length === 1 ? capture.chunks[0]! : Buffer.concat(capture.chunks)
  const encoding = headerValue(capture.responseHeaders ?? {}, 'content-encoding')?.toLowerCase()
  if (encoding === undefined || encoding === 'identity') return raw
  const decode = DECODERS[encoding]
  // a truncated capture cannot be decompressed; the span keeps its metadata
  if (decode === undefined || capture.truncated) return undefined
  return decode(raw).catch(() => undefined)
}

function parseJson(body: Buffer | undefined): JsonRecord | undefined {
  if (body === undefined || body.length === 0) return undefined
  try {
    const value: unknown = JSON.parse(body.toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JsonRecord)
      : undefined
  } catch {
    return undefined
  }
}

function isEventStream(capture: Capture): boolean {
  const type = headerValue(capture.responseHeaders ?? {}, 'content-type') ?? ''
  return type.startsWith('text/event-stream')
}

/** What the response says: a stream's events, a JSON body, or a provider error. */
async function responseFacts(capture: Capture): Promise<ResponseFacts> {
  const { operation, plugin, status } = capture
  const ok = status !== undefined && status >= 200 && status < 300
  const encoded = headerValue(capture.responseHeaders ?? {}, 'content-encoding') !== undefined
  if (operation && ok && isEventStream(capture) && !encoded) {
    return operation.parseStream(parseSse(capture.chunks, capture.times))
  }
  const body = await responseBody(capture)
  if (operation && ok && isEventStream(capture) && body !== undefined) {
    // compressed streams are parsed whole: the first token's time is then unknown
    return { ...operation.parseStream(parseSse([body], [capture.durationMs])), ttftMs: undefined }
  }
  const json = parseJson(body)
  if (!ok) return { error: plugin.errorMessage(json) ?? textOf(body)?.slice(0, 1024) }
  if (operation && json) return operation.parseResponse(json)
  return { output: textOf(body) }
}

function textOf(body: Buffer | undefined): string | undefined {
  if (body === undefined || body.length === 0 || body.length > GENERIC_TEXT_MAX) return undefined
  return body.toString('utf8')
}

function requestFacts(capture: Capture, body: JsonRecord | undefined): RequestFacts {
  if (capture.operation && body) return capture.operation.parseRequest(body)
  return {
    model: typeof body?.['model'] === 'string' ? body['model'] : undefined,
    input: textOf(capture.requestBody),
  }
}

/** With `x-vigil-omit`, only scalar settings (temperature, max_tokens, …) are kept. */
function scalarParams(params: RequestFacts['params']): RequestFacts['params'] {
  if (params === undefined) return undefined
  const out: Record<string, JsonValue> = {}
  for (const [key, value] of Object.entries(params)) {
    if (value === null || typeof value !== 'object') out[key] = value
  }
  return out
}

function statusMessage(capture: Capture, facts: ResponseFacts): string | undefined {
  switch (capture.outcome) {
    case 'client_closed':
      return `client disconnected after ${Math.round(capture.durationMs)} ms (${capture.bytes} response bytes forwarded)`
    case 'upstream_failed':
    case 'upstream_timeout':
      return capture.errorMessage
    case 'complete':
      if (facts.error !== undefined) return facts.error.slice(0, 4096)
      if (capture.status !== undefined && capture.status >= 400)
        return `upstream answered ${capture.status}`
      return undefined
  }
}

function metadataOf(
  capture: Capture,
  facts: ResponseFacts,
  properties: Record<string, string>,
): Record<string, JsonValue> {
  const requestId =
    headerValue(capture.responseHeaders ?? {}, 'x-request-id') ??
    headerValue(capture.responseHeaders ?? {}, 'request-id')
  const gateway: Record<string, JsonValue> = {
    method: capture.method,
    path: capture.path,
    outcome: capture.outcome,
    stream: isEventStream(capture),
  }
  if (capture.status !== undefined) gateway['upstreamStatus'] = capture.status
  if (requestId !== undefined) gateway['upstreamRequestId'] = requestId.slice(0, 256)
  if (capture.truncated) gateway['truncated'] = true
  const metadata: Record<string, JsonValue> = { gateway, ...facts.metadata }
  if (Object.keys(properties).length > 0) metadata['properties'] = properties
  return metadata
}

/**
 * Usage to record: the provider's; none (estimated on the write path) when a call produced
 * output without reporting usage; zero when the upstream refused or never answered, because
 * providers do not bill those and an estimate would invent a cost.
 */
function usageOf(capture: Capture, facts: ResponseFacts): SpanInput['usage'] {
  if (facts.usage !== undefined) return facts.usage
  const refused = capture.status === undefined || capture.status >= 400
  if (refused && capture.outcome !== 'client_closed') return { input: 0, output: 0 }
  return null
}

const optionalShort = (value: string | undefined) =>
  value === undefined ? null : clampShort(value)

/** Turns a capture into the span the write path stores. */
export async function buildSpan(capture: Capture): Promise<SpanInput> {
  const attribution = parseAttribution(capture.headers)
  const omit: OmitContent = attribution.omit
  const request = requestFacts(capture, parseJson(capture.requestBody))
  const response = await responseFacts(capture)
  const failed =
    capture.outcome !== 'complete' || response.error !== undefined || (capture.status ?? 0) >= 400
  const { plugin, operation } = capture
  const durationMs = Math.round(capture.durationMs)
  return {
    traceId: capture.traceId,
    spanId: capture.spanId,
    name: operation
      ? `${plugin.name}.${operation.name}`
      : `${plugin.name} ${capture.method} ${capture.path}`.slice(0, 512),
    kind: operation?.kind ?? 'span',
    startTime: capture.startTime,
    endTime: capture.startTime + durationMs,
    status: failed ? 'error' : 'ok',
    statusMessage: failed ? (statusMessage(capture, response) ?? null) : null,
    provider: plugin.name,
    requestModel: optionalShort(request.model),
    responseModel: optionalShort(response.model),
    params: omit.request ? scalarParams(request.params) : request.params,
    input: omit.request ? null : (request.input ?? null),
    output: omit.response ? null : (response.output ?? null),
    finishReason: optionalShort(response.finishReason),
    usage: usageOf(capture, response),
    ttftMs: response.ttftMs === undefined ? null : Math.round(response.ttftMs * 100) / 100,
    metadata: metadataOf(capture, response, attribution.properties),
    ...attribution.fields,
  }
}
