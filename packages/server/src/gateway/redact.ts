import type { JsonValue, RedactionSetting, SpanInput } from '@vigil/core'
import { PII_TYPES, redactPii, type PiiType } from '../evaluators/index.js'

/** PII types a project may ask to redact. */
export const REDACTION_TYPES: readonly string[] = PII_TYPES

/** What is redacted when a project turns redaction on without naming types. */
export const DEFAULT_REDACTION_TYPES: readonly PiiType[] = ['email', 'phone', 'credit_card']

type Redact = (text: string) => string

function redactJson(value: JsonValue, redact: Redact): JsonValue {
  if (typeof value === 'string') return redact(value)
  if (Array.isArray(value)) return value.map((v) => redactJson(v, redact))
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, JsonValue> = {}
  for (const [key, v] of Object.entries(value)) out[key] = redactJson(v, redact)
  return out
}

type Io = SpanInput['input']
type MessageIn = Exclude<NonNullable<Io>, string>[number]

function redactMessage(message: MessageIn, redact: Redact): MessageIn {
  const { content } = message
  const out: MessageIn = { ...message }
  if (typeof content === 'string') out.content = redact(content)
  else if (Array.isArray(content)) {
    out.content = content.map((part) =>
      part.text === undefined ? part : { ...part, text: redact(part.text) },
    )
  }
  if (message.toolCalls) {
    out.toolCalls = message.toolCalls.map((c) => ({ ...c, arguments: redact(c.arguments ?? '') }))
  }
  return out
}

function redactIo(io: Io, redact: Redact): Io {
  if (io === null || io === undefined) return io
  if (typeof io === 'string') return redact(io)
  return io.map((m) => redactMessage(m, redact))
}

/**
 * Replaces personal data in what a span stores (prompt, answer, tool arguments, parameters,
 * error text) with `[EMAIL]`-style placeholders, when the project turned redaction on.
 * Attribution ids are left alone: the app chose them as identifiers.
 */
export function redactSpan(span: SpanInput, setting: RedactionSetting | undefined): SpanInput {
  if (setting?.enabled !== true) return span
  const types = (setting.types ?? DEFAULT_REDACTION_TYPES) as readonly PiiType[]
  const redact: Redact = (text) => (text.length === 0 ? text : redactPii(text, types))
  return {
    ...span,
    input: redactIo(span.input, redact),
    output: redactIo(span.output, redact),
    params: span.params
      ? (redactJson(span.params as JsonValue, redact) as SpanInput['params'])
      : span.params,
    statusMessage: span.statusMessage ? redact(span.statusMessage) : span.statusMessage,
  }
}
