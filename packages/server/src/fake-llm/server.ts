import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Endpoint, EndpointContext } from './endpoint.js'
import type { Provider } from './errors.js'
import { createIdSource, type IdSource } from './ids.js'
import { DEFAULT_MODELS } from './models.js'
import { createRequestLog, recordOf, type RecordedRequest, type RequestLog } from './recorder.js'
import { isRecord } from './request-body.js'
import { route } from './routes.js'
import type { FakeLlmScript, ScriptedError } from './script.js'
import { resolveScript } from './script.js'
import { hasScriptHeaders, parseScriptHeaders } from './script-headers.js'
import { IMMEDIATE, sendReply, type Reply, type Timing } from './send.js'
import { createTokenCounter, type TokenCounter, type TokenCounting } from './tokens.js'
import {
  authenticate,
  badRequest,
  forcedError,
  internalError,
  notFound,
  unknownModel,
} from './refusals.js'

/** How to start the fake provider. */
export interface FakeLlmOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number
  /** Default 127.0.0.1. */
  readonly host?: string
  /** Behaviour of every request; `x-fake-*` request headers override it per request. */
  readonly script?: FakeLlmScript
  /** Listed by `GET /v1/models`; when given, other models get the provider's 404. */
  readonly models?: readonly string[]
  /** When given, only these keys are accepted (others get 401); else any non-empty key is. */
  readonly apiKeys?: readonly string[]
  /** Size of the request log's ring buffer (default 1000; 0 records nothing). */
  readonly maxRecordedRequests?: number
  /** `approx` (chars/4, the default, cheapest) or `tokenizer` (gpt-tokenizer's o200k counts). */
  readonly tokenCounting?: TokenCounting
}

/** A running fake provider. */
export interface FakeLlm {
  /** `http://host:port`; OpenAI clients use `${url}/v1`, Anthropic clients `url`. */
  readonly url: string
  readonly port: number
  /** The recorded requests, oldest first (a snapshot). */
  readonly requests: RecordedRequest[]
  clearRequests(): void
  /** The start script now in force. */
  readonly script: FakeLlmScript
  /** Replaces the start script for the requests that follow. */
  setScript(script: FakeLlmScript): void
  /** Stops listening and destroys open connections, hung ones included. */
  close(): Promise<void>
}

/** What every request handler shares. */
export interface ServerState {
  script: FakeLlmScript
  readonly models: readonly string[]
  readonly accepted: ReadonlySet<string> | undefined
  readonly apiKeys: ReadonlySet<string> | undefined
  readonly log: RequestLog
  readonly tokens: TokenCounter
  readonly ids: IdSource
  readonly errorsServed: WeakMap<ScriptedError, number>
}

/** Starts an OpenAI- and Anthropic-compatible HTTP server with scripted behaviour. */
export async function startFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlm> {
  const state: ServerState = {
    script: options.script ?? {},
    models: options.models ?? DEFAULT_MODELS,
    accepted: options.models === undefined ? undefined : new Set(options.models),
    apiKeys: options.apiKeys === undefined ? undefined : new Set(options.apiKeys),
    log: createRequestLog(options.maxRecordedRequests ?? 1000),
    tokens: await createTokenCounter(options.tokenCounting ?? 'approx'),
    ids: createIdSource(),
    errorsServed: new WeakMap(),
  }
  // longer than undici's keep-alive, so the server never closes a socket the client is reusing
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    handle(state, req, res).catch((err: unknown) => internalError(res, err))
  })
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  let closing: Promise<void> | undefined
  return {
    url,
    port,
    get requests() {
      return state.log.list()
    },
    clearRequests: () => state.log.clear(),
    get script() {
      return state.script
    },
    setScript: (script) => {
      state.script = script
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closing
    },
  }
}

async function handle(
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const raw = await readBody(req)
  const path = (req.url ?? '/').split('?', 1)[0] ?? '/'
  const body = parseJson(raw)
  state.log.add(recordOf(req, path, body))
  const requestId = state.ids('req_')
  const endpoint = route(req.method ?? 'GET', path, req.headers)
  if (endpoint === undefined) {
    const provider: Provider = isAnthropicClient(req) ? 'anthropic' : 'openai'
    return sendReply(res, notFound(provider, `${req.method} ${path}`, requestId), IMMEDIATE)
  }
  const { provider } = endpoint
  const denied = authenticate({ provider, headers: req.headers, apiKeys: state.apiKeys, requestId })
  if (denied !== undefined) return sendReply(res, denied, IMMEDIATE)
  if (req.method === 'POST' && !isRecord(body)) {
    return sendReply(
      res,
      badRequest(provider, 'could not parse the JSON body', requestId),
      IMMEDIATE,
    )
  }
  const overrides = hasScriptHeaders(req.headers) ? parseScriptHeaders(req.headers) : undefined
  if (overrides?.ok === false) {
    return sendReply(res, badRequest(provider, overrides.message, requestId), IMMEDIATE)
  }
  const json = isRecord(body) ? body : {}
  const prompt = endpoint.prompt(json)
  const script = resolveScript(state.script, overrides?.script, prompt)
  if (script.hang) return
  const timing: Timing = {
    latencyMs: script.latencyMs,
    ttftMs: script.ttftMs,
    chunkDelayMs: script.chunkDelayMs,
    dropAfterChunks: script.dropAfterChunks,
  }
  const { tokens, ids, models } = state
  const ctx: EndpointContext = { body: json, script, prompt, tokens, ids, requestId, models }
  return sendReply(res, answer(state, endpoint, ctx), timing)
}

/** A scripted error, the unknown-model 404, or the endpoint's own answer. */
function answer(state: ServerState, endpoint: Endpoint, ctx: EndpointContext): Reply {
  const forced = forcedError({
    error: ctx.script.error,
    served: state.errorsServed,
    provider: endpoint.provider,
    requestId: ctx.requestId,
  })
  if (forced !== undefined) return forced
  const model = ctx.body.model
  if (typeof model === 'string' && state.accepted !== undefined && !state.accepted.has(model)) {
    return unknownModel(endpoint.provider, model, ctx.requestId)
  }
  return endpoint.respond(ctx)
}

function isAnthropicClient(req: IncomingMessage): boolean {
  return req.headers['anthropic-version'] !== undefined || req.headers['x-api-key'] !== undefined
}

/** The body as text; listeners rather than async iteration, which costs more per request. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () =>
      resolve(
        chunks.length === 1
          ? (chunks[0] as Buffer).toString('utf8')
          : Buffer.concat(chunks).toString('utf8'),
      ),
    )
    req.on('error', reject)
  })
}

/** The parsed body; the raw text when it is not JSON; undefined when empty. */
function parseJson(raw: string): unknown {
  if (raw.length === 0) return undefined
  try {
    return JSON.parse(raw) as unknown
  } catch {
    return raw
  }
}
