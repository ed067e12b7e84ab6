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
import { matchesFilter, sampleSpan, type SpanFacts } from './sampling.js'
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

/** One evaluator version to run, and why the span was chosen for it. */
const targetSchema = z.object({
  evaluator: z.string(),
  version: z.number().int(),
  sampledBy: z.enum(['rate', 'error', 'flagged']),
})
export type EvaluationTarget = z.infer<typeof targetSchema>

/** Payload of an `evaluate.span` job: evaluator versions to run on one span. */
export const spanJobPayloadSchema = z.object({
  traceId: z.string(),
  spanId: z.string(),
  evaluators: z.array(targetSchema).min(1),
})
export type SpanJobPayload = z.infer<typeof spanJobPayloadSchema>

/** Reads a job's payload; a payload that does not parse can never succeed, so it is dead-lettered. */
export function payloadOf<T extends z.ZodType>(schema: T, job: Job): z.output<T> {
  const parsed = schema.safeParse(job.payload)
  if (parsed.success) return parsed.data
  throw new AppError('INVALID_INPUT', `job ${job.id} has a malformed ${job.type} payload`)
}

interface Group {
  runAt: number
  targets: EvaluationTarget[]
}

function spanJob(projectId: string, span: SpanFacts, group: Group): NewJob {
  const payload: SpanJobPayload = {
    traceId: span.traceId,
    spanId: span.spanId,
    evaluators: group.targets,
  }
  const names = group.targets.map((t) => `${t.evaluator}@${t.version}`).sort()
  return {
    // the same evaluators on the same span make the same job, whatever triggered it
    id: contentId('eva', [projectId, span.traceId, span.spanId, names]),
    queue: EVALUATION_QUEUE,
    type: EVALUATION_JOB.span,
    projectId,
    payload,
    runAt: group.runAt,
  }
}

/**
 * The jobs for one span. Heuristic evaluators with the same delay share a job: they are cheap
 * and deterministic, so one read of the trace and one write serve them all, and a rerun costs
 * little. Each judge gets its own job, so a failing or rate-limited judge retries alone and
 * never pays twice for another judge's verdict.
 */
function jobsForSpan(
  deps: FanOutDeps,
  projectId: string,
  input: { span: SpanFacts; evaluators: StoredEvaluator[]; traceFlagged: boolean; now: number },
): NewJob[] {
  const groups = new Map<string, Group>()
  for (const { setting, version } of input.evaluators) {
    if (!matchesFilter(input.span, setting.filter)) continue
    const sampledBy = sampleSpan(input.span, setting.sampling, { traceFlagged: input.traceFlagged })
    if (!sampledBy) continue
    const plugin = deps.registry.get(setting.kind)
    const delayMs = plugin?.delayMs ?? 0
    const key = plugin?.source === 'judge' ? `judge:${setting.name}` : `heuristic:${delayMs}`
    const group = groups.get(key) ?? { runAt: input.now + delayMs, targets: [] }
    group.targets.push({ evaluator: setting.name, version, sampledBy })
    groups.set(key, group)
  }
  return [...groups.values()].map((group) => spanJob(projectId, input.span, group))
}

function plan(
  deps: FanOutDeps,
  projectId: string,
  input: { spans: readonly SpanFacts[]; evaluators: StoredEvaluator[]; traceFlagged: boolean },
): NewJob[] {
  const now = deps.now()
  const { evaluators, traceFlagged } = input
  return input.spans.flatMap((span) =>
    jobsForSpan(deps, projectId, { span, evaluators, traceFlagged, now }),
  )
}

async function enabledEvaluators(deps: FanOutDeps, projectId: string) {
  return (await deps.settings.active(projectId)).filter((e) => e.setting.enabled)
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
