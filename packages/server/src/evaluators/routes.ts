import {
  AppError,
  jobListQuerySchema,
  referenceMetricsRequestSchema,
  type Job,
  type JobQueue,
} from '@vigil/core'
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify'
import { z } from 'zod'
import { parseWith, principalOf } from '../http/index.js'
import { maskEndpoint } from './judge/endpoint-settings.js'
import { EVALUATION_QUEUE } from './outbox.js'
import { embedderFor } from './reference-evaluator.js'
import { referenceMetrics } from './reference-metrics.js'
import type { StoredEvaluator } from './settings.js'
import type { Evaluation } from './setup.js'

type Auth = { preHandler: preHandlerAsyncHookHandler }
type Deps = {
  evaluation: Evaluation
  jobs: JobQueue
  now: () => number
  auth: preHandlerAsyncHookHandler
}

const versionQuery = z.object({ version: z.coerce.number().int().min(1).optional() }).strict()

function evaluatorView(e: StoredEvaluator, evaluation: Evaluation) {
  const plugin = evaluation.engine.registry.get(e.setting.kind)
  let codeVersion: string | null = null
  try {
    codeVersion = plugin ? plugin.versionOf(e.setting.config) : null
  } catch {
    // a stored config the plug-in no longer accepts: shown, but with no code version
  }
  return { ...e.setting, version: e.version, codeVersion, updatedAt: e.updatedAt }
}

const jobView = (j: Job) => ({
  id: j.id,
  type: j.type,
  state: j.state,
  attempts: j.attempts,
  runAt: j.runAt,
  lastError: j.lastError,
  payload: j.payload,
  createdAt: j.createdAt,
  updatedAt: j.updatedAt,
})

/** /api/v1/evaluators and /api/v1/evaluator-kinds: per-project evaluator settings. */
function settingRoutes(app: FastifyInstance, deps: Deps, auth: Auth): void {
  const { settings, registry } = deps.evaluation.engine
  app.get('/api/v1/evaluator-kinds', auth, () => ({
    data: registry.list().map((p) => ({ kind: p.kind, version: p.version, source: p.source })),
  }))
  app.get('/api/v1/evaluators', auth, async (request) => {
    const list = await settings.list(principalOf(request).projectId)
    return { data: list.map((e) => evaluatorView(e, deps.evaluation)) }
  })
  app.post('/api/v1/evaluators', auth, async (request, reply) => {
    const stored = await settings.put(principalOf(request).projectId, request.body)
    return reply
      .status(stored.version === 1 ? 201 : 200)
      .send(evaluatorView(stored, deps.evaluation))
  })
  app.get<{ Params: { name: string } }>('/api/v1/evaluators/:name', auth, async (request) => {
    const { version } = parseWith(versionQuery, request.query, 'query')
    const { name } = request.params
    const stored = await settings.get(principalOf(request).projectId, name, version)
    if (!stored)
      throw new AppError('NOT_FOUND', `no evaluator ${name}${version ? ` version ${version}` : ''}`)
    return evaluatorView(stored, deps.evaluation)
  })
  app.delete<{ Params: { name: string } }>(
    '/api/v1/evaluators/:name',
    auth,
    async (request, reply) => {
      const ok = await settings.delete(principalOf(request).projectId, request.params.name)
      if (!ok) throw new AppError('NOT_FOUND', `no evaluator ${request.params.name}`)
      return reply.status(204).send()
    },
  )
}

/** /api/v1/judge-endpoint: the project's judge; the key is accepted but only ever shown masked. */
function endpointRoutes(app: FastifyInstance, deps: Deps, auth: Auth): void {
  const { endpoints } = deps.evaluation
  app.get('/api/v1/judge-endpoint', auth, async (request) => {
    const stored = await endpoints.get(principalOf(request).projectId)
    if (!stored) throw new AppError('NOT_FOUND', 'no judge endpoint configured')
    return maskEndpoint(stored)
  })
  app.put('/api/v1/judge-endpoint', auth, async (request) =>
    maskEndpoint(await endpoints.put(principalOf(request).projectId, request.body)),
  )
  app.delete('/api/v1/judge-endpoint', auth, async (request, reply) => {
    const ok = await endpoints.delete(principalOf(request).projectId)
    if (!ok) throw new AppError('NOT_FOUND', 'no judge endpoint configured')
    return reply.status(204).send()
  })
}

/** /api/v1/evaluation-jobs: the evaluation queue of the project, dead letters included. */
function jobRoutes(app: FastifyInstance, deps: Deps, auth: Auth): void {
  const scoped = { queue: EVALUATION_QUEUE }
  const own = async (projectId: string, id: string): Promise<Job> => {
    const job = await deps.jobs.get(id)
    if (!job || job.projectId !== projectId || job.queue !== EVALUATION_QUEUE) {
      throw new AppError('NOT_FOUND', `no evaluation job ${id}`)
    }
    return job
  }
  app.get('/api/v1/evaluation-jobs', auth, async (request) => {
    const { state, limit } = parseWith(jobListQuerySchema, request.query, 'query')
    const { projectId } = principalOf(request)
    const [jobs, counts] = await Promise.all([
      deps.jobs.list({ ...scoped, projectId, state, limit }),
      deps.jobs.counts({ ...scoped, projectId }),
    ])
    return { data: jobs.map(jobView), counts }
  })
  app.get<{ Params: { jobId: string } }>('/api/v1/evaluation-jobs/:jobId', auth, async (request) =>
    jobView(await own(principalOf(request).projectId, request.params.jobId)),
  )
  app.post<{ Params: { jobId: string } }>(
    '/api/v1/evaluation-jobs/:jobId/retry',
    auth,
    async (request) => {
      const { projectId } = principalOf(request)
      const job = await own(projectId, request.params.jobId)
      if (!(await deps.jobs.retry({ id: job.id, projectId, now: deps.now() }))) {
        throw new AppError(
          'CONFLICT',
          `job ${job.id} is ${job.state}; only dead jobs can be retried`,
        )
      }
      return jobView(await own(projectId, job.id))
    },
  )
}

/** Evaluator settings, the judge endpoint, the evaluation queue and reference metrics. */
export function evaluatorRoutes(app: FastifyInstance, deps: Deps): void {
  const auth = { preHandler: deps.auth }
  settingRoutes(app, deps, auth)
  endpointRoutes(app, deps, auth)
  jobRoutes(app, deps, auth)
  const embedder = embedderFor(deps.evaluation)
  app.post('/api/v1/reference-metrics', auth, async (request) => {
    const input = parseWith(referenceMetricsRequestSchema, request.body, 'body')
    const wantsEmbedding = input.metrics.includes('embedding')
    const chosen = await embedder(principalOf(request).projectId, wantsEmbedding ? 'auto' : 'tfidf')
    const scores = await referenceMetrics(input, { embedder: chosen })
    return { scores, embedding: wantsEmbedding ? chosen.name : null }
  })
}
