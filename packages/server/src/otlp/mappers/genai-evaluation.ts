import type { ScoreInput } from '@vigil/core'
import { AttributeReader } from '../attributes.js'
import type { MapperContext } from '../mapper.js'

/**
 * `gen_ai.evaluation.result` events become scores on the span that carries them (the
 * convention parents the event to the evaluated span).
 */
export function readEvaluationEvents({ span, draft }: MapperContext): void {
  span.events.forEach((event, index) => {
    if (event.name !== 'gen_ai.evaluation.result') return
    const attrs = new AttributeReader(event.attributes)
    const name = attrs.string('gen_ai.evaluation.name')
    const score = attrs.number('gen_ai.evaluation.score.value')
    const label = attrs.string('gen_ai.evaluation.score.label')
    if (!name || (score === undefined && label === undefined)) return
    const result: ScoreInput = {
      traceId: span.traceId,
      spanId: span.spanId,
      name,
      value: score ?? label ?? '',
      source: 'api',
      evaluator: name,
      explanation: attrs.string('gen_ai.evaluation.explanation') ?? null,
      metadata: {
        ...(label !== undefined && score !== undefined ? { label } : {}),
        ...attrs.rest(),
      },
    }
    if (event.timeMs > 0) result.createdAt = event.timeMs
    draft.addScore(result)
    draft.consumedEvents.add(index)
  })
}
