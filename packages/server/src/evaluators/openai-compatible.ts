import { AppError } from '@vigil/core'
import { Agent, errors as undiciErrors, request } from 'undici'

/** Where a project's judge (and provider embeddings) live; the key stays server-side. */
export interface ModelEndpoint {
  baseUrl: string
  model: string
  apiKey?: string | undefined
  embeddingModel?: string | undefined
  timeoutMs: number
  /** Judge sampling temperature, default 0; null leaves it out (reasoning models reject it). */
  temperature?: number | null | undefined
}

/** A JSON POST to an OpenAI-compatible API; failures are AppErrors the worker knows how to retry. */
export interface OpenAiCompatibleClient {
  post(input: {
    endpoint: ModelEndpoint
    /** Under `/v1`, e.g. `/chat/completions`. */
    path: string
    body: unknown
    signal?: AbortSignal | undefined
  }): Promise<unknown>
  close(): Promise<void>
}

/** `https://host` and `https://host/v1/` both become `https://host/v1`. */
export function apiBase(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '')
  return /\/v1$/.test(trimmed) ? trimmed : `${trimmed}/v1`
}

/** Retry-After in seconds (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: number,
): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value
  if (raw === undefined || raw.trim() === '') return undefined
  const seconds = Number(raw)
  if (Number.isFinite(seconds)) return Math.max(0, seconds)
  const date = Date.parse(raw)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000))
}

/** A provider's error text, shortened and with the key removed (some providers echo it). */
function providerMessage(text: string, apiKey: string | undefined): string {
  let message = text
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } }
    if (typeof parsed.error?.message === 'string') message = parsed.error.message
  } catch {
    // not JSON: keep the text
  }
  if (apiKey) message = message.split(apiKey).join('[key]')
  return message.slice(0, 300)
}

function statusError(
  status: number,
  text: string,
  ctx: { endpoint: ModelEndpoint; retryAfter?: number },
): AppError {
  const detail = `${status} from the judge endpoint: ${providerMessage(text, ctx.endpoint.apiKey)}`
  if (status === 429) {
    const details = ctx.retryAfter === undefined ? {} : { retryAfterSeconds: ctx.retryAfter }
    return new AppError('RATE_LIMITED', detail, { details })
  }
  if (status === 408 || status === 504) return new AppError('UPSTREAM_TIMEOUT', detail)
  return new AppError('UPSTREAM_FAILED', detail)
}

function transportError(
  cause: unknown,
  signals: { caller?: AbortSignal | undefined; deadline: AbortSignal },
): AppError {
  if (signals.caller?.aborted) return new AppError('UNAVAILABLE', 'judge call cancelled', { cause })
  const timedOut =
    signals.deadline.aborted ||
    cause instanceof undiciErrors.HeadersTimeoutError ||
    cause instanceof undiciErrors.BodyTimeoutError ||
    cause instanceof undiciErrors.ConnectTimeoutError
  if (timedOut)
    return new AppError('UPSTREAM_TIMEOUT', 'the judge endpoint did not answer in time', { cause })
  const reason = cause instanceof Error ? cause.message : String(cause)
  return new AppError('UPSTREAM_FAILED', `judge endpoint unreachable: ${reason}`, { cause })
}

/** Creates a client with one keep-alive agent for all projects' endpoints (undici, not fetch). */
export function createOpenAiCompatibleClient(
  options: { now?: () => number } = {},
): OpenAiCompatibleClient {
  const agent = new Agent({ connect: { timeout: 10_000 }, keepAliveTimeout: 30_000 })
  const now = options.now ?? Date.now
  return {
    async post({ endpoint, path, body, signal }) {
      const deadline = AbortSignal.timeout(endpoint.timeoutMs)
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (endpoint.apiKey) headers['authorization'] = `Bearer ${endpoint.apiKey}`
      let response
      let text: string
      try {
        response = await request(`${apiBase(endpoint.baseUrl)}${path}`, {
          method: 'POST',
          dispatcher: agent,
          headers,
          body: JSON.stringify(body),
          signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
          headersTimeout: endpoint.timeoutMs,
          bodyTimeout: endpoint.timeoutMs,
        })
        text = await response.body.text()
      } catch (cause) {
        throw transportError(cause, { caller: signal, deadline })
      }
      if (response.statusCode >= 400) {
        const retryAfter = parseRetryAfter(response.headers['retry-after'], now())
        throw statusError(response.statusCode, text, {
          endpoint,
          ...(retryAfter === undefined ? {} : { retryAfter }),
        })
      }
      try {
        return JSON.parse(text) as unknown
      } catch (cause) {
        throw new AppError('UPSTREAM_FAILED', 'the judge endpoint answered with non-JSON', {
          cause,
        })
      }
    },
    close: () => agent.close(),
  }
}
