import type { Provider } from './errors.js'
import type { IdSource } from './ids.js'
import type { JsonRecord } from './request-body.js'
import type { Prompt, ResolvedScript } from './script.js'
import type { Reply } from './send.js'
import type { TokenCounter } from './tokens.js'

/** What an endpoint gets to build its answer. */
export interface EndpointContext {
  readonly body: JsonRecord
  readonly script: ResolvedScript
  readonly prompt: Prompt
  readonly tokens: TokenCounter
  readonly ids: IdSource
  readonly requestId: string
  /** Models the fake lists (and, when configured, the only ones it accepts). */
  readonly models: readonly string[]
}

/** One route of the fake: its wire format, what its rules look at, and how it answers. */
export interface Endpoint {
  readonly provider: Provider
  readonly prompt: (body: JsonRecord) => Prompt
  readonly respond: (ctx: EndpointContext) => Reply
}

/** The prompt of a request that has none (model listings). */
export const EMPTY_PROMPT: Prompt = {
  lastUser: '',
  all: '',
  afterToolResult: false,
  messageCount: 0,
}

/** Prompt tokens as chat models bill them: the text plus a few tokens of framing per message. */
export function promptTokens(prompt: Prompt, tokens: TokenCounter): number {
  return tokens(prompt.all) + 3 * prompt.messageCount + 3
}

/** The model named in the response: scripted, else the requested one. */
export function replyModel(ctx: EndpointContext, requested: string): string {
  return ctx.script.model ?? requested
}

/** Unix time in seconds, as OpenAI's `created` fields carry it. */
export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000)
}
