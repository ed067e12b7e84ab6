import { AppError, API_V1_ROUTES, buildOpenApiDocument, type Storage } from '@vigil/core'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { Config } from './config.js'
import { createAuthHook, decodeContentEncoding, errorBody, handleError } from './http/index.js'
import { ingestRoutes, type Committer } from './ingest/index.js'
import type { Pricing } from './pricing/index.js'
import { keyRoutes, type KeyService } from './projects/index.js'
import { queryRoutes } from './query/index.js'

export const VERSION = '0.1.0'

/** Everything the HTTP app needs, built once in main.ts. */
export interface AppDeps {
  config: Config
  storage: Storage
  keys: KeyService
  committer: Committer
  pricing: Pricing
  now: () => number
  logger: Logger
}

/** Builds the Fastify app with every module's routes; no I/O until it listens. */
export function createApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.config.bodyLimitBytes,
    // per-request info logs cost the hot paths (gateway) more than they tell
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: 'idle',
  })
  app.decorateRequest('principal', null)
  app.addHook('preParsing', decodeContentEncoding)
  app.setErrorHandler(handleError)
  app.setNotFoundHandler((request, reply) => {
    const error = new AppError(
      'NOT_FOUND',
      `no route ${request.method} ${request.url.split('?')[0]}`,
    )
    void reply.status(404).send(errorBody(error))
  })

  const auth = createAuthHook((secret) => deps.keys.authenticate(secret))
  const openapi = buildOpenApiDocument(API_V1_ROUTES, VERSION)

  app.get('/healthz', () => ({ status: 'ok', version: VERSION }))
  app.get('/api/v1/openapi.json', () => openapi)
  ingestRoutes(app, {
    committer: deps.committer,
    events: deps.storage.events,
    pricing: deps.pricing,
    now: deps.now,
    auth,
  })
  queryRoutes(app, { events: deps.storage.events, auth })
  keyRoutes(app, { keys: deps.keys, auth })
  return app
}
