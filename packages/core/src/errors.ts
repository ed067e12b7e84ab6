/** The closed set of error codes. Every code is documented in docs/errors.md (a test checks it). */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'UPSTREAM_FAILED',
  'UPSTREAM_TIMEOUT',
  'UNAVAILABLE',
  'INTERNAL',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** Extra, machine-readable facts about an error (field paths, retry hints). */
export interface AppErrorDetails {
  readonly issues?: readonly { path: string; message: string }[]
  readonly retryAfterSeconds?: number
}

/** The one error type of Vigil: a code from ERROR_CODES, a message a person can act on, the cause. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly details: AppErrorDetails

  constructor(
    code: ErrorCode,
    message?: string,
    options?: { cause?: unknown; details?: AppErrorDetails },
  ) {
    super(message ?? code, { cause: options?.cause })
    this.name = 'AppError'
    this.code = code
    this.details = options?.details ?? {}
  }
}

/** Normalises anything thrown into an AppError, keeping the original as its cause. */
export function toAppError(cause: unknown): AppError {
  if (cause instanceof AppError) {
    return cause
  }
  if (cause instanceof Error) {
    return new AppError('INTERNAL', cause.message, { cause })
  }
  return new AppError('INTERNAL', String(cause), { cause })
}

/** True when `value` is an AppError with the given code. */
export function isAppError(value: unknown, code?: ErrorCode): value is AppError {
  return value instanceof AppError && (code === undefined || value.code === code)
}
