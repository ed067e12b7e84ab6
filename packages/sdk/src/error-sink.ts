import { AppError, toAppError, type ErrorCode } from '@vigil/core'

/** Where every problem the SDK meets goes; nothing the SDK does throws into the host. */
export type ErrorSink = (error: AppError) => void

/** How often the default sink may print one line per error code. */
const WARN_INTERVAL_MS = 30_000

/**
 * The default sink: one console line per error code per interval, with a count of the ones it
 * held back, so a down server cannot flood the host's logs.
 */
export function createRateLimitedWarn(
  warn: (line: string) => void,
  now: () => number = Date.now,
): ErrorSink {
  const last = new Map<ErrorCode, { at: number; suppressed: number }>()
  return (error) => {
    const seen = last.get(error.code)
    const at = now()
    if (seen && at - seen.at < WARN_INTERVAL_MS) {
      seen.suppressed += 1
      return
    }
    const more = seen && seen.suppressed > 0 ? ` (${seen.suppressed} similar held back)` : ''
    last.set(error.code, { at, suppressed: 0 })
    warn(`[vigil] ${error.code}: ${error.message}${more}`)
  }
}

function consoleWarn(line: string): void {
  // eslint-disable-next-line no-console -- the default sink is the SDK's only console output
  console.warn(line)
}

/**
 * Wraps the host's `onError` (or the default warn) so that a throwing or re-entrant sink is
 * contained: reporting an error must never become an error.
 */
export function createErrorSink(onError?: (error: AppError) => void): ErrorSink {
  const target = onError ?? createRateLimitedWarn(consoleWarn)
  let reporting = false
  return (error) => {
    if (reporting) return
    reporting = true
    try {
      target(error)
    } catch {
      // the host's own sink failed; there is nowhere left to report it
    } finally {
      reporting = false
    }
  }
}

/** Turns anything caught inside the SDK into an AppError that says where it happened. */
export function internalError(where: string, cause: unknown): AppError {
  const base = toAppError(cause)
  return new AppError(base.code, `${where}: ${base.message}`, { cause })
}
