import type { Message, ToolCall } from '@vigil/core'
import type { JsonRecord, Operation, ResponseFacts, SseEvent } from '../provider.js'
import { openAiErrorMessage, openAiUsage } from './openai-usage.js'
import {
  clampText,
  content,
  list,
  messages,
  paramsOf,
  record,
  role,
  str,
  toolCall,
} from './shape.js'

const CONTENT_KEYS = new Set(['input', 'instructions'])

function inputItem(value: unknown): Message | undefined {
  const item = record(value)
  if (item === undefined) return undefined
  switch (item['type']) {
    case 'function_call':
      return {
        role: 'assistant',
        content: null,
        toolCalls: [toolCall(item['call_id'], item['name'], item['arguments'])],
      }
    case 'function_call_output': {
      const output = item['output']
      const message: Message = { role: 'tool', content: content(output) }
      const id = str(item['call_id'])
      if (id !== undefined) message.toolCallId = id
      return message
    }
    case undefined:
    case 'message':
      return { role: role(item['role'], 'user'), content: content(item['content']) }
    default:
      return undefined
  }
}

function requestInput(body: JsonRecord): Message[] {
  const out: Message[] = []
  const instructions = str(body['instructions'])
  if (instructions !== undefined) out.push({ role: 'system', content: clampText(instructions) })
  const input = body['input']
  if (typeof input === 'string') out.push({ role: 'user', content: clampText(input) })
  for (const item of list(input)) {
    const message = inputItem(item)
    if (message !== undefined) out.push(message)
  }
  return messages(out)
}

/** The answer as one assistant message: its text parts joined, its function calls. */
function outputMessage(items: readonly unknown[], streamedText?: string): Message | undefined {
  const texts: string[] = []
  const calls: ToolCall[] = []
  for (const value of items) {
    const item = record(value) ?? {}
    if (item['type'] === 'function_call') {
      calls.push(toolCall(item['call_id'], item['name'], item['arguments']))
    } else if (item['type'] === 'message') {
      for (const part of list(item['content'])) {
        const p = record(part) ?? {}
        const text = str(p['text']) ?? str(p['refusal'])
        if (text !== undefined) texts.push(text)
      }
    }
  }
  const text = texts.length > 0 ? texts.join('') : (streamedText ?? '')
  if (text === '' && calls.length === 0) return undefined
  const message: Message = { role: 'assistant', content: text === '' ? null : clampText(text) }
  if (calls.length > 0) message.toolCalls = calls
  return message
}

function responseFacts(response: JsonRecord): ResponseFacts {
  const status = str(response['status'])
  const incomplete = str(record(response['incomplete_details'])?.['reason'])
  const message = outputMessage(list(response['output']))
  return {
    model: str(response['model']),
    output: message === undefined ? undefined : [message],
    finishReason: incomplete ?? status,
    usage: openAiUsage(response['usage']),
    error: status === 'failed' ? str(record(response['error'])?.['message']) : undefined,
  }
}

const FIRST_CONTENT = new Set([
  'response.output_text.delta',
  'response.refusal.delta',
  'response.function_call_arguments.delta',
])
const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed'])

/** Responses stream: typed events; the terminal event carries the whole response. */
function parseResponsesStream(events: readonly SseEvent[]): ResponseFacts {
  let ttftMs: number | undefined
  let model: string | undefined
  let error: string | undefined
  let text = ''
  const done: unknown[] = []
  for (const event of events) {
    let data: JsonRecord | undefined
    try {
      data = record(JSON.parse(event.data))
    } catch {
      continue
    }
    if (data === undefined) continue
    const type = str(data['type']) ?? event.event ?? ''
    const response = record(data['response'])
    if (TERMINAL.has(type) && response !== undefined) {
      const facts = responseFacts(response)
      return { ...facts, ttftMs, error: facts.error ?? error }
    }
    if (FIRST_CONTENT.has(type)) ttftMs ??= event.atMs
    if (type === 'response.output_text.delta') text += str(data['delta']) ?? ''
    if (type === 'response.output_item.done') done.push(data['item'])
    if (type === 'error') error ??= str(data['message']) ?? openAiErrorMessage(data)
    model ??= str(response?.['model'])
  }
  // cut before the terminal event: what had arrived
  const message = outputMessage(done, text)
  return { model, ttftMs, error, output: message === undefined ? undefined : [message] }
}

/** `POST …/responses`: the Responses API, streamed or not. */
export const responses: Operation = {
  name: 'responses',
  kind: 'generation',
  parseRequest: (body) => ({
    model: str(body['model']),
    params: paramsOf(body, CONTENT_KEYS),
    input: requestInput(body),
  }),
  parseResponse: responseFacts,
  parseStream: parseResponsesStream,
}
