import type { JsonValue, Message, SpanIo, ToolCall } from '@vigil/core'

/*
 * Chat messages arrive in many shapes: OTel GenAI `{role, parts}`, OpenAI `{role, content,
 * tool_calls}`, Anthropic content blocks, the Vercel AI SDK's `tool-call` parts, whole request
 * or response bodies. All become Vigil's provider-neutral Message.
 */

type Obj = Record<string, unknown>
type Part = Message['content'] extends infer C ? (C extends (infer P)[] ? P : never) : never

/** Inline binary content (images, audio) above this size is replaced by a note. */
const MAX_INLINE_BLOB = 64 * 1024

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** Text of a value that may be text or structured (tool arguments, tool results). */
export function textOf(value: unknown): string {
  if (value === undefined || value === null) return ''
  return typeof value === 'string' ? value : JSON.stringify(value)
}

function toolCall(id: unknown, name: unknown, args: unknown): ToolCall {
  const call: ToolCall = { name: str(name) ?? 'unknown', arguments: textOf(args) }
  const callId = str(id)
  if (callId) call.id = callId
  return call
}

interface Collected {
  parts: Part[]
  toolCalls: ToolCall[]
  toolCallId?: string
}

/** One content part or GenAI part into text, tool calls or a kept part. */
function collectPart(raw: unknown, into: Collected): void {
  if (typeof raw === 'string') return void into.parts.push({ type: 'text', text: raw })
  if (!isObj(raw)) return
  const type = str(raw['type']) ?? 'text'
  switch (type) {
    case 'text':
    case 'input_text':
    case 'output_text':
      return void into.parts.push({
        type: 'text',
        text: str(raw['text']) ?? textOf(raw['content']),
      })
    case 'tool_call':
    case 'function_call':
      return void into.toolCalls.push(
        toolCall(raw['id'] ?? raw['call_id'], raw['name'], raw['arguments']),
      )
    case 'tool-call':
      return void into.toolCalls.push(
        toolCall(raw['toolCallId'], raw['toolName'], raw['input'] ?? raw['args']),
      )
    case 'tool_use':
      return void into.toolCalls.push(toolCall(raw['id'], raw['name'], raw['input']))
    case 'tool_call_response':
    case 'tool-result':
    case 'tool_result':
    case 'function_call_output':
      return collectToolResult(raw, into)
    case 'reasoning':
    case 'thinking':
      return void into.parts.push({
        type: 'reasoning',
        text: str(raw['text']) ?? str(raw['thinking']) ?? textOf(raw['content']),
      })
    default:
      into.parts.push(keptPart(type, raw))
  }
}

function collectToolResult(raw: Obj, into: Collected): void {
  const id =
    str(raw['id']) ?? str(raw['toolCallId']) ?? str(raw['tool_use_id']) ?? str(raw['call_id'])
  if (id) into.toolCallId = id
  const result = raw['response'] ?? raw['output'] ?? raw['result'] ?? raw['content']
  into.parts.push({ type: 'text', text: textOf(result) })
}

/** Images, audio, files: kept as parts; large inline data is replaced by its size. */
function keptPart(type: string, raw: Obj): Part {
  const part: Part = { type }
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'type') continue
    if (typeof value === 'string' && value.length > MAX_INLINE_BLOB) {
      part[key] = `[${value.length} characters omitted]`
    } else part[key] = value as JsonValue // parsed from JSON text or OTLP values
  }
  return part
}

/** OpenAI `tool_calls` (`{id, function: {name, arguments}}`) or flat `{id, name, arguments}`. */
function openAiToolCalls(value: unknown): ToolCall[] {
  if (!Array.isArray(value)) return []
  return value.filter(isObj).map((c) => {
    const fn = isObj(c['function']) ? c['function'] : c
    return toolCall(c['id'], fn['name'], fn['arguments'])
  })
}

/** One message in any of the known shapes, or undefined when it is not a message. */
export function toMessage(raw: unknown, defaultRole = 'user'): Message | undefined {
  if (typeof raw === 'string') return { role: defaultRole, content: raw }
  if (!isObj(raw)) return undefined
  const collected: Collected = {
    parts: [],
    toolCalls: openAiToolCalls(raw['tool_calls'] ?? raw['toolCalls']),
  }
  const body = raw['parts'] ?? raw['content']
  if (raw['type'] === 'function_call' || raw['type'] === 'function_call_output') {
    collectPart(raw, collected)
  } else if (Array.isArray(body)) for (const part of body) collectPart(part, collected)
  else if (body !== undefined && body !== null)
    collected.parts.push({ type: 'text', text: textOf(body) })
  const message: Message = {
    role: str(raw['role']) || defaultRole,
    content: contentOf(collected.parts),
  }
  const name = str(raw['name'])
  if (name) message.name = name
  if (collected.toolCalls.length > 0) message.toolCalls = collected.toolCalls
  const toolCallId = collected.toolCallId ?? str(raw['tool_call_id']) ?? str(raw['toolCallId'])
  if (toolCallId) message.toolCallId = toolCallId
  return message
}

/** Text-only content becomes one string; mixed content stays a list of parts. */
function contentOf(parts: Part[]): Message['content'] {
  if (parts.length === 0) return null
  if (parts.every((p) => p.type === 'text')) return parts.map((p) => p.text ?? '').join('\n')
  return parts
}

/** A list of messages, or undefined when `value` is not one. */
export function toMessages(value: unknown, defaultRole = 'user'): Message[] | undefined {
  // message-like: objects, at least one with a role (Responses API items may lack one)
  if (!Array.isArray(value) || !value.every(isObj) || !value.some((m) => 'role' in m)) {
    return undefined
  }
  const messages = value
    .map((m) => toMessage(m, defaultRole))
    .filter((m): m is Message => m !== undefined)
  return messages.length > 0 ? messages : undefined
}

/** A request body or prompt object: `{messages}`, `{system, prompt}`, `{input}` (Responses). */
function fromRequest(obj: Obj): Message[] | undefined {
  const messages = toMessages(obj['messages']) ?? toMessages(obj['input'])
  const system = str(obj['system']) ?? str(obj['instructions'])
  const prompt = str(obj['prompt']) ?? str(obj['input'])
  const list = messages ?? (prompt !== undefined ? [{ role: 'user', content: prompt }] : undefined)
  if (!list) return undefined
  return system ? [{ role: 'system', content: system }, ...list] : list
}

/** A response body: OpenAI `{choices: [{message}]}`, Responses `{output: [...]}`, Anthropic. */
function fromResponse(obj: Obj): Message[] | undefined {
  if (Array.isArray(obj['choices'])) {
    const messages = obj['choices']
      .filter(isObj)
      .map((c) => toMessage(c['message'] ?? c['delta'] ?? { content: c['text'] }, 'assistant'))
      .filter((m): m is Message => m !== undefined)
    return messages.length > 0 ? messages : undefined
  }
  if (Array.isArray(obj['output']) && obj['object'] === 'response')
    return toMessages(obj['output'], 'assistant')
  if (obj['type'] === 'message' && Array.isArray(obj['content']))
    return toMessages([obj], 'assistant')
  return undefined
}

/**
 * Input or output of any shape as a SpanIo: text stays text, anything message-like becomes
 * messages, other structured values become their JSON text.
 */
export function toIo(value: unknown, defaultRole = 'user'): SpanIo | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return toMessages(value, defaultRole) ?? JSON.stringify(value)
  if (!isObj(value)) return JSON.stringify(value)
  if (typeof value['role'] === 'string') {
    const message = toMessage(value, defaultRole)
    return message ? [message] : undefined
  }
  return fromResponse(value) ?? fromRequest(value) ?? JSON.stringify(value)
}
