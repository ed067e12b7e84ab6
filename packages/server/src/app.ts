import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { AppError, API_V1_ROUTES, buildOpenApiDocument, type Storage } from '@vigil/core'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { Config } from './config.js'
import { evaluatorRoutes, type Evaluation } from './evaluators/index.js'
import { createGateway, gatewayRoutes } from './gateway/index.js'
import {
  createAuthHook,
  decodeContentEncoding,
  parseJsonBody,
  errorBody,
  handleError,
} from './http/index.js'
import { ingestRoutes, type Committer } from './ingest/index.js'
import { otlpRoutes } from './otlp/index.js'
import { priceRoutes } from './prices/index.js'
import type { Pricing } from './pricing/index.js'
import { keyRoutes, type KeyService } from './projects/index.js'
import { queryRoutes } from './query/index.js'

export const VERSION = '0.1.0'

/** Failed commits in a row after which /healthz answers 503: one can be a passing fault. */
const UNHEALTHY_AFTER_FAILED_COMMITS = 3

/** Everything the HTTP app needs, built once in main.ts. */
export interface AppDeps {
  config: Config
  storage: Storage
  keys: KeyService
  committer: Committer
  pricing: Pricing
  evaluation: Evaluation
  now: () => number
  logger: Logger
}

/** Builds the Fastify app with every module's routes; no I/O until it listens. */
export function createApp(deps: AppDeps): FastifyInstance {
  const ingestDeps = {
    committer: deps.committer,
    events: deps.storage.events,
    pricing: deps.pricing,
    now: deps.now,
  }
  const gateway = createGateway({
    defaultBaseUrls: { openai: deps.config.openaiBaseUrl, anthropic: deps.config.anthropicBaseUrl },
    authenticate: (secret) => deps.keys.authenticate(secret),
    configs: deps.storage.configs,
    ingest: ingestDeps,
    now: deps.now,
    logger: deps.logger,
    bodyLimitBytes: deps.config.bodyLimitBytes,
  })
  const app = Fastify<Server, IncomingMessage, ServerResponse, FastifyBaseLogger>({
    // /proxy/ goes straight to the gateway's raw node:http handler: Fastify's routing and
    // body parsing would add to every proxied call (bench/gateway measures both)
    serverFactory: (handler) => createServer(gateway.dispatch(handler)),
    loggerInstance: deps.logger,
    bodyLimit: deps.config.bodyLimitBytes,
    // per-request info logs cost the hot paths (gateway) more than they tell
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: 'idle',
  })
  app.decorateRequest('principal', null)
  app.decorate('gateway', gateway)
  app.addHook('onClose', () => gateway.close())
  app.addHook('preParsing', decodeContentEncoding)
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody)
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

  app.get('/healthz', (_request, reply) => {
    // a store can stay broken after a failed commit (DuckDB after an out-of-memory COMMIT
    // refuses every later batch until the process restarts): say so, so a supervisor can act
    const failed = deps.committer.stats().consecutiveFailures
    if (failed >= UNHEALTHY_AFTER_FAILED_COMMITS) {
      return reply.status(503).send({
        status: 'failing',
        version: VERSION,
        reason: `the last ${failed} commits failed; see the server log (a restart may recover)`,
      })
    }
    return { status: 'ok', version: VERSION }
  })
  app.get('/api/v1/openapi.json', () => openapi)
  ingestRoutes(app, {
    committer: deps.committer,
    events: deps.storage.events,
    pricing: deps.pricing,
    now: deps.now,
    auth,
  })
  otlpRoutes(app, {
    committer: deps.committer,
    events: deps.storage.events,
    pricing: deps.pricing,
    now: deps.now,
    auth,
  })
  queryRoutes(app, { events: deps.storage.events, auth })
  keyRoutes(app, { keys: deps.keys, auth })
  gatewayRoutes(app, { gateway, configs: deps.storage.configs, now: deps.now, auth })
  evaluatorRoutes(app, {
    evaluation: deps.evaluation,
    jobs: deps.storage.jobs,
    now: deps.now,
    auth,
  })
  priceRoutes(app, {
    configs: deps.storage.configs,
    pricing: deps.pricing,
    now: deps.now,
    auth,
  })
  return app
}
