import type { Message, ToolCall } from '@vigil/core'
import type { JsonRecord, Operation, ResponseFacts, SseEvent } from '../provider.js'
import { openAiErrorMessage, openAiUsage } from './openai-usage.js'
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

const CONTENT_KEYS = new Set(['messages'])

function requestMessage(value: unknown): Message {
  const m = record(value) ?? {}
  const message: Message = { role: role(m['role'], 'user'), content: content(m['content']) }
  const name = str(m['name'])
  if (name !== undefined) message.name = name
  const calls = list(m['tool_calls']).map((c) => {
    const call = record(c) ?? {}
    const fn = record(call['function']) ?? {}
    return toolCall(call['id'], fn['name'], fn['arguments'])
  })
  if (calls.length > 0) message.toolCalls = calls
  const toolCallId = str(m['tool_call_id'])
  if (toolCallId !== undefined) message.toolCallId = toolCallId
  return message
}

function choiceMessage(choice: JsonRecord): Message {
  const m = record(choice['message']) ?? {}
  const message = requestMessage(m)
  message.role = role(m['role'], 'assistant')
  // a refusal is the answer the user saw
  if (message.content === null && typeof m['refusal'] === 'string') {
    message.content = clampText(m['refusal'])
  }
  return message
}

/** Assembles streamed choices: text and tool-call argument fragments by index. */
class ChoiceAssembler {
  text = ''
  refusal = ''
  finishReason: string | undefined
  readonly calls = new Map<number, { id?: string; name: string; args: string }>()

  add(delta: JsonRecord): boolean {
    let content = false
    const text = str(delta['content'])
    if (text) {
      this.text += text
      content = true
    }
    // OpenAI-compatible servers stream reasoning here: a first token, though not the answer
    if (str(delta['reasoning_content']) || str(delta['reasoning'])) content = true
    const refusal = str(delta['refusal'])
    if (refusal) {
      this.refusal += refusal
      content = true
    }
    for (const item of list(delta['tool_calls'])) {
      const tc = record(item) ?? {}
      const index = num(tc['index']) ?? this.calls.size
      const fn = record(tc['function']) ?? {}
      const call = this.calls.get(index) ?? { name: '', args: '' }
      const id = str(tc['id'])
      if (id !== undefined) call.id = id
      call.name += str(fn['name']) ?? ''
      call.args += str(fn['arguments']) ?? ''
      this.calls.set(index, call)
      content = true
    }
    return content
  }

  message(): Message {
    const text = this.text || this.refusal
    const message: Message = { role: 'assistant', content: text ? clampText(text) : null }
    const calls: ToolCall[] = [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, c]) => toolCall(c.id, c.name, c.args))
    if (calls.length > 0) message.toolCalls = calls
    return message
  }
}

/** Chat Completions stream: `data:` chunks with per-choice deltas, then `[DONE]`. */
function parseChatStream(events: readonly SseEvent[]): ResponseFacts {
  const facts: ResponseFacts = {}
  const choices = new Map<number, ChoiceAssembler>()
  for (const event of events) {
    if (event.data === '[DONE]') continue
    let chunk: JsonRecord | undefined
    try {
      chunk = record(JSON.parse(event.data))
    } catch {
      continue
    }
    if (chunk === undefined) continue
    facts.model ??= str(chunk['model'])
    facts.error ??= openAiErrorMessage(chunk)
    facts.usage = openAiUsage(chunk['usage']) ?? facts.usage
    for (const item of list(chunk['choices'])) {
      const c = record(item) ?? {}
      const index = num(c['index']) ?? 0
      const choice = choices.get(index) ?? new ChoiceAssembler()
      choices.set(index, choice)
      if (choice.add(record(c['delta']) ?? {})) facts.ttftMs ??= event.atMs
      choice.finishReason = str(c['finish_reason']) ?? choice.finishReason
    }
  }
  const ordered = [...choices.entries()].sort(([a], [b]) => a - b).map(([, c]) => c)
  if (ordered.length > 0) facts.output = messages(ordered.map((c) => c.message()))
  facts.finishReason = ordered[0]?.finishReason
  return facts
}

/** `POST …/chat/completions`: tools, JSON mode and structured outputs, `n` choices. */
export const chatCompletions: Operation = {
  name: 'chat.completions',
  kind: 'generation',
  parseRequest: (body) => ({
    model: str(body['model']),
    params: paramsOf(body, CONTENT_KEYS),
    input: messages(list(body['messages']).map(requestMessage)),
  }),
  parseResponse(body) {
    const choices = list(body['choices'])
      .map((c) => record(c) ?? {})
      .sort((a, b) => (num(a['index']) ?? 0) - (num(b['index']) ?? 0))
    return {
      model: str(body['model']),
      output: messages(choices.map(choiceMessage)),
      finishReason: str(choices[0]?.['finish_reason']),
      usage: openAiUsage(body['usage']),
    }
  },
  parseStream: parseChatStream,
}
