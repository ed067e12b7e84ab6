import { LIMITS, type JsonValue, type Message, type ToolCall } from '@vigil/core'
import type { JsonRecord } from '../provider.js'

// Readers for untrusted provider JSON, and clamps that keep a record inside the span schema's
// limits: an over-long field is cut, never allowed to cost the whole record.

/** The value when it is a plain object. */
export function record(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonRecord)
    : undefined
}

/** The value when it is a string. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** The value when it is a finite number. */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

/** The value when it is an array, else an empty one. */
export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : []
}

/** A text field cut to the span limit. */
export function clampText(text: string): string {
  return text.length > LIMITS.textBytes ? text.slice(0, LIMITS.textBytes) : text
}

/** A short field (ids, names) cut to the span limit. */
export function clampShort(text: string): string {
  return text.length > LIMITS.shortText ? text.slice(0, LIMITS.shortText) : text
}

const INLINE_MAX = 4096

/** Large inline data (base64 images, audio) replaced by its size; depth and breadth bounded. */
function slimValue(value: unknown, depth: number): JsonValue {
  if (typeof value === 'string') {
    return value.length > INLINE_MAX ? `[${value.length} characters not stored]` : value
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value
  if (depth >= 8 || typeof value !== 'object') return null
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => slimValue(v, depth + 1))
  const out: Record<string, JsonValue> = {}
  for (const [key, v] of Object.entries(value).slice(0, 256)) {
    if (v !== undefined) out[key.slice(0, 256)] = slimValue(v, depth + 1)
  }
  return out
}

type ContentPart = Exclude<Message['content'], string | null>[number]

/** A message role cut to the span limit. */
export function role(value: unknown, fallback: string): string {
  return (str(value) ?? fallback).slice(0, 64) || fallback
}

/** Message content in any provider's shape as a string, text/other parts, or null. */
export function content(value: unknown): Message['content'] {
  if (typeof value === 'string') return clampText(value)
  if (!Array.isArray(value)) return null
  return value.slice(0, 1000).map((part): ContentPart => {
    const p = record(part)
    if (p === undefined) return { type: 'text', text: clampText(String(part)) }
    const type = (str(p['type']) ?? 'unknown').slice(0, 64)
    const text = str(p['text'])
    if (text !== undefined) return { type, text: clampText(text) }
    return { ...(slimValue(p, 0) as Record<string, JsonValue>), type }
  })
}

/** A tool call; arguments are kept as the raw JSON text the model wrote. */
export function toolCall(id: unknown, name: unknown, args: unknown): ToolCall {
  const text = typeof args === 'string' ? args : args === undefined ? '' : JSON.stringify(args)
  const call: ToolCall = { name: clampShort(str(name) ?? ''), arguments: clampText(text) }
  const callId = str(id)
  if (callId !== undefined) call.id = clampShort(callId)
  return call
}

/** Request fields that are not content (temperature, tools, …), for the span's `params`. */
export function paramsOf(
  body: JsonRecord,
  contentKeys: ReadonlySet<string>,
): Record<string, JsonValue> | undefined {
  const params: Record<string, JsonValue> = {}
  let any = false
  for (const [key, value] of Object.entries(body)) {
    if (key === 'model' || contentKeys.has(key) || value === undefined) continue
    params[key] = slimValue(value, 0)
    any = true
  }
  return any ? params : undefined
}

/** A message list clamped to the span limit on message count. */
export function messages(items: Message[]): Message[] {
  return items.length > 10_000 ? items.slice(-10_000) : items
}
