import { createHash } from 'node:crypto'
import type { EvaluatorSetting, Score, Span } from '@vigil/core'

/** Why a span was chosen for evaluation: stored with its scores. */
export type SampledBy = 'rate' | 'error' | 'flagged'

/** The span fields filters and sampling look at (carried in outbox jobs, so no read is needed). */
export type SpanFacts = Pick<
  Span,
  'traceId' | 'spanId' | 'kind' | 'model' | 'feature' | 'tags' | 'environment' | 'status'
>

/**
 * A trace id's fixed position in [0, 1): the first 48 bits of its SHA-256. Every process, every
 * rerun and every span of the trace get the same number, so `position < rate` samples whole
 * traces, the same ones each time, and raising the rate only adds traces.
 */
export function traceSamplePosition(traceId: string): number {
  const digest = createHash('sha256').update(traceId).digest()
  return digest.readUIntBE(0, 6) / 2 ** 48
}

const anyOf = (allowed: readonly string[] | undefined, value: string | null): boolean =>
  allowed === undefined || (value !== null && allowed.includes(value))

/** True when the span is one the evaluator's filter selects. */
export function matchesFilter(span: SpanFacts, filter: EvaluatorSetting['filter']): boolean {
  return (
    filter.kinds.includes(span.kind) &&
    anyOf(filter.models, span.model) &&
    anyOf(filter.features, span.feature) &&
    anyOf(filter.environments, span.environment) &&
    (filter.tags === undefined || span.tags.some((t) => filter.tags?.includes(t)))
  )
}

/** Why the span is evaluated under the policy, or null when it is not. */
export function sampleSpan(
  span: SpanFacts,
  policy: EvaluatorSetting['sampling'],
  options: { traceFlagged: boolean },
): SampledBy | null {
  if (policy.errors && span.status === 'error') return 'error'
  if (policy.flagged && options.traceFlagged) return 'flagged'
  return traceSamplePosition(span.traceId) < policy.rate ? 'rate' : null
}

/**
 * Negative end-user feedback: thumbs down, a rating of 2 or less (on the conventional 1–5
 * scale), or a correction. Regenerate, copy and abandon are too ambiguous to force evaluation.
 */
export function isNegativeFeedback(score: Score): boolean {
  if (score.source !== 'user') return false
  switch (score.name) {
    case 'feedback.thumbs':
      return score.value === 0
    case 'feedback.rating':
      return score.value !== null && score.value <= 2
    case 'feedback.correction':
      return true
    default:
      return false
  }
}
