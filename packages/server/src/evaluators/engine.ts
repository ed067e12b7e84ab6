import { AppError, type ScoreInput, type Storage } from '@vigil/core'
import { ingest, type IngestDeps } from '../ingest/index.js'
import type { JobHandler } from '../jobs/index.js'
import { fanOutFlagged, fanOutSpans } from './fan-out.js'
import { EVALUATION_JOB } from './outbox.js'
import type { EvaluatorRegistry } from './registry.js'
import { runEvaluation } from './run-evaluation.js'
import { createEvaluatorSettings, type EvaluatorSettings } from './settings.js'

/** What the evaluation engine is built from, once, at the composition root. */
export interface EvaluationEngineDeps {
  storage: Pick<Storage, 'configs' | 'events' | 'jobs'>
  registry: EvaluatorRegistry
  /** The write path scores take, the same as every other way in. */
  ingest: IngestDeps
  now: () => number
}

/** Settings for the API, handlers for the evaluation queue's worker. */
export interface EvaluationEngine {
  registry: EvaluatorRegistry
  settings: EvaluatorSettings
  handlers: Record<string, JobHandler>
}

/** Wires settings, fan-out and evaluation handlers over one storage and registry. */
export function createEvaluationEngine(deps: EvaluationEngineDeps): EvaluationEngine {
  const { storage, registry, now } = deps
  const settings = createEvaluatorSettings({ configs: storage.configs, registry, now })
  const writeScores = async (projectId: string, scores: ScoreInput[]): Promise<void> => {
    const result = await ingest(deps.ingest, { projectId, source: 'api' }, { scores })
    if (result.rejected > 0) {
      const issues = result.results.flatMap((r) => r.errors ?? [])
      const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ')
      throw new AppError('INVALID_INPUT', `evaluator wrote invalid scores: ${summary}`, {
        details: { issues },
      })
    }
  }
  const fanOut = { settings, registry, events: storage.events, jobs: storage.jobs, now }
  const run = { settings, registry, events: storage.events, writeScores, now }
  return {
    registry,
    settings,
    handlers: {
      [EVALUATION_JOB.spans]: (job) => fanOutSpans(fanOut, job),
      [EVALUATION_JOB.flagged]: (job) => fanOutFlagged(fanOut, job),
      [EVALUATION_JOB.span]: (job, signal) => runEvaluation(run, job, signal),
    },
  }
}
