/** A forced error: the status, an optional body (else the provider's usual JSON), and when it stops. */
export interface ScriptedError {
  readonly status: number
  /** A string is sent verbatim; anything else as JSON. Omitted: the provider's real error shape. */
  readonly body?: unknown
  /** Sent as `retry-after`; a 429 without it gets 1. */
  readonly retryAfterSeconds?: number
  /**
   * Answer with this error for the first `times` requests that reach it, then behave normally
   * (counted per error object: start scripts and rules, not headers, which are new every request).
   */
  readonly times?: number
}

/** The tool call to make when the request offers tools (`false`: always answer with text). */
export interface ScriptedToolCall {
  /** Tool to call; default the forced one, else the first offered. */
  readonly name?: string
  /** Arguments; default judge arguments or a sample built from the tool's parameter schema. */
  readonly arguments?: Record<string, unknown>
}

/** Behaviour of the fake provider; every field is optional and layered (options < rule < headers). */
export interface FakeLlmScript {
  /** Delay before the response headers (time to first byte). */
  readonly latencyMs?: number
  /** Streams: delay between the preamble events and the first content delta. */
  readonly ttftMs?: number
  /** Streams: delay between content deltas. */
  readonly chunkDelayMs?: number
  /** Number of content deltas a reply is cut into; default about one per word. */
  readonly chunks?: number
  /** Reply text. */
  readonly reply?: string
  /** First rule whose `match` finds the last user message wins; its fields override the script. */
  readonly rules?: readonly ReplyRule[]
  /** Model name in the response (e.g. `gpt-4o-mini-2024-07-18`); default the requested one. */
  readonly model?: string
  /** `false` omits usage from every response, to exercise token estimation. */
  readonly usage?: boolean
  /** OpenAI `cached_tokens` / Anthropic `cache_read_input_tokens`. */
  readonly cachedTokens?: number
  /** Anthropic `cache_creation_input_tokens`. */
  readonly cacheWriteTokens?: number
  /** OpenAI `reasoning_tokens` (added to the completion tokens, as OpenAI counts them). */
  readonly reasoningTokens?: number
  readonly error?: ScriptedError
  /** Never answer (for timeout tests); the socket stays open until the client or `close()` ends it. */
  readonly hang?: boolean
  /** Destroy the connection after this many content deltas (non-streaming: halfway through the body). */
  readonly dropAfterChunks?: number
  readonly toolCall?: ScriptedToolCall | false
  /** Judge verdicts: first rule whose `match` finds the whole prompt gives `choice` (and `reasons`). */
  readonly verdicts?: readonly VerdictRule[]
  /** Make tool-call arguments (and JSON-mode content) truncated, unparsable JSON. */
  readonly malformedToolArguments?: boolean
}

/** A reply rule; a string `match` is a regular expression source (case-insensitive). */
export type ReplyRule = { readonly match: RegExp | string } & Omit<
  FakeLlmScript,
  'rules' | 'verdicts'
>

/** A judge verdict rule; a string `match` is a regular expression source (case-insensitive). */
export interface VerdictRule {
  readonly match: RegExp | string
  readonly choice: string
  readonly reasons?: string
}

/** The script for one request, defaults filled in. */
export interface ResolvedScript {
  readonly latencyMs: number
  readonly ttftMs: number
  readonly chunkDelayMs: number
  readonly chunks: number | undefined
  readonly reply: string
  readonly model: string | undefined
  readonly usage: boolean
  readonly cachedTokens: number
  readonly cacheWriteTokens: number
  readonly reasoningTokens: number
  readonly error: ScriptedError | undefined
  readonly hang: boolean
  readonly dropAfterChunks: number | undefined
  readonly toolCall: ScriptedToolCall | false | undefined
  readonly verdicts: readonly VerdictRule[]
  readonly malformedToolArguments: boolean
}

/** The text rules look at. */
export interface Prompt {
  /** Text of the last user message (reply rules match here). */
  readonly lastUser: string
  /** All prompt text, system included (verdict rules match here). */
  readonly all: string
  /** The conversation ends with a tool result, so a model would answer in text. */
  readonly afterToolResult: boolean
  readonly messageCount: number
}

/** The reply used when nothing else is scripted. */
export const DEFAULT_REPLY = 'This is a scripted reply from the fake LLM provider.'

const compiled = new WeakMap<object, RegExp>()

/** Tests `match` against `text`, compiling string sources once per rule object. */
export function ruleMatches(rule: { readonly match: RegExp | string }, text: string): boolean {
  let re = compiled.get(rule)
  if (re === undefined) {
    re = typeof rule.match === 'string' ? new RegExp(rule.match, 'i') : rule.match
    compiled.set(rule, re)
  }
  // a global or sticky RegExp keeps lastIndex between calls; every request starts fresh
  re.lastIndex = 0
  return re.test(text)
}

/** Layers the start script, the first matching rule and the request's header overrides. */
export function resolveScript(
  base: FakeLlmScript,
  overrides: FakeLlmScript | undefined,
  prompt: Prompt,
): ResolvedScript {
  const rules = overrides?.rules ?? base.rules ?? []
  const rule = rules.find((r) => ruleMatches(r, prompt.lastUser))
  const s: FakeLlmScript = { ...base, ...rule, ...overrides }
  return {
    latencyMs: nonNegative(s.latencyMs),
    ttftMs: nonNegative(s.ttftMs),
    chunkDelayMs: nonNegative(s.chunkDelayMs),
    chunks: s.chunks !== undefined && s.chunks >= 1 ? Math.floor(s.chunks) : undefined,
    reply: s.reply ?? DEFAULT_REPLY,
    model: s.model,
    usage: s.usage ?? true,
    cachedTokens: nonNegative(s.cachedTokens),
    cacheWriteTokens: nonNegative(s.cacheWriteTokens),
    reasoningTokens: nonNegative(s.reasoningTokens),
    error: s.error,
    hang: s.hang ?? false,
    dropAfterChunks: s.dropAfterChunks === undefined ? undefined : nonNegative(s.dropAfterChunks),
    toolCall: s.toolCall,
    verdicts: [...(overrides?.verdicts ?? []), ...(base.verdicts ?? [])],
    malformedToolArguments: s.malformedToolArguments ?? false,
  }
}

function nonNegative(n: number | undefined): number {
  return n === undefined || !Number.isFinite(n) || n < 0 ? 0 : Math.floor(n)
}
