import type { AttributeReader } from './attributes.js'
import type { SpanDraft } from './draft.js'
import type { OtlpSpan } from './types.js'

/** What a mapper works on: the decoded span, its attributes (tracking use) and the draft. */
export interface MapperContext {
  span: OtlpSpan
  attrs: AttributeReader
  draft: SpanDraft
}

/**
 * One telemetry convention as a plug-in. `matches` is a cheap test of whether the span speaks
 * this convention; `map` reads what it understands (consuming those attributes) into the draft.
 */
export interface OtlpMapper {
  name: string
  matches(span: OtlpSpan): boolean
  map(ctx: MapperContext): void
}

const namespaceCache = new WeakMap<OtlpSpan, ReadonlySet<string>>()

/**
 * The attribute namespaces of a span (`gen_ai`, `ai`, `langfuse`, …: key text before the first
 * dot), computed once per span so each mapper's `matches` is a set lookup, not a key scan.
 */
export function namespacesOf(span: OtlpSpan): ReadonlySet<string> {
  let found = namespaceCache.get(span)
  if (!found) {
    const set = new Set<string>()
    for (const key in span.attributes) {
      const dot = key.indexOf('.')
      set.add(dot < 0 ? key : key.slice(0, dot))
    }
    namespaceCache.set(span, set)
    found = set
  }
  return found
}
