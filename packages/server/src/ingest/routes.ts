import type { IngestResponse } from '@vigil/core'
import type { FastifyInstance, FastifyReply, preHandlerAsyncHookHandler } from 'fastify'
import { principalOf } from '../http/index.js'
import { ingest, type IngestDeps } from './ingest.js'

function statusFor(result: IngestResponse): number {
  if (result.rejected === 0) return 200
  return result.accepted > 0 ? 207 : 400
}

function send(reply: FastifyReply, result: IngestResponse): FastifyReply {
  const status = statusFor(result)
  if (status !== 400) return reply.status(status).send(result)
  // every item was rejected: the usual error shape, plus the per-item results
  const first = result.results.find((r) => r.errors?.length)?.errors?.[0]
  const detail = first ? `: ${first.path}: ${first.message}` : ''
  const error = { code: 'INVALID_INPUT', message: `every item was rejected${detail}` }
  return reply.status(400).send({ error, ...result })
}

/** POST /api/v1/ingest, /api/v1/scores and /api/v1/feedback: all through ingest(). */
export function ingestRoutes(
  app: FastifyInstance,
  deps: IngestDeps & { auth: preHandlerAsyncHookHandler },
): void {
  app.post('/api/v1/ingest', { preHandler: deps.auth }, async (request, reply) => {
    const { projectId } = principalOf(request)
    return send(reply, await ingest(deps, { projectId, source: 'api' }, request.body))
  })
  // single-item conveniences: the body is one score or one feedback item
  app.post('/api/v1/scores', { preHandler: deps.auth }, async (request, reply) => {
    const { projectId } = principalOf(request)
    const result = await ingest(deps, { projectId, source: 'api' }, { scores: [request.body] })
    return send(reply, result)
  })
  app.post('/api/v1/feedback', { preHandler: deps.auth }, async (request, reply) => {
    const { projectId } = principalOf(request)
    const result = await ingest(deps, { projectId, source: 'api' }, { feedback: [request.body] })
    return send(reply, result)
  })
}
