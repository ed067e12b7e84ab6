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
