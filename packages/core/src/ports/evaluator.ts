import type { z } from 'zod'
import type { JsonValue } from '../model/json.js'
import type { Span } from '../model/span.js'

/** One result an evaluator produces; the engine turns it into a stored Score. */
export interface EvalScore {
  /** Score name, e.g. `pii.output`, `toxicity`, `hallucination`. */
  name: string
  value: number | boolean | string
  explanation?: string
  /** Machine-readable findings, e.g. the character ranges of PII for redaction. */
  metadata?: Record<string, JsonValue>
  /** What producing the score cost (judges), by usage bucket plus `total`, in USD. */
  cost?: Record<string, number>
}

/** Expected outcomes are data: a skipped evaluation is not an error. */
export type EvalOutcome =
  { status: 'scored'; scores: EvalScore[] } | { status: 'skipped'; reason: string }

/** What an evaluator may use besides the span. */
export interface EvalContext {
  now: number
  signal?: AbortSignal
  /** Later spans of the same session (oldest first), for signals such as user corrections. */
  sessionFollowUps?: readonly Span[]
}

/** An evaluator plug-in: registered by value in one registry at the composition root. */
export interface Evaluator<TConfig = unknown> {
  kind: string
  /** Version of the evaluator's code; the engine combines it with the config version. */
  version: string
  configSchema: z.ZodType<TConfig>
  evaluate(span: Span, config: TConfig, ctx: EvalContext): Promise<EvalOutcome>
}
