import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { promisify } from 'node:util'
import { constants, gzip, type ZlibOptions } from 'node:zlib'
import { AppError, ERROR_CODES, type ErrorCode, type IngestResponse } from '@vigil/core'
import { readIngestResponse } from './ingest-response.js'

const gzipAsync = promisify<Buffer, ZlibOptions, Buffer>(gzip)
// batches of spans are repetitive JSON: the fastest level already shrinks them several times,
// at a fraction of the default level's CPU
const GZIP_OPTIONS: ZlibOptions = { level: constants.Z_BEST_SPEED }

/** Bodies smaller than this go uncompressed: gzip would cost more CPU than it saves bytes. */
const GZIP_MIN_BYTES = 1024
/** Responses larger than this are not read to the end (a per-item result list is far smaller). */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024
/** Retry-After values above this are capped: a queue cannot wait minutes. */
const MAX_RETRY_AFTER_MS = 60_000

/** What one POST of a batch came to. */
export type SendOutcome =
  /** 200: every item accepted. `response` is null when the body could not be read. */
  | { kind: 'accepted'; response: IngestResponse | null }
  /** 207, or 400 with per-item results: some or all items were rejected one by one. */
  | { kind: 'partial'; response: IngestResponse }
  /** Any other 4xx but 429: retrying would not help. */
  | { kind: 'rejected'; error: AppError }
  /** Network failure, timeout, 429 or 5xx: worth another attempt. */
  | { kind: 'retry'; error: AppError; retryAfterMs: number | undefined }

/** Posts serialized batches to `/api/v1/ingest`. */
export interface Transport {
  send(json: string): Promise<SendOutcome>
  /** Closes idle keep-alive sockets. */
  close(): void
}

/** Where and how to post. */
export interface HttpTransportOptions {
  endpoint: URL
  apiKey: string
  timeoutMs: number
}

interface RawResponse {
  status: number
  headers: IncomingMessage['headers']
  body: string
}

/** A transport over node:http(s): no global `fetch`, which hosts and frameworks patch. */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const secure = options.endpoint.protocol === 'https:'
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, maxSockets: 2 })
    : new HttpAgent({ keepAlive: true, maxSockets: 2 })
  const url = new URL('api/v1/ingest', withSlash(options.endpoint))
  const post = (body: Buffer, gzipped: boolean): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const req = (secure ? httpsRequest : httpRequest)(url, {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': String(body.length),
          authorization: `Bearer ${options.apiKey}`,
          ...(gzipped ? { 'content-encoding': 'gzip' } : {}),
        },
      })
      const timer = setTimeout(() => {
        req.destroy(new Error(`no answer within ${options.timeoutMs} ms`))
      }, options.timeoutMs)
      timer.unref()
      req.once('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
      req.once('response', (res) => {
        readBody(res).then((text) => {
          clearTimeout(timer)
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text })
        }, reject)
      })
      req.end(body)
    })
  return {
    async send(json) {
      const raw = Buffer.from(json, 'utf8')
      const gzipped = raw.length >= GZIP_MIN_BYTES
      try {
        const body = gzipped ? await gzipAsync(raw, GZIP_OPTIONS) : raw
        return classify(await post(body, gzipped))
      } catch (cause) {
        const message = cause instanceof Error ? cause.message : String(cause)
        return {
          kind: 'retry',
          error: new AppError('UNAVAILABLE', `cannot reach ${url.origin}: ${message}`, { cause }),
          retryAfterMs: undefined,
        }
      }
    },
    close: () => agent.destroy(),
  }
}

function withSlash(url: URL): URL {
  return url.pathname.endsWith('/') ? url : new URL(`${url.href}/`)
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    res.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk)
    })
    res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    res.once('error', reject)
  })
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Seconds or an HTTP date, as RFC 9110 allows; capped. */
export function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value
  if (text === undefined || text.trim() === '') return undefined
  const seconds = Number(text)
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(text) - Date.now()
  if (!Number.isFinite(ms)) return undefined
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms))
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'INVALID_INPUT',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
}

function serverError(res: RawResponse, body: unknown): AppError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error
  const code = ERROR_CODES.find((c) => c === error?.code)
  const message = typeof error?.message === 'string' ? error.message : res.body.slice(0, 200)
  const fallback = STATUS_CODES[res.status] ?? (res.status >= 500 ? 'UNAVAILABLE' : 'INVALID_INPUT')
  return new AppError(code ?? fallback, `ingest answered ${res.status}: ${message}`)
}

function classify(res: RawResponse): SendOutcome {
  const body = parseJson(res.body)
  if (res.status === 200 || res.status === 207 || res.status === 400) {
    const response = readIngestResponse(body)
    if (response) {
      return res.status === 200 && response.rejected === 0
        ? { kind: 'accepted', response }
        : { kind: 'partial', response }
    }
    if (res.status === 200) return { kind: 'accepted', response: null }
  }
  const error = serverError(res, body)
  if (res.status === 429 || res.status === 408 || res.status >= 500) {
    return { kind: 'retry', error, retryAfterMs: parseRetryAfter(res.headers['retry-after']) }
  }
  return { kind: 'rejected', error }
}
