import { LIMITS, type JsonValue, type Message, type SpanIo } from '@vigil/core'
import type { AttrValue } from './types.js'

/*
 * Telemetry is not written with Vigil's limits in mind. A span that exceeds one is clipped to
 * fit (and says so) rather than rejected: losing the tail of a huge attribute beats losing the
 * LLM call.
 */

/** Keys kept per metadata object; the wire limit is LIMITS.jsonKeys. */
export const MAX_METADATA_KEYS = 256
const MAX_DEPTH = LIMITS.jsonDepth - 4

/** Text clipped to `max` characters, with a marker when clipped. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text
  const marker = ` …[${text.length - max} characters clipped]`
  return text.slice(0, Math.max(0, max - marker.length)) + marker
}

/** A short field (ids, names, models): clipped to the wire's short-text limit. */
export function short(text: string | undefined): string | undefined {
  return text === undefined ? undefined : clip(text, LIMITS.shortText)
}

function fitMessage(message: Message): Message {
  const fitted: Message = { ...message, role: clip(message.role, 64) }
  if (typeof message.content === 'string') fitted.content = clip(message.content, LIMITS.textBytes)
  else if (Array.isArray(message.content)) {
    fitted.content = message.content.slice(0, 1000).map((part) => {
      const p = fitJson(part, 1) as typeof part
      return part.text === undefined ? p : { ...p, text: clip(part.text, LIMITS.textBytes) }
    })
  }
  if (message.name !== undefined) fitted.name = clip(message.name, LIMITS.shortText)
  if (message.toolCallId !== undefined)
    fitted.toolCallId = clip(message.toolCallId, LIMITS.shortText)
  if (message.toolCalls) {
    fitted.toolCalls = message.toolCalls.slice(0, 256).map((c) => ({
      ...c,
      name: clip(c.name, LIMITS.shortText),
      arguments: clip(c.arguments, LIMITS.textBytes),
      ...(c.id === undefined ? {} : { id: clip(c.id, LIMITS.shortText) }),
    }))
  }
  return fitted
}

/** Input or output within the wire limits. */
export function fitIo(io: SpanIo | undefined): SpanIo | undefined {
  if (io === undefined) return undefined
  if (typeof io === 'string') return clip(io, LIMITS.textBytes)
  return io.slice(0, 10_000).map(fitMessage)
}

/** Free-form JSON within the depth, key-count and string limits. */
export function fitJson(value: AttrValue | JsonValue | undefined, depth = 0): JsonValue {
  if (value === undefined || value === null) return null
  if (typeof value === 'string') return clip(value, LIMITS.textBytes)
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'boolean') return value
  if (depth >= MAX_DEPTH) return clip(JSON.stringify(value), 10_000)
  if (Array.isArray(value)) return value.map((item) => fitJson(item, depth + 1))
  const out: Record<string, JsonValue> = {}
  const entries = Object.entries(value)
  for (const [key, item] of entries.slice(0, MAX_METADATA_KEYS)) {
    out[clip(key, LIMITS.shortText)] = fitJson(item, depth + 1)
  }
  if (entries.length > MAX_METADATA_KEYS)
    out['vigil.dropped_keys'] = entries.length - MAX_METADATA_KEYS
  return out
}
