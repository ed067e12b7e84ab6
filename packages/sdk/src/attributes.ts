import { TRACE_FIELD_NAMES, type TraceFields } from '@vigil/core'

/** Trace-level attribution: copied onto every span of a trace (user, session, feature, …). */
export type TraceAttributes = TraceFields

/** The trace-level fields among `options` (which may carry other span options too). */
export function pickAttributes(options: TraceAttributes | undefined): TraceAttributes {
  const picked: Record<string, unknown> = {}
  if (!options) return picked
  for (const name of TRACE_FIELD_NAMES) {
    if (options[name] !== undefined) picked[name] = options[name]
  }
  // the host's array, copied: spans are serialized after the call that recorded them
  if (Array.isArray(options.tags)) picked['tags'] = [...options.tags]
  return picked
}

/** `over` wins field by field; tags are the union of both. */
export function mergeAttributes(base: TraceAttributes, over: TraceAttributes): TraceAttributes {
  // attribution is usually set once, at the root: spare the copies on every span
  if (isEmpty(over)) return base
  if (isEmpty(base)) return over
  const merged: TraceAttributes = { ...base, ...over }
  if (base.tags && over.tags) merged.tags = [...new Set([...base.tags, ...over.tags])]
  return merged
}

/** True when `attrs` sets nothing. */
export function isEmpty(attrs: TraceAttributes): boolean {
  for (const _ in attrs) return false
  return true
}
