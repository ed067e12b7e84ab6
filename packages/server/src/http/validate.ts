import { AppError, toFieldIssues } from '@vigil/core'
import type { z } from 'zod'

/** Validates untrusted input with a wire schema; a failure is INVALID_INPUT with field paths. */
export function parseWith<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: string,
): z.output<T> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issues = toFieldIssues(where, result.error)
  const summary = issues
    .slice(0, 3)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ')
  throw new AppError('INVALID_INPUT', `invalid ${where}: ${summary}`, { details: { issues } })
}
