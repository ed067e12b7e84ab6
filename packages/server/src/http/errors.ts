import { AppError, toAppError, type ErrorCode } from '@vigil/core'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'

/** The only place that knows HTTP statuses. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  UPSTREAM_FAILED: 502,
  UPSTREAM_TIMEOUT: 504,
  UNAVAILABLE: 503,
  INTERNAL: 500,
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_INPUT',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_INPUT',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_INPUT',
  FST_ERR_VALIDATION: 'INVALID_INPUT',
}

/** Maps errors raised by Fastify itself (body parsing, limits) onto our codes. */
export function fromFastifyError(error: FastifyError | Error): AppError {
  if (error instanceof AppError) return error
  const fastifyCode = (error as FastifyError).code
  const mapped = fastifyCode ? FASTIFY_CODES[fastifyCode] : undefined
  if (mapped) return new AppError(mapped, error.message, { cause: error })
  if (error instanceof SyntaxError) {
    return new AppError('INVALID_INPUT', `body is not valid JSON: ${error.message}`, {
      cause: error,
    })
  }
  const status = (error as FastifyError).statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError('INVALID_INPUT', error.message, { cause: error })
  }
  return toAppError(error)
}

/** The JSON body of every error response. */
export function errorBody(error: AppError): { error: Record<string, unknown> } {
  const body: Record<string, unknown> = { code: error.code, message: error.message }
  if (error.details.issues) body['issues'] = error.details.issues
  return { error: body }
}

/** Fastify error handler: one shape for every error, statuses chosen here only. */
export function handleError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const appError = fromFastifyError(error)
  const status = HTTP_STATUS[appError.code]
  if (status >= 500) {
    request.log.error({ err: error, code: appError.code }, 'request failed')
  }
  if (appError.details.retryAfterSeconds !== undefined) {
    void reply.header('retry-after', String(appError.details.retryAfterSeconds))
  }
  void reply.status(status).send(errorBody(appError))
}
