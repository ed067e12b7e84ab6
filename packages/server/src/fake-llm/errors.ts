import type { JsonReply } from './send.js'

/** Which provider's wire format an endpoint speaks. */
export type Provider = 'openai' | 'anthropic'

/** What an error reply may carry beyond its status. */
export interface ErrorOptions {
  readonly message?: string
  /** OpenAI's `error.code` (e.g. `invalid_api_key`, `model_not_found`). */
  readonly code?: string
  /** OpenAI's `error.param`. */
  readonly param?: string
  /** A scripted body replaces the provider's shape: a string verbatim, anything else as JSON. */
  readonly body?: unknown
  readonly retryAfterSeconds?: number
  readonly requestId: string
}

const OPENAI_TYPES: Record<number, [type: string, code: string | null, message: string]> = {
  400: ['invalid_request_error', null, 'Invalid request.'],
  401: ['invalid_request_error', 'invalid_api_key', 'Incorrect API key provided.'],
  403: ['invalid_request_error', null, 'You are not allowed to access this resource.'],
  404: ['invalid_request_error', null, 'Not found.'],
  429: [
    'requests',
    'rate_limit_exceeded',
    'Rate limit reached for requests per min (RPM). Please try again in 1s.',
  ],
  500: [
    'server_error',
    null,
    'The server had an error while processing your request. Sorry about that!',
  ],
  503: ['server_error', null, 'The engine is currently overloaded, please try again later.'],
}

const ANTHROPIC_TYPES: Record<number, [type: string, message: string]> = {
  400: ['invalid_request_error', 'Invalid request.'],
  401: ['authentication_error', 'invalid x-api-key'],
  402: ['billing_error', 'Your credit balance is too low to access the Anthropic API.'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
  404: ['not_found_error', 'Not found.'],
  413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
  429: ['rate_limit_error', 'Number of requests has exceeded your per-minute rate limit.'],
  500: ['api_error', 'Internal server error'],
  504: ['timeout_error', 'Request timed out.'],
  529: ['overloaded_error', 'Overloaded'],
}

/** An error response in the provider's real JSON shape, with its request id and retry headers. */
export function errorReply(provider: Provider, status: number, options: ErrorOptions): JsonReply {
  const headers: Record<string, string> = {
    [provider === 'openai' ? 'x-request-id' : 'request-id']: options.requestId,
  }
  const retryAfter = options.retryAfterSeconds ?? (status === 429 ? 1 : undefined)
  if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter)
  if (options.body !== undefined) return { kind: 'json', status, body: options.body, headers }
  return { kind: 'json', status, body: errorBody(provider, status, options), headers }
}

function errorBody(provider: Provider, status: number, options: ErrorOptions): unknown {
  if (provider === 'anthropic') {
    const [type, message] = ANTHROPIC_TYPES[status] ?? [
      status >= 500 ? 'api_error' : 'invalid_request_error',
      `Error ${status}`,
    ]
    return {
      type: 'error',
      error: { type, message: options.message ?? message },
      request_id: options.requestId,
    }
  }
  const [type, code, message] = OPENAI_TYPES[status] ?? [
    status >= 500 ? 'server_error' : 'invalid_request_error',
    null,
    `Error ${status}`,
  ]
  return {
    error: {
      message: options.message ?? message,
      type,
      param: options.param ?? null,
      code: options.code ?? code,
    },
  }
}
