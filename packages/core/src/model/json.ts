import { z } from 'zod'
import { LIMITS } from './limits.js'

/** A JSON value of any shape. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

function checkJson(value: unknown, depth: number): string | undefined {
  if (depth > LIMITS.jsonDepth) return `nested deeper than ${LIMITS.jsonDepth} levels`
  if (value === null || typeof value === 'boolean') return undefined
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : 'not a finite number'
  if (typeof value === 'string') {
    return value.length > LIMITS.textBytes ? `string longer than ${LIMITS.textBytes}` : undefined
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = checkJson(item, depth + 1)
      if (problem) return problem
    }
    return undefined
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value)
    if (entries.length > LIMITS.jsonKeys) return `more than ${LIMITS.jsonKeys} keys`
    for (const [, item] of entries) {
      const problem = checkJson(item, depth + 1)
      if (problem) return problem
    }
    return undefined
  }
  return `not JSON (${typeof value})`
}

/** Free-form JSON with bounded depth, key count and string size. */
export const jsonValueSchema: z.ZodType<JsonValue> = z
  .custom<JsonValue>()
  .superRefine((value, ctx) => {
    const problem = checkJson(value, 0)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })

/** A JSON object of free-form attributes. */
export const jsonObjectSchema = z
  .record(z.string().max(LIMITS.shortText), z.unknown())
  .superRefine((value, ctx) => {
    const problem = checkJson(value, 0)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })
  .transform((value) => value as Record<string, JsonValue>)
