import type { Storage } from '@vigil/core'
import type { IngestDeps } from '../ingest/index.js'
import type { Pricing } from '../pricing/index.js'
import { offlineEvaluators } from './builtin/index.js'
import { createEvaluationEngine, type EvaluationEngine } from './engine.js'
import { createJudgeEndpoints, type JudgeEndpoints } from './judge/endpoint-settings.js'
import { createJudgeEvaluator } from './judge/judge-evaluator.js'
import { createOpenAiCompatibleClient, type OpenAiCompatibleClient } from './openai-compatible.js'
import { createReferenceEvaluator, embedderFor } from './reference-evaluator.js'
import {
  createEvaluatorRegistry,
  registerEvaluator,
  type RegisteredEvaluator,
  type RegistrationOptions,
} from './registry.js'

// User corrections show in the turns after the span: wait for them, then read them.
const FOLLOW_UP_DELAY_MS = 5 * 60_000
const REGISTRATION: Readonly<Record<string, RegistrationOptions>> = {
  user_correction: { sessionFollowUps: true, delayMs: FOLLOW_UP_DELAY_MS },
}

/** Everything evaluation consists of in one server. */
export interface Evaluation {
  engine: EvaluationEngine
  endpoints: JudgeEndpoints
  client: OpenAiCompatibleClient
  /** Closes the judge's HTTP connections. */
  close(): Promise<void>
}

/**
 * Builds the evaluation module: the offline detectors, the reference metrics and the judge in
 * one registry (plus `extraPlugins`, for tests), the judge endpoints, and the engine.
 */
export function createEvaluation(deps: {
  storage: Pick<Storage, 'configs' | 'events' | 'jobs'>
  ingest: IngestDeps
  pricing: Pricing
  now: () => number
  extraPlugins?: readonly RegisteredEvaluator[]
}): Evaluation {
  const client = createOpenAiCompatibleClient({ now: deps.now })
  const endpoints = createJudgeEndpoints({ configs: deps.storage.configs, now: deps.now })
  const registry = createEvaluatorRegistry([
    ...offlineEvaluators.map((plugin) => registerEvaluator(plugin, REGISTRATION[plugin.kind])),
    registerEvaluator(createReferenceEvaluator({ embedder: embedderFor({ client, endpoints }) })),
    registerEvaluator(createJudgeEvaluator({ client, endpoints, pricing: deps.pricing }), {
      source: 'judge',
    }),
    ...(deps.extraPlugins ?? []),
  ])
  const engine = createEvaluationEngine({
    storage: deps.storage,
    registry,
    ingest: deps.ingest,
    now: deps.now,
  })
  return { engine, endpoints, client, close: () => client.close() }
}
