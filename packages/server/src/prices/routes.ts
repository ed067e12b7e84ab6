import {
  AppError,
  modelPriceSchema,
  type ConfigRecord,
  type ConfigStore,
  type JsonValue,
} from '@vigil/core'
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import { parseWith, principalOf } from '../http/index.js'
import { CUSTOM_PRICE_KIND, type Pricing } from '../pricing/index.js'

type Deps = {
  configs: ConfigStore
  pricing: Pricing
  now: () => number
  auth: preHandlerAsyncHookHandler
}
type ModelRoute = { Params: { '*': string } }
type WithModel = FastifyRequest<ModelRoute>

function view(record: ConfigRecord) {
  const { value } = record
  const fields: Record<string, JsonValue> =
    typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}
  return { model: record.id, ...fields, version: record.version, updatedAt: record.createdAt }
}

/** The model name: everything after /prices/, so names with slashes (`openai/gpt-4o`) work. */
function modelOf(request: WithModel): string {
  const model = request.params['*']
  if (model.length === 0 || model.length > 256) {
    throw new AppError('INVALID_INPUT', 'name a model: /api/v1/prices/<model> (1-256 characters)')
  }
  return model
}

/** /api/v1/prices: per-project custom prices (USD per 1M tokens) that win over the catalogue. */
export function priceRoutes(app: FastifyInstance, deps: Deps): void {
  const { configs, auth } = deps
  app.get('/api/v1/prices', { preHandler: auth }, async (request) => {
    const records = await configs.list({
      projectId: principalOf(request).projectId,
      kind: CUSTOM_PRICE_KIND,
    })
    return { data: records.map(view) }
  })
  app.get<ModelRoute>('/api/v1/prices/*', { preHandler: auth }, async (request: WithModel) => {
    const model = modelOf(request)
    const record = await configs.get({
      projectId: principalOf(request).projectId,
      kind: CUSTOM_PRICE_KIND,
      id: model,
    })
    if (record === null) throw new AppError('NOT_FOUND', `no custom price for ${model}`)
    return view(record)
  })
  app.put<ModelRoute>('/api/v1/prices/*', { preHandler: auth }, async (request: WithModel) => {
    const model = modelOf(request)
    const value = parseWith(modelPriceSchema, request.body, 'body')
    const record = await configs.put({
      projectId: principalOf(request).projectId,
      kind: CUSTOM_PRICE_KIND,
      id: model,
      value,
      now: deps.now(),
    })
    deps.pricing.invalidate(record.projectId)
    return view(record)
  })
  app.delete<ModelRoute>(
    '/api/v1/prices/*',
    { preHandler: auth },
    async (request: WithModel, reply) => {
      const model = modelOf(request)
      const deleted = await configs.delete({
        projectId: principalOf(request).projectId,
        kind: CUSTOM_PRICE_KIND,
        id: model,
        now: deps.now(),
      })
      if (!deleted) throw new AppError('NOT_FOUND', `no custom price for ${model}`)
      return reply.status(204).send()
    },
  )
}
