import type { JsonValue, ScoreInput, ScoreSource } from '@vigil/core'
import { AttributeReader } from '../attributes.js'
import type { MapperContext } from '../mapper.js'
import type { OtlpSpan } from '../types.js'

const ANNOTATOR_SOURCES: Record<string, ScoreSource> = {
  HUMAN: 'human',
  LLM: 'judge',
  CODE: 'heuristic',
}

/** One annotation (`annotation.*` or `evaluation.*` keys) as a score, if it has a name and value. */
function readAnnotation(
  attrs: AttributeReader,
  prefix: string,
  span: OtlpSpan,
): ScoreInput | undefined {
  if (!attrs.has(`${prefix}.name`)) return undefined
  const name = attrs.string(`${prefix}.name`)
  const score = attrs.number(`${prefix}.score`)
  const label = attrs.string(`${prefix}.label`)
  const kind = attrs.string(`${prefix}.annotator_kind`)?.toUpperCase()
  const explanation = attrs.string(`${prefix}.explanation`)
  const metadata: Record<string, JsonValue> = {}
  const extra = attrs.json(`${prefix}.metadata`)
  if (typeof extra === 'object' && extra !== null && !Array.isArray(extra))
    Object.assign(metadata, extra)
  const identifier = attrs.string(`${prefix}.identifier`)
  if (identifier) metadata['identifier'] = identifier
  if (label !== undefined && score !== undefined) metadata['label'] = label
  if (!name || (score === undefined && label === undefined)) return undefined
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    name,
    value: score ?? label ?? '',
    source: (kind && ANNOTATOR_SOURCES[kind]) || 'api',
    evaluator: name,
    explanation: explanation ?? null,
    metadata,
  }
}

/**
 * OpenInference annotations and evaluations (`annotation.*`, `evaluation.*`), on the span
 * itself or on its events, become scores on that span.
 */
export function readAnnotations({ span, attrs, draft }: MapperContext): void {
  for (const prefix of ['annotation', 'evaluation']) {
    const score = readAnnotation(attrs, prefix, span)
    if (score) draft.addScore(score)
  }
  span.events.forEach((event, index) => {
    const eventAttrs = new AttributeReader(event.attributes)
    for (const prefix of ['annotation', 'evaluation']) {
      const score = readAnnotation(eventAttrs, prefix, span)
      if (!score) continue
      if (event.timeMs > 0) score.createdAt = event.timeMs
      draft.addScore(score)
      draft.consumedEvents.add(index)
    }
  })
}
