import {
  AppError,
  contentId,
  SPAN_KINDS,
  SPAN_STATUSES,
  type EventStore,
  type Job,
  type JobQueue,
  type NewJob,
} from '@vigil/core'
import { z } from 'zod'
import type { JobOutcome } from '../jobs/index.js'
import { EVALUATION_JOB, EVALUATION_QUEUE } from './outbox.js'
import { matchesFilter, sampleSpan, type SampledBy, type SpanFacts } from './sampling.js'
import type { EvaluatorRegistry } from './registry.js'
import type { EvaluatorSettings, StoredEvaluator } from './settings.js'

/** What the fan-out handlers need. */
export interface FanOutDeps {
  settings: EvaluatorSettings
  registry: EvaluatorRegistry
  events: EventStore
  jobs: JobQueue
  now: () => number
}

const spanFactsSchema = z.object({
  traceId: z.string(),
  spanId: z.string(),
  kind: z.enum(SPAN_KINDS),
  model: z.string().nullable(),
  feature: z.string().nullable(),
  tags: z.array(z.string()),
  environment: z.string().nullable(),
  status: z.enum(SPAN_STATUSES),
})

/** Payload of an `evaluate.span` job: one evaluator version on one span. */
export const spanJobPayloadSchema = z.object({
  traceId: z.string(),
  spanId: z.string(),
  evaluator: z.string(),
  version: z.number().int(),
  sampledBy: z.enum(['rate', 'error', 'flagged']),
})
export type SpanJobPayload = z.infer<typeof spanJobPayloadSchema>

/** Reads a job's payload; a payload that does not parse can never succeed, so it is dead-lettered. */
export function payloadOf<T extends z.ZodType>(schema: T, job: Job): z.output<T> {
  const parsed = schema.safeParse(job.payload)
  if (parsed.success) return parsed.data
  throw new AppError('INVALID_INPUT', `job ${job.id} has a malformed ${job.type} payload`)
}

function spanJob(
  projectId: string,
  span: SpanFacts,
  target: { evaluator: StoredEvaluator; sampledBy: SampledBy; runAt: number },
): NewJob {
  const { setting, version } = target.evaluator
  const payload: SpanJobPayload = {
    traceId: span.traceId,
    spanId: span.spanId,
    evaluator: setting.name,
    version,
    sampledBy: target.sampledBy,
  }
  return {
    // one per evaluator and span, whatever triggered it: a span is never evaluated twice
    id: contentId('eva', [projectId, setting.name, span.traceId, span.spanId]),
    queue: EVALUATION_QUEUE,
    type: EVALUATION_JOB.span,
    projectId,
    payload,
    runAt: target.runAt,
  }
}

function plan(
  deps: FanOutDeps,
  projectId: string,
  input: { spans: readonly SpanFacts[]; evaluators: StoredEvaluator[]; traceFlagged: boolean },
): NewJob[] {
  const now = deps.now()
  const jobs: NewJob[] = []
  for (const evaluator of input.evaluators) {
    const { filter, sampling, kind } = evaluator.setting
    const runAt = now + (deps.registry.get(kind)?.delayMs ?? 0)
    for (const span of input.spans) {
      if (!matchesFilter(span, filter)) continue
      const sampledBy = sampleSpan(span, sampling, { traceFlagged: input.traceFlagged })
      if (sampledBy) jobs.push(spanJob(projectId, span, { evaluator, sampledBy, runAt }))
    }
  }
  return jobs
}

async function enabledEvaluators(deps: FanOutDeps, projectId: string) {
  return (await deps.settings.list(projectId)).filter((e) => e.setting.enabled)
}

/** `evaluate.spans`: picks, per new span, the evaluators whose filter and sampling select it. */
export async function fanOutSpans(deps: FanOutDeps, job: Job): Promise<JobOutcome> {
  const { spans } = payloadOf(z.object({ spans: z.array(spanFactsSchema) }), job)
  const evaluators = await enabledEvaluators(deps, job.projectId)
  if (evaluators.length === 0) return { status: 'skipped', note: 'no evaluators configured' }
  const jobs = plan(deps, job.projectId, { spans, evaluators, traceFlagged: false })
  if (jobs.length > 0) await deps.jobs.enqueue({ jobs, now: deps.now() })
  return { status: 'done', note: `${jobs.length} evaluations planned` }
}

/**
 * `evaluate.flagged`: negative feedback arrived, so every span of the trace is evaluated by the
 * evaluators that take flagged traffic, whatever their rate. Spans already evaluated keep their
 * scores (job ids are per evaluator and span). Feedback on a trace not stored yet finds nothing.
 */
export async function fanOutFlagged(deps: FanOutDeps, job: Job): Promise<JobOutcome> {
  const { traceId } = payloadOf(z.object({ traceId: z.string() }), job)
  const evaluators = (await enabledEvaluators(deps, job.projectId)).filter(
    (e) => e.setting.sampling.flagged,
  )
  if (evaluators.length === 0)
    return { status: 'skipped', note: 'no evaluator takes flagged traces' }
  const trace = await deps.events.getTrace(job.projectId, traceId)
  if (!trace) return { status: 'skipped', note: `trace ${traceId} not found` }
  const jobs = plan(deps, job.projectId, { spans: trace.spans, evaluators, traceFlagged: true })
  if (jobs.length > 0) await deps.jobs.enqueue({ jobs, now: deps.now() })
  return { status: 'done', note: `${jobs.length} evaluations planned` }
}
