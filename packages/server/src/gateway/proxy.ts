import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { AppError, newSpanId, newTraceId } from '@vigil/core'
import type { Principal } from '../http/index.js'
import { clientTraceId } from './attribution.js'
import type { Capture } from './capture.js'
import { Exchange } from './exchange.js'
import { upstreamRequestHeaders } from './headers.js'
import { planAttempts, type Upstream } from './plan.js'
import type { UpstreamPools } from './pools.js'
import type { ProviderPlugin, ProviderRegistry } from './provider.js'
import type { Recorder } from './recorder.js'
import { sendError } from './respond.js'
import type { GatewaySettings } from './settings.js'

/** The URL prefix the gateway answers under. */
export const PROXY_PREFIX = '/proxy/'

/** What the proxy needs, built once. */
export interface ProxyDeps {
  providers: ProviderRegistry
  /** Server-wide upstream per provider (VIGIL_OPENAI_BASE_URL, …). */
  defaults: ReadonlyMap<string, Upstream>
  authenticate(secret: string): Promise<Principal | null>
  settings: GatewaySettings
  pools: UpstreamPools
  recorder: Recorder
  bodyLimitBytes: number
  captureLimitBytes: number
  problem(message: string, error?: unknown): void
}

/** Vigil's key: `x-vigil-key`, or a Bearer token when the provider key is in its own header. */
export function vigilKeyOf(
  headers: IncomingHttpHeaders,
  plugin: ProviderPlugin,
): { secret: string; inAuthorization: boolean } | undefined {
  const direct = headers['x-vigil-key']
  if (typeof direct === 'string' && direct.length > 0) {
    return { secret: direct.trim(), inAuthorization: false }
  }
  if (!plugin.keyHeaders.some((name) => headers[name] !== undefined)) return undefined
  const auth = headers.authorization
  if (auth === undefined || auth.slice(0, 7).toLowerCase() !== 'bearer ') return undefined
  return { secret: auth.slice(7).trim(), inAuthorization: true }
}

/** Reads the whole request body (it is forwarded as is and recorded later). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      // past the limit the rest is read and dropped; the 413 then closes the connection
      if (size > limit)
        reject(new AppError('PAYLOAD_TOO_LARGE', `request body is larger than ${limit} bytes`))
      else chunks.push(chunk)
    })
    req.once('end', () => {
      resolve(chunks.length <= 1 ? chunks[0] : Buffer.concat(chunks))
    })
    req.once('error', reject)
  })
}

async function upstreamFor(
  deps: ProxyDeps,
  projectId: string,
  provider: string,
): Promise<Upstream | undefined> {
  const cached = deps.settings.get(projectId)
  const settings = cached instanceof Promise ? await cached : cached
  return settings.upstreams.get(provider) ?? deps.defaults.get(provider)
}

function newCapture(o: {
  req: IncomingMessage
  plugin: ProviderPlugin
  projectId: string
  path: string
  body: Buffer | undefined
  startTime: number
}): Capture {
  const query = o.path.indexOf('?')
  const path = query < 0 ? o.path : o.path.slice(0, query)
  const method = o.req.method ?? 'GET'
  return {
    projectId: o.projectId,
    traceId: clientTraceId(o.req.headers) ?? newTraceId(),
    spanId: newSpanId(),
    plugin: o.plugin,
    operation: o.plugin.operationFor(method, path),
    method,
    path,
    headers: o.req.headers,
    requestBody: o.body,
    startTime: o.startTime,
    durationMs: 0,
    status: undefined,
    responseHeaders: undefined,
    chunks: [],
    times: [],
    bytes: 0,
    truncated: false,
    outcome: 'complete',
    errorMessage: undefined,
  }
}

/** Routes one call: provider, Vigil key, body, upstream; then the exchange. */
async function proxy(deps: ProxyDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const t0 = performance.now()
  const startTime = Date.now()
  const url = req.url ?? '/'
  const slash = url.indexOf('/', PROXY_PREFIX.length)
  const plugin = slash < 0 ? undefined : deps.providers.get(url.slice(PROXY_PREFIX.length, slash))
  if (plugin === undefined) {
    const known = [...deps.providers.keys()].map((p) => `${PROXY_PREFIX}${p}/`).join(', ')
    throw new AppError('NOT_FOUND', `no gateway route ${url.split('?')[0]}; use ${known}`)
  }
  const key = vigilKeyOf(req.headers, plugin)
  if (key === undefined) {
    const hint = 'send x-vigil-key: <project key> (the provider key stays in its usual header)'
    throw new AppError('UNAUTHORIZED', `missing Vigil key: ${hint}`)
  }
  const [principal, body] = await Promise.all([
    deps.authenticate(key.secret),
    readBody(req, deps.bodyLimitBytes),
  ])
  if (principal === null) throw new AppError('UNAUTHORIZED', 'invalid or revoked Vigil key')
  const path = url.slice(slash)
  const { projectId } = principal
  const capture = newCapture({ req, plugin, projectId, path, body, startTime })
  const upstream = await upstreamFor(deps, projectId, plugin.name)
  if (upstream === undefined) {
    const error = new AppError('UPSTREAM_FAILED', `no upstream is configured for ${plugin.name}`)
    return sendError(res, error, capture.traceId)
  }
  const [attempt] = planAttempts(upstream, path)
  forward({
    deps,
    req,
    res,
    capture,
    t0,
    attempt: attempt!,
    dropAuthorization: key.inAuthorization,
  })
}

function forward(o: {
  deps: ProxyDeps
  req: IncomingMessage
  res: ServerResponse
  capture: Capture
  t0: number
  attempt: ReturnType<typeof planAttempts>[number]
  dropAuthorization: boolean
}): void {
  const { deps, res, capture, attempt } = o
  const exchange = new Exchange({
    res,
    capture,
    t0: o.t0,
    origin: attempt.origin,
    timeoutMs: attempt.timeoutMs,
    captureLimit: deps.captureLimitBytes,
    finished: (c) => deps.recorder.enqueue(c),
  })
  res.once('close', () => exchange.clientClosed())
  if (res.destroyed) return exchange.clientClosed()
  deps.pools.get(attempt.origin).dispatch(
    {
      path: attempt.path,
      method: capture.method,
      headers: upstreamRequestHeaders(o.req.headers, { dropAuthorization: o.dropAuthorization }),
      body: capture.requestBody ?? null,
      headersTimeout: attempt.timeoutMs,
      bodyTimeout: attempt.timeoutMs,
    },
    exchange,
  )
}

/** The gateway's raw `node:http` handler for everything under /proxy/. */
export function createProxyHandler(
  deps: ProxyDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    proxy(deps, req, res).catch((cause: unknown) => {
      const error =
        cause instanceof AppError ? cause : new AppError('INTERNAL', 'gateway error', { cause })
      if (error.code === 'INTERNAL') deps.problem('gateway request failed', cause)
      // the request body may be partly unread: do not reuse this connection
      res.shouldKeepAlive = false
      req.resume()
      sendError(res, error)
    })
  }
}
