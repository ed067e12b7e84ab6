import type { IncomingHttpHeaders } from 'node:http'
import type { FakeLlmScript, ScriptedError, ScriptedToolCall } from './script.js'
import { parseScript, type ParsedScript } from './script-parse.js'

/** Request headers that script one request (the gateway forwards them; it strips `x-vigil-*`). */
export const SCRIPT_HEADERS = {
  /** A whole `FakeLlmScript` as JSON (rule `match` as a regex source); other headers win over it. */
  script: 'x-fake-script',
  latencyMs: 'x-fake-latency-ms',
  ttftMs: 'x-fake-ttft-ms',
  chunkDelayMs: 'x-fake-chunk-delay-ms',
  chunks: 'x-fake-chunks',
  reply: 'x-fake-reply',
  model: 'x-fake-model',
  /** `off`, `false`, `0` or `no` omit usage; anything else keeps it. */
  usage: 'x-fake-usage',
  cachedTokens: 'x-fake-cached-tokens',
  cacheWriteTokens: 'x-fake-cache-write-tokens',
  reasoningTokens: 'x-fake-reasoning-tokens',
  errorStatus: 'x-fake-error-status',
  /** Sent verbatim with `x-fake-error-status` (as JSON when it looks like JSON). */
  errorBody: 'x-fake-error-body',
  retryAfter: 'x-fake-retry-after',
  hang: 'x-fake-hang',
  dropAfterChunks: 'x-fake-drop-after-chunks',
  /** `off` answers in text even when tools are offered, `on` calls one, any other value names it. */
  toolCall: 'x-fake-tool-call',
  /** The judge's choice for this request, ahead of every verdict rule. */
  verdict: 'x-fake-verdict',
  verdictReasons: 'x-fake-verdict-reasons',
  malformedToolArguments: 'x-fake-malformed-tool-arguments',
} as const

const NUMERIC = [
  'latencyMs',
  'ttftMs',
  'chunkDelayMs',
  'chunks',
  'cachedTokens',
  'cacheWriteTokens',
  'reasoningTokens',
  'dropAfterChunks',
] as const

/** True when any `x-fake-` header is present, so unscripted requests skip header parsing. */
export function hasScriptHeaders(headers: IncomingHttpHeaders): boolean {
  for (const name in headers) if (name.startsWith('x-fake-')) return true
  return false
}

/**
 * Reads the `x-fake-*` headers into script overrides. `x-fake-script` carries a whole JSON script;
 * the single-value headers are applied on top of it.
 */
export function parseScriptHeaders(headers: IncomingHttpHeaders): ParsedScript {
  const get = (name: string): string | undefined => {
    const v = headers[name]
    return Array.isArray(v) ? v.join(',') : v
  }
  let base: FakeLlmScript = {}
  const json = get(SCRIPT_HEADERS.script)
  if (json !== undefined) {
    let value: unknown
    try {
      value = JSON.parse(json)
    } catch {
      return { ok: false, message: `${SCRIPT_HEADERS.script} is not valid JSON` }
    }
    const parsed = parseScript(value)
    if (!parsed.ok) return { ok: false, message: `${SCRIPT_HEADERS.script}: ${parsed.message}` }
    base = parsed.script
  }
  const out: Mutable<FakeLlmScript> = { ...base }
  for (const key of NUMERIC) {
    const raw = get(SCRIPT_HEADERS[key])
    if (raw === undefined) continue
    const n = Number(raw)
    if (raw.trim() === '' || !Number.isFinite(n)) {
      return { ok: false, message: `${SCRIPT_HEADERS[key]} must be a number` }
    }
    out[key] = n
  }
  const reply = get(SCRIPT_HEADERS.reply)
  if (reply !== undefined) out.reply = reply
  const model = get(SCRIPT_HEADERS.model)
  if (model !== undefined) out.model = model
  const usage = get(SCRIPT_HEADERS.usage)
  if (usage !== undefined) out.usage = flag(usage)
  const hang = get(SCRIPT_HEADERS.hang)
  if (hang !== undefined) out.hang = flag(hang)
  const malformed = get(SCRIPT_HEADERS.malformedToolArguments)
  if (malformed !== undefined) out.malformedToolArguments = flag(malformed)
  const toolCall = get(SCRIPT_HEADERS.toolCall)
  if (toolCall !== undefined) out.toolCall = toolCallOf(toolCall)
  return withErrorAndVerdict(out, get)
}

function withErrorAndVerdict(
  out: Mutable<FakeLlmScript>,
  get: (name: string) => string | undefined,
): ParsedScript {
  const status = get(SCRIPT_HEADERS.errorStatus)
  if (status !== undefined) {
    const n = Number(status)
    if (!Number.isInteger(n) || n < 100 || n > 599) {
      return { ok: false, message: `${SCRIPT_HEADERS.errorStatus} must be an HTTP status` }
    }
    const error: Mutable<ScriptedError> = { status: n }
    const body = get(SCRIPT_HEADERS.errorBody)
    if (body !== undefined) error.body = body
    const retryAfter = Number(get(SCRIPT_HEADERS.retryAfter))
    if (Number.isFinite(retryAfter)) error.retryAfterSeconds = retryAfter
    out.error = error
  }
  const choice = get(SCRIPT_HEADERS.verdict)
  if (choice !== undefined) {
    const reasons = get(SCRIPT_HEADERS.verdictReasons)
    const rule = reasons === undefined ? { match: '', choice } : { match: '', choice, reasons }
    out.verdicts = [rule, ...(out.verdicts ?? [])]
  }
  return { ok: true, script: out }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** `off`-like values refuse tool calls, `on`-like values allow them, anything else names the tool. */
function toolCallOf(value: string): ScriptedToolCall | false {
  const v = value.trim().toLowerCase()
  if (!flag(v)) return false
  return v === '' || v === '1' || v === 'true' || v === 'on' || v === 'yes' ? {} : { name: value }
}

function flag(value: string): boolean {
  const v = value.trim().toLowerCase()
  return v !== '0' && v !== 'false' && v !== 'off' && v !== 'no'
}
