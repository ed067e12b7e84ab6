import {
  feedbackInputSchema,
  scoreInputSchema,
  toFieldIssues,
  AppError,
  type FeedbackInput,
  type FeedbackKind,
  type ScoreInput,
} from '@vigil/core'
import type { QueueItem } from './batch-body.js'
import { newSpanId } from '@vigil/core'
import { safeJson } from './io.js'

/** End-user feedback on an answer; stored as a `user` score named `feedback.<kind>`. */
export interface FeedbackOptions {
  kind: FeedbackKind
  /** thumbs: `'up' | 'down'` or a boolean; rating: a number (1–5 by convention). */
  value?: number | boolean | 'up' | 'down'
  /** correction: what the right answer was. */
  correction?: string
  /** edit: the text the user finally kept (the server measures the edit distance). */
  finalText?: string
  comment?: string
  /** The span the feedback is about; default the trace. */
  spanId?: string
  userId?: string
  metadata?: Record<string, unknown>
}

/** A score on a trace or one of its spans. */
export interface ScoreOptions {
  name: string
  value: number | boolean | string
  spanId?: string
  /** Default `api`. */
  source?: ScoreInput['source']
  evaluator?: string
  evaluatorVersion?: string
  explanation?: string
  metadata?: Record<string, unknown>
}

/** A queued item, or the reason the input was refused before it was queued. */
export type Prepared = { ok: true; id: string; item: QueueItem } | { ok: false; error: AppError }

// ids are made here so a retried request stores each item once
const itemId = (prefix: string): string => `${prefix}_${newSpanId()}${newSpanId()}`

/** Validates feedback here, where the host can still see its mistake in the error sink. */
export function prepareFeedback(traceId: string, options: FeedbackOptions): Prepared {
  const input: FeedbackInput = {
    ...options,
    traceId,
    feedbackId: itemId('fb'),
    createdAt: Date.now(),
  }
  const parsed = feedbackInputSchema.safeParse(input)
  if (!parsed.success) {
    const issues = toFieldIssues('feedback', parsed.error)
    return {
      ok: false,
      error: new AppError(
        'INVALID_INPUT',
        `feedback refused: ${issues[0]?.path} ${issues[0]?.message}`,
        { details: { issues } },
      ),
    }
  }
  return {
    ok: true,
    id: input.feedbackId!,
    item: { type: 'feedback', json: safeJson(input), afterSpans: options.kind === 'edit' },
  }
}

/** Validates a score the same way. */
export function prepareScore(traceId: string, options: ScoreOptions): Prepared {
  const input: ScoreInput = { ...options, traceId, scoreId: itemId('sc'), createdAt: Date.now() }
  const parsed = scoreInputSchema.safeParse(input)
  if (!parsed.success) {
    const issues = toFieldIssues('score', parsed.error)
    return {
      ok: false,
      error: new AppError(
        'INVALID_INPUT',
        `score refused: ${issues[0]?.path} ${issues[0]?.message}`,
        { details: { issues } },
      ),
    }
  }
  return { ok: true, id: input.scoreId!, item: { type: 'score', json: safeJson(input) } }
}
