import { normalizeUsage, type Message, type ToolCall, type UsageMap } from '@vigil/core'
import { arr, num, rec, str } from './fields.js'
import { clip, contentPart, safeJson, type ContentPart } from './io.js'
import { scalarParams } from './openai-mapping.js'
import type { StreamAccumulator } from './record-call.js'
import type { RecordedFields } from './span-record.js'

/** Anthropic usage: input tokens exclude the cache buckets, so nothing is subtracted. */
export function anthropicUsage(value: unknown, base?: UsageMap): UsageMap | undefined {
  const u = rec(value)
  if (!u) return base
  return normalizeUsage({
    input: num(u['input_tokens']) ?? base?.['input'],
    output: num(u['output_tokens']) ?? base?.['output'],
    cacheRead: num(u['cache_read_input_tokens']) ?? base?.['cache_read'],
    cacheWrite: num(u['cache_creation_input_tokens']) ?? base?.['cache_write'],
  })
}

function toolUse(block: Record<string, unknown>): ToolCall {
  const input = block['input']
  return {
    id: str(block['id']),
    name: str(block['name']) ?? '',
    arguments: clip(typeof input === 'string' ? input : safeJson(input ?? {})),
  }
}

function blockText(block: Record<string, unknown>): string | undefined {
  const text = str(block['text'])
  if (text !== undefined) return text
  // tool_result content: a string, or text blocks
  const content = block['content']
  if (typeof content === 'string') return content
  const parts = arr(content)?.map((p) => str(rec(p)?.['text']) ?? '')
  return parts?.join('\n')
}

/** One Anthropic message (string content or blocks) → the wire shape. */
export function anthropicMessage(value: unknown): Message {
  const m = rec(value) ?? {}
  const role = str(m['role']) ?? 'user'
  const content = m['content']
  if (typeof content === 'string') return { role, content: clip(content) }
  const parts: ContentPart[] = []
  const toolCalls: ToolCall[] = []
  let toolCallId: string | undefined
  for (const raw of arr(content) ?? []) {
    const block = rec(raw)
    const type = str(block?.['type']) ?? 'unknown'
    if (!block) continue
    if (type === 'tool_use') toolCalls.push(toolUse(block))
    if (type === 'tool_result') toolCallId ??= str(block['tool_use_id'])
    const text = type === 'image' || type === 'document' ? undefined : blockText(block)
    parts.push(contentPart(type, text))
  }
  const message: Message = { role: toolCallId !== undefined ? 'tool' : role, content: parts }
  if (toolCalls.length > 0) message.toolCalls = toolCalls
  if (toolCallId !== undefined) message.toolCallId = toolCallId
  return message
}

/** messages.create request: the system prompt becomes the first message. */
export function messagesRequest(body: Record<string, unknown>): RecordedFields {
  const input: Message[] = []
  const system = body['system']
  if (typeof system === 'string') input.push({ role: 'system', content: clip(system) })
  else if (Array.isArray(system)) input.push(anthropicMessage({ role: 'system', content: system }))
  for (const m of arr(body['messages']) ?? []) input.push(anthropicMessage(m))
  return { model: str(body['model']), params: scalarParams(body), input }
}

/** Output blocks → one assistant message: text joined, tool_use blocks as tool calls. */
function outputMessage(blocks: readonly unknown[]): Message {
  const texts: string[] = []
  const toolCalls: ToolCall[] = []
  for (const raw of blocks) {
    const block = rec(raw)
    if (block?.['type'] === 'text') texts.push(str(block['text']) ?? '')
    else if (block?.['type'] === 'tool_use') toolCalls.push(toolUse(block))
  }
  const message: Message = { role: 'assistant', content: clip(texts.join('')) }
  if (toolCalls.length > 0) message.toolCalls = toolCalls
  return message
}

/** messages.create response. */
export function messagesResponse(value: unknown): RecordedFields {
  const r = rec(value)
  return {
    responseModel: str(r?.['model']),
    output: [outputMessage(arr(r?.['content']) ?? [])],
    finishReason: str(r?.['stop_reason']),
    usage: anthropicUsage(r?.['usage']),
  }
}

interface Block {
  type: string
  id?: unknown
  name?: unknown
  text: string[]
  json: string[]
}

/** messages.create stream events: blocks rebuilt from their deltas, usage from start and end. */
export function messagesStream(): StreamAccumulator {
  const blocks = new Map<number, Block>()
  let model: string | undefined
  let usage: UsageMap | undefined
  let stopReason: string | undefined
  return {
    add(event) {
      const e = rec(event)
      switch (e?.['type']) {
        case 'message_start': {
          const message = rec(e['message'])
          model = str(message?.['model'])
          usage = anthropicUsage(message?.['usage'])
          return false
        }
        case 'content_block_start': {
          const block = rec(e['content_block'])
          const type = str(block?.['type']) ?? 'unknown'
          blocks.set(num(e['index']) ?? 0, {
            type,
            id: block?.['id'],
            name: block?.['name'],
            text: [],
            json: [],
          })
          return false
        }
        case 'content_block_delta':
          return addDelta(blocks.get(num(e['index']) ?? 0), rec(e['delta']))
        case 'message_delta':
          stopReason = str(rec(e['delta'])?.['stop_reason']) ?? stopReason
          usage = anthropicUsage(e['usage'], usage)
          return false
        default:
          return false
      }
    },
    finish() {
      const ordered = [...blocks.entries()].sort(([a], [b]) => a - b)
      const content = ordered.map(([, b]) =>
        b.type === 'tool_use'
          ? { type: b.type, id: b.id, name: b.name, input: b.json.join('') }
          : { type: b.type, text: b.text.join('') },
      )
      return {
        responseModel: model,
        output: [outputMessage(content)],
        finishReason: stopReason,
        usage,
      }
    },
  }
}

/** Adds a text, tool-input or thinking delta; true when it carried output. */
function addDelta(block: Block | undefined, delta: Record<string, unknown> | undefined): boolean {
  if (!block || !delta) return false
  const text = str(delta['text'])
  if (text) block.text.push(text)
  const json = str(delta['partial_json'])
  if (json) block.json.push(json)
  return Boolean(text || json || str(delta['thinking']))
}
