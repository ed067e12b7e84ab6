import {
  AppError,
  encodeCursor,
  parseCursor,
  spanQueryParamsSchema,
  type EventStore,
} from '@vigil/core'
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify'
import { parseWith, principalOf } from '../http/index.js'
import { buildSpanTree } from './tree.js'

/** GET /api/v1/spans and GET /api/v1/traces/:traceId, scoped to the key's project. */
export function queryRoutes(
  app: FastifyInstance,
  deps: { events: EventStore; auth: preHandlerAsyncHookHandler },
): void {
  app.get('/api/v1/spans', { preHandler: deps.auth }, async (request) => {
    const params = parseWith(spanQueryParamsSchema, request.query, 'query')
    const cursor = params.cursor === undefined ? undefined : parseCursor(params.cursor)
    if (params.cursor !== undefined && !cursor) {
      throw new AppError('INVALID_INPUT', 'cursor is not one this API returned')
    }
    const page = await deps.events.listSpans({
      projectId: principalOf(request).projectId,
      from: params.from,
      to: params.to,
      traceId: params.traceId,
      model: params.model,
      userId: params.userId,
      sessionId: params.sessionId,
      feature: params.feature,
      kind: params.kind,
      status: params.status,
      text: params.q,
      score: params.scoreName
        ? { name: params.scoreName, min: params.scoreMin, max: params.scoreMax }
        : undefined,
      limit: params.limit,
      cursor,
    })
    return { data: page.items, nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null }
  })

  app.get<{ Params: { traceId: string } }>(
    '/api/v1/traces/:traceId',
    { preHandler: deps.auth },
    async (request) => {
      const { traceId } = request.params
      const trace = await deps.events.getTrace(principalOf(request).projectId, traceId)
      if (!trace) throw new AppError('NOT_FOUND', `no trace ${traceId} in this project`)
      return { traceId, spans: trace.spans, tree: buildSpanTree(trace.spans), scores: trace.scores }
    },
  )
}
