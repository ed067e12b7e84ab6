import {
  AppError,
  contentId,
  type EvalContext,
  type EvalScore,
  type EventStore,
  type Job,
  type JsonValue,
  type ScoreInput,
  type Span,
} from '@vigil/core'
import type { JobOutcome } from '../jobs/index.js'
import { payloadOf, spanJobPayloadSchema, type SpanJobPayload } from './fan-out.js'
import { withTraceContext } from './grounding.js'
import type { EvaluatorRegistry, RegisteredEvaluator } from './registry.js'
import type { EvaluatorSettings, StoredEvaluator } from './settings.js'

/** What running one evaluation needs; scores go through the one write path. */
export interface RunEvaluationDeps {
  settings: EvaluatorSettings
  registry: EvaluatorRegistry
  events: EventStore
  /** Writes scores for a project through ingest(); rejects when any is refused. */
  writeScores(projectId: string, scores: ScoreInput[]): Promise<void>
  now: () => number
}

const FOLLOW_UPS = 10
// listSpans pages newest first, so a window keeps the follow-ups near the span in long sessions
const FOLLOW_UP_WINDOW_MS = 30 * 60_000

/** `<config version>:<code version>`, e.g. `3:judge-1/hallucination-2`. */
export function evaluatorVersion(evaluator: StoredEvaluator, plugin: RegisteredEvaluator): string {
  return `${evaluator.version}:${plugin.versionOf(evaluator.setting.config)}`
}

async function followUps(events: EventStore, span: Span): Promise<Span[]> {
  if (span.sessionId === null) return []
  const page = await events.listSpans({
    projectId: span.projectId,
    sessionId: span.sessionId,
    from: span.startTime,
    to: span.startTime + FOLLOW_UP_WINDOW_MS,
    limit: FOLLOW_UPS + 1,
  })
  return page.items.filter((s) => s.traceId !== span.traceId).reverse()
}

function toScoreInput(
  score: EvalScore,
  run: {
    job: Job
    payload: SpanJobPayload
    evaluator: StoredEvaluator
    plugin: RegisteredEvaluator
    latencyMs: number
  },
): ScoreInput {
  const { job, payload, evaluator, plugin } = run
  const metadata: Record<string, JsonValue> = {
    ...(score.metadata ?? {}),
    'vigil.evaluator_kind': plugin.kind,
    'vigil.sampled_by': payload.sampledBy,
  }
  return {
    // the same evaluation of the same span always gets the same id, so a rerun stores nothing twice
    scoreId: contentId('ev', [
      job.projectId,
      payload.evaluator,
      evaluator.version,
      payload.traceId,
      payload.spanId,
      score.name,
    ]),
    traceId: payload.traceId,
    spanId: payload.spanId,
    name: score.name,
    value: score.value,
    source: plugin.source,
    evaluator: evaluator.setting.name,
    evaluatorVersion: evaluatorVersion(evaluator, plugin),
    explanation: score.explanation ?? null,
    cost: score.cost ?? null,
    latencyMs: Math.round(run.latencyMs),
    metadata,
  }
}

async function loadTarget(deps: RunEvaluationDeps, job: Job, payload: SpanJobPayload) {
  const latest = await deps.settings.get(job.projectId, payload.evaluator)
  if (!latest || !latest.setting.enabled) return { skip: 'evaluator deleted or disabled since' }
  const evaluator =
    latest.version === payload.version
      ? latest
      : await deps.settings.get(job.projectId, payload.evaluator, payload.version)
  if (!evaluator) return { skip: `evaluator version ${payload.version} not found` }
  const plugin = deps.registry.get(evaluator.setting.kind)
  if (!plugin) {
    throw new AppError('INVALID_INPUT', `no evaluator plug-in of kind ${evaluator.setting.kind}`)
  }
  const trace = await deps.events.getTrace(job.projectId, payload.traceId)
  const span = trace?.spans.find((s) => s.spanId === payload.spanId)
  if (!trace || !span) return { skip: 'span not found' }
  return { evaluator, plugin, span: withTraceContext(span, trace.spans) }
}

/**
 * `evaluate.span`: runs the evaluator version the job was planned with on its span and writes
 * the scores with that version, the plug-in's code version, the latency and the judge's cost.
 * Skipped evaluations write nothing; failures are thrown for the worker to retry.
 */
export async function runEvaluation(
  deps: RunEvaluationDeps,
  job: Job,
  signal: AbortSignal,
): Promise<JobOutcome> {
  const payload = payloadOf(spanJobPayloadSchema, job)
  const target = await loadTarget(deps, job, payload)
  if ('skip' in target) return { status: 'skipped', note: target.skip }
  const { evaluator, plugin, span } = target
  const ctx: EvalContext = { now: deps.now(), signal }
  if (plugin.sessionFollowUps) ctx.sessionFollowUps = await followUps(deps.events, span)
  const started = performance.now()
  const outcome = await plugin.evaluate(span, evaluator.setting.config, ctx)
  const latencyMs = performance.now() - started
  if (outcome.status === 'skipped') return { status: 'skipped', note: outcome.reason }
  if (outcome.scores.length === 0) return { status: 'done', note: 'no scores' }
  const run = { job, payload, evaluator, plugin, latencyMs }
  await deps.writeScores(
    job.projectId,
    outcome.scores.map((s) => toScoreInput(s, run)),
  )
  return { status: 'done', note: `${outcome.scores.length} scores` }
}
