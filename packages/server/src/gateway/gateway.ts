import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ConfigStore, SpanInput } from '@vigil/core'
import type { Logger } from 'pino'
import type { Principal } from '../http/index.js'
import { ingest, type IngestDeps } from '../ingest/index.js'
import type { Capture } from './capture.js'
import { parseUpstream, type Upstream } from './plan.js'
import { createUpstreamPools, type UpstreamPools } from './pools.js'
import { createProviderRegistry, type ProviderPlugin, type ProviderRegistry } from './provider.js'
import { BUILTIN_PROVIDERS } from './providers/index.js'
import { createProxyHandler, PROXY_PREFIX } from './proxy.js'
import { buildSpan } from './record.js'
import { redactSpan } from './redact.js'
import { createRecorder, type Recorder, type RecordingStats } from './recorder.js'
import { createGatewaySettings, type GatewaySettings } from './settings.js'

/** What the gateway is built from (once, at the composition root). */
export interface GatewayDeps {
  /** Server-wide upstream base URL per provider name. */
  defaultBaseUrls: Readonly<Record<string, string>>
  authenticate(secret: string): Promise<Principal | null>
  configs: ConfigStore
  ingest: IngestDeps
  now: () => number
  logger: Logger
  bodyLimitBytes: number
  /** Response bytes kept per call for recording (default 8 MiB). */
  captureLimitBytes?: number
  providers?: readonly ProviderPlugin[]
}

/** The running gateway: its request handler, settings, and what it could not record. */
export interface Gateway {
  readonly providers: ProviderRegistry
  readonly defaults: ReadonlyMap<string, Upstream>
  readonly settings: GatewaySettings
  readonly pools: UpstreamPools
  /** Handles a request under /proxy/ (raw node:http). */
  handle(req: IncomingMessage, res: ServerResponse): void
  /** A server handler: /proxy/ to the gateway, everything else to `next` (Fastify). */
  dispatch(
    next: (req: IncomingMessage, res: ServerResponse) => void,
  ): (req: IncomingMessage, res: ServerResponse) => void
  stats(projectId: string): RecordingStats
  /** Waits until every finished call is recorded (or given up on). */
  flush(): Promise<void>
  /** Flushes recording and closes upstream connections. */
  close(): Promise<void>
}

const PROBLEM_INTERVAL_MS = 10_000

/** Logs each kind of problem at most every 10 s, with how often it happened meanwhile. */
function problemLog(logger: Logger): (message: string, error?: unknown) => void {
  const last = new Map<string, { at: number; suppressed: number }>()
  return (message, error) => {
    const now = Date.now()
    const seen = last.get(message)
    if (seen !== undefined && now - seen.at < PROBLEM_INTERVAL_MS) {
      seen.suppressed += 1
      return
    }
    last.set(message, { at: now, suppressed: 0 })
    // never the request: its headers carry provider keys
    logger.warn({ err: error, suppressed: seen?.suppressed ?? 0 }, message)
  }
}

/** Capture → span, redacted when the project asks for it. */
function createBuild(settings: GatewaySettings): (capture: Capture) => Promise<SpanInput> {
  return async (capture) => {
    const span = await buildSpan(capture)
    const { redaction } = await settings.get(capture.projectId)
    return redactSpan(span, redaction)
  }
}

/** Creates the gateway; nothing listens until its handler is mounted. */
export function createGateway(deps: GatewayDeps): Gateway {
  const problem = problemLog(deps.logger)
  const providers = createProviderRegistry(deps.providers ?? BUILTIN_PROVIDERS)
  const defaults = new Map<string, Upstream>()
  for (const [name, url] of Object.entries(deps.defaultBaseUrls))
    defaults.set(name, parseUpstream(url))
  const settings = createGatewaySettings({ configs: deps.configs, now: deps.now, problem })
  const pools = createUpstreamPools()
  const recorder: Recorder = createRecorder({
    build: createBuild(settings),
    ingest: (projectId, spans) => ingest(deps.ingest, { projectId, source: 'gateway' }, { spans }),
    problem,
  })
  const handle = createProxyHandler({
    providers,
    defaults,
    authenticate: (secret) => deps.authenticate(secret),
    settings,
    pools,
    recorder,
    bodyLimitBytes: deps.bodyLimitBytes,
    captureLimitBytes: deps.captureLimitBytes ?? 8 * 1024 * 1024,
    problem,
  })
  return {
    providers,
    defaults,
    settings,
    pools,
    handle,
    dispatch: (next) => (req, res) => {
      if (req.url !== undefined && req.url.startsWith(PROXY_PREFIX)) handle(req, res)
      else next(req, res)
    },
    stats: (projectId) => recorder.stats(projectId),
    flush: () => recorder.flush(),
    async close() {
      await pools.close()
      await recorder.flush()
    },
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The gateway behind /proxy/ (tests and benchmarks reach its counters and pools here). */
    gateway: Gateway
  }
}
