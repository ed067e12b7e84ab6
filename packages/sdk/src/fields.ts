/** Reading untyped provider JSON without trusting its shape. */

/** `value` as an object with string keys, or undefined. */
export function rec(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

/** `value` if it is a string. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** `value` if it is a finite number. */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

/** `value` if it is an array. */
export function arr(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? value : undefined
}
