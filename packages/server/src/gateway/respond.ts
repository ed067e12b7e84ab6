import type { ServerResponse } from 'node:http'
import type { AppError } from '@vigil/core'
import { errorBody, HTTP_STATUS } from '../http/index.js'

/** Answers with Vigil's JSON error shape (which OpenAI and Anthropic clients both surface). */
export function sendError(res: ServerResponse, error: AppError, traceId?: string): void {
  if (res.headersSent || res.destroyed) {
    res.destroy()
    return
  }
  const body = JSON.stringify(errorBody(error))
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  }
  if (traceId !== undefined) headers['x-vigil-trace-id'] = traceId
  if (error.details.retryAfterSeconds !== undefined) {
    headers['retry-after'] = error.details.retryAfterSeconds
  }
  res.writeHead(HTTP_STATUS[error.code], headers).end(body)
}
