import type { IncomingHttpHeaders, ServerResponse } from 'node:http'
import { errorReply, type Provider } from './errors.js'
import type { ScriptedError } from './script.js'
import type { JsonReply } from './send.js'

/** 401 in the provider's shape when the key is missing or not one of the accepted ones. */
export function authenticate(input: {
  provider: Provider
  headers: IncomingHttpHeaders
  apiKeys: ReadonlySet<string> | undefined
  requestId: string
}): JsonReply | undefined {
  const { provider, headers, apiKeys, requestId } = input
  const bearer = /^Bearer\s+(\S.*)$/i.exec(headers.authorization ?? '')?.[1]
  const header = headers['x-api-key']
  const key = provider === 'anthropic' ? (typeof header === 'string' ? header : bearer) : bearer
  if (key === undefined || key === '') {
    const message =
      provider === 'anthropic'
        ? 'x-api-key header is required'
        : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
    return errorReply(provider, 401, { message, requestId })
  }
  if (apiKeys === undefined || apiKeys.has(key)) return undefined
  const message =
    provider === 'anthropic'
      ? 'invalid x-api-key'
      : `Incorrect API key provided: ${mask(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`
  return errorReply(provider, 401, { message, code: 'invalid_api_key', requestId })
}

/** The scripted error, unless its `times` are used up (counted per script object). */
export function forcedError(input: {
  error: ScriptedError | undefined
  served: WeakMap<ScriptedError, number>
  provider: Provider
  requestId: string
}): JsonReply | undefined {
  const { error, served, provider, requestId } = input
  if (error === undefined) return undefined
  if (error.times !== undefined) {
    const count = served.get(error) ?? 0
    if (count >= error.times) return undefined
    served.set(error, count + 1)
  }
  return errorReply(provider, error.status, {
    body: error.body,
    retryAfterSeconds: error.retryAfterSeconds,
    requestId,
  })
}

/** The provider's 404 for a model it does not serve. */
export function unknownModel(provider: Provider, model: string, requestId: string): JsonReply {
  return provider === 'anthropic'
    ? errorReply(provider, 404, { message: `model: ${model}`, requestId })
    : errorReply(provider, 404, {
        message: `The model \`${model}\` does not exist or you do not have access to it.`,
        code: 'model_not_found',
        requestId,
      })
}

/** The provider's 404 for a path it does not serve. */
export function notFound(provider: Provider, what: string, requestId: string): JsonReply {
  const message = provider === 'anthropic' ? 'Not Found' : `Invalid URL (${what})`
  return errorReply(provider, 404, { message, requestId })
}

/** The provider's 400 for a request it cannot read. */
export function badRequest(provider: Provider, message: string, requestId: string): JsonReply {
  return errorReply(provider, 400, { message, requestId })
}

/** A bug in the fake answers 500 (or ends a started stream) instead of leaving the client hanging. */
export function internalError(res: ServerResponse, err: unknown): void {
  if (res.destroyed) return
  if (res.headersSent) {
    res.destroy(err instanceof Error ? err : undefined)
    return
  }
  const body = JSON.stringify({
    error: {
      message: `fake LLM failure: ${String(err)}`,
      type: 'server_error',
      param: null,
      code: null,
    },
  })
  res.writeHead(500, { 'content-type': 'application/json' }).end(body)
}

function mask(key: string): string {
  return key.length <= 8 ? '***' : `${key.slice(0, 3)}***${key.slice(-4)}`
}
