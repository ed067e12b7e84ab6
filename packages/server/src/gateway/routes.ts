import {
  AppError,
  redactionSettingSchema,
  upstreamSettingSchema,
  type ConfigStore,
  type RedactionSetting,
} from '@vigil/core'
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify'
import { parseWith, principalOf } from '../http/index.js'
import type { Gateway } from './gateway.js'
import { DEFAULT_TIMEOUT_MS, parseUpstream } from './plan.js'
import { REDACTION_TYPES } from './redact.js'
import { PRIVACY_KIND, REDACTION_ID, UPSTREAM_KIND } from './settings.js'

type Deps = {
  gateway: Gateway
  configs: ConfigStore
  now: () => number
  auth: preHandlerAsyncHookHandler
}

function knownProvider(gateway: Gateway, provider: string): string {
  if (gateway.providers.has(provider)) return provider
  const known = [...gateway.providers.keys()].join(', ')
  throw new AppError('NOT_FOUND', `no gateway provider ${provider}; known: ${known}`)
}

/** /api/v1/gateway/upstreams: where each provider's calls go, per project. */
function upstreamRoutes(app: FastifyInstance, deps: Deps): void {
  const { gateway, configs, auth } = deps
  app.get('/api/v1/gateway/upstreams', { preHandler: auth }, async (request) => {
    const { projectId } = principalOf(request)
    const settings = await gateway.settings.get(projectId)
    const data = [...gateway.providers.keys()].map((provider) => {
      const own = settings.upstreams.get(provider)
      const upstream = own ?? gateway.defaults.get(provider)
      return {
        provider,
        baseUrl: upstream ? upstream.origin + upstream.basePath : '',
        timeoutMs: upstream?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        source: own ? 'project' : 'default',
      }
    })
    return { data }
  })
  app.put<{ Params: { provider: string } }>(
    '/api/v1/gateway/upstreams/:provider',
    { preHandler: auth },
    async (request) => {
      const { projectId } = principalOf(request)
      const provider = knownProvider(gateway, request.params.provider)
      const value = parseWith(upstreamSettingSchema, request.body, 'body')
      const upstream = parseUpstream(value.baseUrl, value.timeoutMs)
      await configs.put({ projectId, kind: UPSTREAM_KIND, id: provider, value, now: deps.now() })
      gateway.settings.invalidate(projectId)
      return {
        provider,
        baseUrl: upstream.origin + upstream.basePath,
        timeoutMs: upstream.timeoutMs,
        source: 'project',
      }
    },
  )
  app.delete<{ Params: { provider: string } }>(
    '/api/v1/gateway/upstreams/:provider',
    { preHandler: auth },
    async (request, reply) => {
      const { projectId } = principalOf(request)
      const provider = knownProvider(gateway, request.params.provider)
      const deleted = await configs.delete({
        projectId,
        kind: UPSTREAM_KIND,
        id: provider,
        now: deps.now(),
      })
      if (!deleted) throw new AppError('NOT_FOUND', `no project upstream for ${provider}`)
      gateway.settings.invalidate(projectId)
      return reply.status(204).send()
    },
  )
}

/** /api/v1/privacy/redaction: PII redaction before gateway calls are stored. */
function privacyRoutes(app: FastifyInstance, deps: Deps): void {
  const { gateway, configs, auth } = deps
  app.get('/api/v1/privacy/redaction', { preHandler: auth }, async (request) => {
    const settings = await gateway.settings.get(principalOf(request).projectId)
    return settings.redaction ?? { enabled: false }
  })
  app.put('/api/v1/privacy/redaction', { preHandler: auth }, async (request) => {
    const { projectId } = principalOf(request)
    const value: RedactionSetting = parseWith(redactionSettingSchema, request.body, 'body')
    const unknown = (value.types ?? []).filter((t) => !REDACTION_TYPES.includes(t))
    if (unknown.length > 0) {
      throw new AppError(
        'INVALID_INPUT',
        `unknown PII types ${unknown.join(', ')}; known: ${REDACTION_TYPES.join(', ')}`,
      )
    }
    await configs.put({ projectId, kind: PRIVACY_KIND, id: REDACTION_ID, value, now: deps.now() })
    gateway.settings.invalidate(projectId)
    return value
  })
}

/** The gateway's settings and recording counters under /api/v1. */
export function gatewayRoutes(app: FastifyInstance, deps: Deps): void {
  upstreamRoutes(app, deps)
  privacyRoutes(app, deps)
  app.get('/api/v1/gateway/stats', { preHandler: deps.auth }, (request) =>
    deps.gateway.stats(principalOf(request).projectId),
  )
}
