import {
  AppError,
  contentId,
  toAppError,
  type EvalContext,
  type EvalScore,
  type EventStore,
  type Job,
  type JsonValue,
  type ScoreInput,
  type Span,
} from '@vigil/core'
import type { JobOutcome } from '../jobs/index.js'
import { payloadOf, spanJobPayloadSchema, type EvaluationTarget } from './fan-out.js'
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

// spans only (getTrace also reads the trace's scores, which evaluation does not use)
const TRACE_SPANS_MAX = 1000

async function spansOfTrace(events: EventStore, projectId: string, traceId: string) {
  const page = await events.listSpans({ projectId, traceId, limit: TRACE_SPANS_MAX })
  return page.items.reverse()
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

interface Run {
  projectId: string
  span: Span
  target: EvaluationTarget
  evaluator: StoredEvaluator
  plugin: RegisteredEvaluator
}

function toScoreInput(score: EvalScore, run: Run & { latencyMs: number }): ScoreInput {
  const { span, target, evaluator, plugin } = run
  const metadata: Record<string, JsonValue> = {
    ...(score.metadata ?? {}),
    'vigil.evaluator_kind': plugin.kind,
    'vigil.sampled_by': target.sampledBy,
  }
  const key = [run.projectId, target.evaluator, evaluator.version, span.traceId, span.spanId]
  return {
    // the same evaluation of the same span always gets the same id, so a rerun stores nothing twice
    scoreId: contentId('ev', [...key, score.name]),
    traceId: span.traceId,
    spanId: span.spanId,
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

/** The evaluator version a target names, or why it no longer runs. */
async function resolve(
  deps: RunEvaluationDeps,
  projectId: string,
  target: EvaluationTarget,
): Promise<{ evaluator: StoredEvaluator; plugin: RegisteredEvaluator } | { skip: string }> {
  const active = await deps.settings.active(projectId)
  const latest = active.find((e) => e.setting.name === target.evaluator)
  if (!latest || !latest.setting.enabled)
    return { skip: `${target.evaluator}: deleted or disabled` }
  const evaluator =
    latest.version === target.version
      ? latest
      : await deps.settings.get(projectId, target.evaluator, target.version)
  if (!evaluator) return { skip: `${target.evaluator}: version ${target.version} not found` }
  const plugin = deps.registry.get(evaluator.setting.kind)
  if (!plugin) {
    throw new AppError('INVALID_INPUT', `no evaluator plug-in of kind ${evaluator.setting.kind}`)
  }
  return { evaluator, plugin }
}

/** Runs one evaluator on the span: its scores, or why it skipped. */
async function evaluateOne(
  deps: RunEvaluationDeps,
  input: { projectId: string; span: Span; target: EvaluationTarget; signal: AbortSignal },
): Promise<{ scores: ScoreInput[] } | { skip: string }> {
  const resolved = await resolve(deps, input.projectId, input.target)
  if ('skip' in resolved) return resolved
  const run: Run = { ...input, ...resolved }
  const ctx: EvalContext = { now: deps.now(), signal: input.signal }
  if (run.plugin.sessionFollowUps) ctx.sessionFollowUps = await followUps(deps.events, run.span)
  const started = performance.now()
  const outcome = await run.plugin.evaluate(run.span, run.evaluator.setting.config, ctx)
  const latencyMs = performance.now() - started
  if (outcome.status === 'skipped') return { skip: `${input.target.evaluator}: ${outcome.reason}` }
  return { scores: outcome.scores.map((s) => toScoreInput(s, { ...run, latencyMs })) }
}

/**
 * `evaluate.span`: runs the evaluator versions the job was planned with on its span and writes
 * their scores with the version, the plug-in's code version, the latency and the judge's cost.
 * Skips are data. When an evaluator fails, the others' scores are still written and the job is
 * failed for the worker to retry (score ids make the rerun store nothing twice).
 */
export async function runEvaluation(
  deps: RunEvaluationDeps,
  job: Job,
  signal: AbortSignal,
): Promise<JobOutcome> {
  const payload = payloadOf(spanJobPayloadSchema, job)
  const traceSpans = await spansOfTrace(deps.events, job.projectId, payload.traceId)
  const found = traceSpans.find((s) => s.spanId === payload.spanId)
  if (!found) return { status: 'skipped', note: 'span not found' }
  const span = withTraceContext(found, traceSpans)
  const scores: ScoreInput[] = []
  const skips: string[] = []
  let failure: AppError | undefined
  for (const target of payload.evaluators) {
    try {
      const result = await evaluateOne(deps, { projectId: job.projectId, span, target, signal })
      if ('skip' in result) skips.push(result.skip)
      else scores.push(...result.scores)
    } catch (cause) {
      failure ??= toAppError(cause)
    }
  }
  if (scores.length > 0) await deps.writeScores(job.projectId, scores)
  if (failure !== undefined) throw failure
  if (scores.length === 0) return { status: 'skipped', note: skips.join('; ') || 'no scores' }
  return {
    status: 'done',
    note: `${scores.length} scores${skips.length ? `; ${skips.join('; ')}` : ''}`,
  }
}
