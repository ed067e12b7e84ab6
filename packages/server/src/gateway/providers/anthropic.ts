import { normalizeUsage, type Message, type ToolCall, type UsageMap } from '@vigil/core'
import type { JsonRecord, Operation, ProviderPlugin, ResponseFacts, SseEvent } from '../provider.js'
import {
  clampText,
  content,
  list,
  messages,
  num,
  paramsOf,
  record,
  role,
  str,
  toolCall,
} from './shape.js'

const CONTENT_KEYS = new Set(['messages', 'system'])

/** Anthropic's `input_tokens` exclude cache reads and writes: the buckets are already disjoint. */
function anthropicUsage(value: unknown): UsageMap | undefined {
  const u = record(value)
  if (u === undefined) return undefined
  const input = num(u['input_tokens'])
  const output = num(u['output_tokens'])
  if (input === undefined && output === undefined) return undefined
  return normalizeUsage({
    input,
    output,
    cacheRead: num(u['cache_read_input_tokens']),
    cacheWrite: num(u['cache_creation_input_tokens']),
  })
}

/** One request message; tool results become `tool` messages, as the neutral model has them. */
function requestMessages(value: unknown): Message[] {
  const m = record(value) ?? {}
  const messageRole = role(m['role'], 'user')
  const blocks = m['content']
  if (!Array.isArray(blocks)) return [{ role: messageRole, content: content(blocks) }]
  const out: Message[] = []
  const parts: unknown[] = []
  const calls: ToolCall[] = []
  for (const block of blocks) {
    const b = record(block) ?? {}
    if (b['type'] === 'tool_use') calls.push(toolCall(b['id'], b['name'], b['input']))
    else if (b['type'] === 'tool_result') {
      const result: Message = { role: 'tool', content: content(b['content']) }
      const id = str(b['tool_use_id'])
      if (id !== undefined) result.toolCallId = id
      out.push(result)
    } else parts.push(block)
  }
  if (parts.length > 0 || calls.length > 0) {
    const message: Message = {
      role: messageRole,
      content: parts.length > 0 ? content(parts) : null,
    }
    if (calls.length > 0) message.toolCalls = calls
    out.push(message)
  }
  return out
}

function requestInput(body: JsonRecord): Message[] {
  const out: Message[] = []
  const system = body['system']
  if (system !== undefined) out.push({ role: 'system', content: content(system) })
  for (const m of list(body['messages'])) out.push(...requestMessages(m))
  return messages(out)
}

function answer(text: string, calls: ToolCall[]): Message[] | undefined {
  if (text === '' && calls.length === 0) return undefined
  const message: Message = { role: 'assistant', content: text === '' ? null : clampText(text) }
  if (calls.length > 0) message.toolCalls = calls
  return [message]
}

function responseFacts(body: JsonRecord): ResponseFacts {
  let text = ''
  const calls: ToolCall[] = []
  for (const block of list(body['content'])) {
    const b = record(block) ?? {}
    if (b['type'] === 'text') text += str(b['text']) ?? ''
    else if (b['type'] === 'tool_use') calls.push(toolCall(b['id'], b['name'], b['input']))
  }
  return {
    model: str(body['model']),
    output: answer(text, calls),
    finishReason: str(body['stop_reason']),
    usage: anthropicUsage(body['usage']),
  }
}

const CONTENT_DELTAS = new Set(['text_delta', 'input_json_delta', 'thinking_delta'])

/** Messages stream: content blocks by index, usage split over message_start and message_delta. */
function parseMessagesStream(events: readonly SseEvent[]): ResponseFacts {
  const facts: ResponseFacts = {}
  const blocks = new Map<number, { type: string; id?: string; name?: string; text: string }>()
  let usage: JsonRecord = {}
  for (const event of events) {
    let data: JsonRecord | undefined
    try {
      data = record(JSON.parse(event.data))
    } catch {
      continue
    }
    if (data === undefined) continue
    const index = num(data['index']) ?? 0
    const message = record(data['message'])
    if (message !== undefined) {
      facts.model ??= str(message['model'])
      usage = { ...usage, ...record(message['usage']) }
    }
    const start = record(data['content_block'])
    if (start !== undefined) {
      const block = { type: str(start['type']) ?? '', text: '' }
      blocks.set(index, { ...block, id: str(start['id']), name: str(start['name']) })
    }
    const delta = record(data['delta'])
    const deltaType = str(delta?.['type'])
    if (delta !== undefined && deltaType !== undefined && CONTENT_DELTAS.has(deltaType)) {
      facts.ttftMs ??= event.atMs
      const block = blocks.get(index)
      if (block !== undefined) block.text += str(delta['text']) ?? str(delta['partial_json']) ?? ''
    }
    if (data['type'] === 'message_delta') {
      facts.finishReason = str(delta?.['stop_reason']) ?? facts.finishReason
      usage = { ...usage, ...record(data['usage']) }
    }
    if (data['type'] === 'error') facts.error ??= str(record(data['error'])?.['message'])
  }
  const ordered = [...blocks.entries()].sort(([a], [b]) => a - b).map(([, b]) => b)
  const text = ordered.filter((b) => b.type === 'text').map((b) => b.text)
  const calls = ordered
    .filter((b) => b.type === 'tool_use')
    .map((b) => toolCall(b.id, b.name, b.text === '' ? '{}' : b.text))
  facts.output = answer(text.join(''), calls)
  facts.usage = anthropicUsage(usage)
  return facts
}

const messagesOperation: Operation = {
  name: 'messages',
  kind: 'generation',
  parseRequest: (body) => ({
    model: str(body['model']),
    params: paramsOf(body, CONTENT_KEYS),
    input: requestInput(body),
  }),
  parseResponse: responseFacts,
  parseStream: parseMessagesStream,
}

/** Anthropic's Messages API; older SDKs send the key as `x-api-key`, 1.x as a Bearer token. */
export const anthropicProvider: ProviderPlugin = {
  name: 'anthropic',
  keyHeaders: ['x-api-key'],
  operationFor: (method, path) =>
    method === 'POST' && path.endsWith('/messages') ? messagesOperation : undefined,
  errorMessage: (body) => str(record(record(body)?.['error'])?.['message']),
}
