import { LIMITS, type Message, type SpanIo, type ToolCall } from '@vigil/core'
import { arr, rec, str } from './fields.js'

/** Cuts text the server would reject as too long, marking the cut. */
export function clip(text: string, max: number = LIMITS.textBytes): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** JSON.stringify that survives what hosts put in metadata: cycles, BigInt, throwing toJSON. */
export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null'
  } catch {
    const seen = new WeakSet<object>()
    try {
      return (
        JSON.stringify(value, (_key, v: unknown) => {
          if (typeof v === 'bigint') return v.toString()
          if (typeof v === 'object' && v !== null) {
            if (seen.has(v)) return '[Circular]'
            seen.add(v)
          }
          return v
        }) ?? 'null'
      )
    } catch {
      return '"[unserializable]"'
    }
  }
}

/** One part of a multi-part message. */
export type ContentPart = Extract<Message['content'], unknown[]>[number]

/** A part with its type and (clipped) text only. */
export function contentPart(type: string, text: string | undefined): ContentPart {
  const part: ContentPart = { type }
  if (text !== undefined) part.text = clip(text)
  return part
}

/** Message parts keep their type and text; images, audio and files are not copied. */
function toParts(content: readonly unknown[]): ContentPart[] {
  return content.map((part) => {
    const p = rec(part)
    return contentPart(str(p?.['type']) ?? 'unknown', str(p?.['text']))
  })
}

function toToolCalls(value: unknown): ToolCall[] | undefined {
  const list = arr(value)
  if (!list) return undefined
  return list.map((item) => {
    const call = rec(item)
    const fn = rec(call?.['function'])
    const args = fn?.['arguments'] ?? call?.['arguments']
    return {
      id: str(call?.['id']),
      name: str(fn?.['name']) ?? str(call?.['name']) ?? '',
      arguments: clip(typeof args === 'string' ? args : args === undefined ? '' : safeJson(args)),
    }
  })
}

/** One chat message in OpenAI's shape (or already ours) → the wire shape. */
export function toMessage(value: unknown): Message {
  const m = rec(value) ?? {}
  const content = m['content']
  const message: Message = {
    role: str(m['role']) ?? 'user',
    content:
      typeof content === 'string'
        ? clip(content)
        : Array.isArray(content)
          ? toParts(content)
          : null,
  }
  const name = str(m['name'])
  if (name !== undefined) message.name = name
  const toolCalls = toToolCalls(m['tool_calls'] ?? m['toolCalls'])
  if (toolCalls && toolCalls.length > 0) message.toolCalls = toolCalls
  const toolCallId = str(m['tool_call_id']) ?? str(m['toolCallId'])
  if (toolCallId !== undefined) message.toolCallId = toolCallId
  return message
}

function isMessageList(value: unknown): value is readonly unknown[] {
  return Array.isArray(value) && value.every((m) => typeof rec(m)?.['role'] === 'string')
}

/** Whatever the host calls input or output → text or messages; other values as JSON text. */
export function toIo(value: unknown): SpanIo | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') return clip(value)
  if (isMessageList(value)) return value.map(toMessage)
  return clip(safeJson(value))
}
