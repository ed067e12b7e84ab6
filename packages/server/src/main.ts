import { setFlagsFromString } from 'node:v8'
import { pino, type Logger } from 'pino'
import type { FastifyInstance } from 'fastify'
import { createApp, type AppDeps } from './app.js'
import { parseConfig, type Config } from './config.js'
import { createEvaluation, EVALUATION_QUEUE, withEvaluationOutbox } from './evaluators/index.js'
import { createCommitter } from './ingest/index.js'
import { createWorker, type Worker } from './jobs/index.js'
import { createPricing } from './pricing/index.js'
import { bootstrapProjects, createKeyService } from './projects/index.js'
import { openStorage } from './storage/index.js'

/** A started server: its address, its dependencies (for tests) and an idempotent close. */
export interface RunningServer {
  url: string
  port: number
  app: FastifyInstance
  deps: AppDeps
  defaultProjectId: string
  close(): Promise<void>
}

/** Composition root: the only place that names concrete adapters. */
export async function startServer(
  config: Config,
  options: { logger?: Logger } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.logLevel })
  const now = Date.now
  const storage = await openStorage({
    kind: config.storage,
    dataDir: config.dataDir,
    onReopen: ({ cause, error, ms }) => {
      if (error === undefined) {
        logger.warn({ err: cause, ms: Math.round(ms) }, 'storage reopened after a broken commit')
      } else {
        logger.error(
          { err: error, cause },
          'storage could not reopen; the next failed batch retries',
        )
      }
    },
  })
  const keys = createKeyService({ meta: storage.meta, now })
  const project = await bootstrapProjects({ meta: storage.meta, keys, now, apiKey: config.apiKey })
  let worker: Worker | undefined
  // the evaluation module needs the committer, and the committer's outbox asks it about projects
  const late: { knownIdle?: (projectId: string) => boolean } = {}
  // the outbox writes each batch's evaluation jobs in its commit, then wakes the worker; a
  // batch without jobs wakes nothing (an idle claim is a write to the queue)
  const outbox = withEvaluationOutbox(storage.events, {
    knownIdle: (projectId) => late.knownIdle?.(projectId) ?? false,
    onJobsCommitted: () => worker?.notify(),
  })
  const committer = createCommitter(outbox, {
    maxPendingRows: config.maxPendingRows,
    onError: (err) => logger.error({ err }, 'group commit failed'),
  })
  const pricing = createPricing({ configs: storage.configs, now })
  const ingestDeps = { committer, events: storage.events, pricing, now }
  const evaluation = createEvaluation({ storage, ingest: ingestDeps, pricing, now })
  late.knownIdle = (projectId) => evaluation.engine.settings.knownIdle(projectId)
  if (config.role !== 'api') {
    worker = createWorker({
      queue: storage.jobs,
      queueName: EVALUATION_QUEUE,
      handlers: evaluation.engine.handlers,
      onError: (err, job) =>
        logger.warn(
          { code: err.code, message: err.message, jobId: job?.id },
          'evaluation job failed',
        ),
    })
    worker.start()
  }
  const deps: AppDeps = { config, storage, keys, committer, pricing, evaluation, now, logger }
  const app = createApp(deps)
  await app.listen({ host: config.host, port: config.port })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      await app.close()
      await worker?.stop()
      await committer.drain()
      await evaluation.close()
      await storage.close()
    })()
    return closing
  }
  return {
    url: `http://${config.host}:${port}`,
    port,
    app,
    deps,
    defaultProjectId: project.id,
    close,
  }
}

/**
 * Process-wide settings of a server process (`vigil serve`, and benchmarks that start the
 * server in their own process so they measure what ships).
 *
 * V8 lets the old generation grow up to ~4x its live size between full collections; a server
 * of big, short-lived request bodies then holds mostly garbage. Read at every GC, so it takes
 * effect at once. 30k realistic spans over HTTP, DuckDB at 256MB: peak RSS 756–822 MB →
 * 613 MB, heap total ~250 → ~130 MB.
 */
export function tuneServerProcess(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
}

/** Old-generation growth per full GC (V8's default grows up to 4x; see tuneServerProcess). */
const HEAP_GROWING_PERCENT = 20

/** `vigil serve`: starts, logs where, and shuts down gracefully on SIGINT/SIGTERM. */
export async function runServeCommand(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Promise<void> {
  const config = parseConfig(argv, env)
  tuneServerProcess()
  const server = await startServer(config)
  server.deps.logger.info(
    { url: server.url, storage: config.storage, dataDir: config.dataDir },
    'server started',
  )
  // one plain line whatever the log level: people and scripts look for the address
  console.log(
    `Vigil listening on ${server.url} (storage: ${config.storage}, data: ${config.dataDir})`,
  )
  const stop = (signal: string) => {
    server.deps.logger.info({ signal }, 'shutting down: finishing in-flight commits')
    void server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        server.deps.logger.error({ err }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
