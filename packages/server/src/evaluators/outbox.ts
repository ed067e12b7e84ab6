import {
  contentId,
  type AppendBatch,
  type AppendResult,
  type EventStore,
  type NewJob,
  type Span,
} from '@vigil/core'
import { isNegativeFeedback, type SpanFacts } from './sampling.js'

/** The job queue evaluation work runs on. */
export const EVALUATION_QUEUE = 'evaluation'

/** Job types of the evaluation queue. */
export const EVALUATION_JOB = {
  /** New spans of one project: decide which evaluators run on which of them. */
  spans: 'evaluate.spans',
  /** Negative feedback on a trace: evaluate all of it with the evaluators that want flagged traffic. */
  flagged: 'evaluate.flagged',
  /** One evaluator on one span. */
  span: 'evaluate.span',
} as const

const SPANS_PER_JOB = 500

const factsOf = (s: Span): SpanFacts => ({
  traceId: s.traceId,
  spanId: s.spanId,
  kind: s.kind,
  model: s.model,
  feature: s.feature,
  tags: s.tags,
  environment: s.environment,
  status: s.status,
})

function spanJobs(spans: readonly Span[]): NewJob[] {
  const byProject = new Map<string, Span[]>()
  for (const span of spans) {
    const list = byProject.get(span.projectId) ?? []
    list.push(span)
    byProject.set(span.projectId, list)
  }
  const jobs: NewJob[] = []
  for (const [projectId, list] of byProject) {
    for (let i = 0; i < list.length; i += SPANS_PER_JOB) {
      const chunk = list.slice(i, i + SPANS_PER_JOB)
      const keys = chunk.map((s) => `${s.traceId}/${s.spanId}`)
      jobs.push({
        id: contentId('evs', [projectId, keys]),
        queue: EVALUATION_QUEUE,
        type: EVALUATION_JOB.spans,
        projectId,
        payload: { spans: chunk.map(factsOf) },
        runAt: Math.max(...chunk.map((s) => s.ingestedAt)),
      })
    }
  }
  return jobs
}

/** What the outbox may know about projects, synchronously. */
export interface OutboxOptions {
  /**
   * True when the project certainly has no enabled evaluator right now: its spans get no
   * fan-out job (the job would only find nothing to do, at the cost of a claim and a completion
   * written to the queue). Answers from a cache, like the fan-out job itself would read.
   */
  knownIdle?: (projectId: string) => boolean
  /** Called after a batch that carried jobs committed (wake the worker). */
  onJobsCommitted?: () => void
}

/**
 * The evaluation work a committed batch implies: one fan-out job per project and 500 spans, and
 * one job per trace that received negative feedback. Synchronous: it reads no config beyond
 * `knownIdle`'s cache, so it adds nothing to the commit but a few small rows.
 */
export function planEvaluationJobs(batch: AppendBatch, options: OutboxOptions = {}): NewJob[] {
  const { knownIdle } = options
  const spans = knownIdle ? batch.spans.filter((s) => !knownIdle(s.projectId)) : batch.spans
  const jobs = spanJobs(spans)
  for (const score of batch.scores) {
    if (!isNegativeFeedback(score)) continue
    jobs.push({
      // one per trace: a second thumbs-down on the same trace has nothing new to trigger
      id: contentId('evf', [score.projectId, score.traceId]),
      queue: EVALUATION_QUEUE,
      type: EVALUATION_JOB.flagged,
      projectId: score.projectId,
      payload: { traceId: score.traceId },
      runAt: score.ingestedAt,
    })
  }
  return jobs
}

/**
 * Wraps the event store the committer writes through so every append carries its evaluation
 * jobs in the same transaction (a transactional outbox). Why not enqueue in `onCommitted`: a
 * crash between the commit and the enqueue would lose the evaluation of acknowledged spans;
 * here the jobs are durable exactly when the spans are, at the cost of a few rows per commit.
 */
export function withEvaluationOutbox(events: EventStore, options: OutboxOptions = {}): EventStore {
  const append = (batch: AppendBatch): Promise<AppendResult> => {
    const planned = planEvaluationJobs(batch, options)
    if (planned.length === 0) return events.append(batch)
    return events.append({ ...batch, jobs: [...(batch.jobs ?? []), ...planned] }).then((result) => {
      options.onJobsCommitted?.()
      return result
    })
  }
  // a proxy rather than a copy of the methods, so reads added to EventStore later pass through
  return new Proxy(events, {
    get(target, property) {
      if (property === 'append') return append
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value
    },
  })
}
