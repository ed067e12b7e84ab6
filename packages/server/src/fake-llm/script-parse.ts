import type {
  FakeLlmScript,
  ReplyRule,
  ScriptedError,
  ScriptedToolCall,
  VerdictRule,
} from './script.js'
import { AppError } from '@vigil/core'
import { isRecord } from './request-body.js'

/** Outcome of reading untrusted script input: the script, or what is wrong with it. */
export type ParsedScript = { ok: true; script: FakeLlmScript } | { ok: false; message: string }

const NUMBER_FIELDS = [
  'latencyMs',
  'ttftMs',
  'chunkDelayMs',
  'chunks',
  'cachedTokens',
  'cacheWriteTokens',
  'reasoningTokens',
  'dropAfterChunks',
] as const
const BOOLEAN_FIELDS = ['usage', 'hang', 'malformedToolArguments'] as const
const STRING_FIELDS = ['reply', 'model'] as const
const KNOWN = new Set<string>([
  ...NUMBER_FIELDS,
  ...BOOLEAN_FIELDS,
  ...STRING_FIELDS,
  'error',
  'toolCall',
  'rules',
  'verdicts',
])

/** Parses a script from untrusted JSON (the `x-fake-script` header); rule `match` is a regex source. */
export function parseScript(value: unknown): ParsedScript {
  try {
    return { ok: true, script: scriptFields(value, 'script', true) }
  } catch (err) {
    if (err instanceof AppError) return { ok: false, message: err.message }
    throw err
  }
}

function scriptFields(value: unknown, at: string, allowRules: boolean): FakeLlmScript {
  const o = record(value, at)
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(o)) {
    if (key === 'match' && at !== 'script') continue
    if (!KNOWN.has(key) || (!allowRules && (key === 'rules' || key === 'verdicts'))) {
      throw invalid(`${at}.${key} is not a script field`)
    }
  }
  for (const k of NUMBER_FIELDS) if (o[k] !== undefined) out[k] = num(o[k], `${at}.${k}`)
  for (const k of BOOLEAN_FIELDS) if (o[k] !== undefined) out[k] = bool(o[k], `${at}.${k}`)
  for (const k of STRING_FIELDS) if (o[k] !== undefined) out[k] = str(o[k], `${at}.${k}`)
  if (o.error !== undefined) out.error = scriptedError(o.error, `${at}.error`)
  if (o.toolCall !== undefined) out.toolCall = toolCall(o.toolCall, `${at}.toolCall`)
  if (o.rules !== undefined) out.rules = list(o.rules, `${at}.rules`).map(replyRule)
  if (o.verdicts !== undefined) out.verdicts = list(o.verdicts, `${at}.verdicts`).map(verdictRule)
  return out
}

function replyRule(value: unknown, i: number): ReplyRule {
  const at = `script.rules[${i}]`
  const match = regexSource(record(value, at).match, `${at}.match`)
  return { ...scriptFields(value, at, false), match }
}

function verdictRule(value: unknown, i: number): VerdictRule {
  const at = `script.verdicts[${i}]`
  const o = record(value, at)
  const match = regexSource(o.match, `${at}.match`)
  const choice = str(o.choice, `${at}.choice`)
  return o.reasons === undefined
    ? { match, choice }
    : { match, choice, reasons: str(o.reasons, `${at}.reasons`) }
}

function scriptedError(value: unknown, at: string): ScriptedError {
  const o = record(value, at)
  const out: { status: number; body?: unknown; retryAfterSeconds?: number; times?: number } = {
    status: num(o.status, `${at}.status`),
  }
  if (out.status < 100 || out.status > 599) throw invalid(`${at}.status is not 1xx-5xx`)
  if (o.body !== undefined) out.body = o.body
  if (o.retryAfterSeconds !== undefined) {
    out.retryAfterSeconds = num(o.retryAfterSeconds, `${at}.retryAfterSeconds`)
  }
  if (o.times !== undefined) out.times = num(o.times, `${at}.times`)
  return out
}

function toolCall(value: unknown, at: string): ScriptedToolCall | false {
  if (value === false) return false
  const o = record(value, at)
  const out: { name?: string; arguments?: Record<string, unknown> } = {}
  if (o.name !== undefined) out.name = str(o.name, `${at}.name`)
  if (o.arguments !== undefined) out.arguments = record(o.arguments, `${at}.arguments`)
  return out
}

function regexSource(value: unknown, at: string): string {
  const source = str(value, at)
  try {
    new RegExp(source, 'i')
  } catch {
    throw invalid(`${at} is not a valid regular expression`)
  }
  return source
}

function record(value: unknown, at: string): Record<string, unknown> {
  if (!isRecord(value)) throw invalid(`${at} must be an object`)
  return value
}

function list(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(`${at} must be an array`)
  return value
}

function num(value: unknown, at: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(`${at} must be a number`)
  }
  return value
}

function bool(value: unknown, at: string): boolean {
  if (typeof value !== 'boolean') throw invalid(`${at} must be a boolean`)
  return value
}

function str(value: unknown, at: string): string {
  if (typeof value !== 'string') throw invalid(`${at} must be a string`)
  return value
}

function invalid(message: string): AppError {
  return new AppError('INVALID_INPUT', message)
}
