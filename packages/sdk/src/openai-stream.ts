import type { Message, ToolCall, UsageMap } from '@vigil/core'
import { arr, num, rec, str } from './fields.js'
import { clip } from './io.js'
import { openaiUsage, responsesResponse } from './openai-mapping.js'
import type { StreamAccumulator } from './record-call.js'
import type { RecordedFields } from './span-record.js'

interface ToolCallParts {
  id: string | undefined
  name: string
  args: string
}

interface ChoiceParts {
  role: string
  // pieces are appended with `+=`: V8 links them (a rope) and flattens the result once, when
  // the span is serialized, off the host's path
  text: string
  tools: ToolCallParts[] | undefined
  finishReason: string | undefined
}

/** Choice and tool-call indexes are small integers; anything else is folded into slot 0. */
const MAX_INDEX = 255

function slot(value: unknown): number {
  const index = num(value) ?? 0
  return Number.isInteger(index) && index >= 0 && index <= MAX_INDEX ? index : 0
}

/** Adds one tool-call delta; returns true when it carried arguments or a name. */
function addToolDelta(choice: ChoiceParts, delta: unknown): boolean {
  const d = rec(delta)
  const index = slot(d?.['index'])
  const fn = rec(d?.['function'])
  const tools = (choice.tools ??= [])
  let call = tools[index]
  if (!call) {
    call = { id: undefined, name: '', args: '' }
    tools[index] = call
  }
  call.id ??= str(d?.['id'])
  const name = str(fn?.['name'])
  if (name) call.name += name
  const args = str(fn?.['arguments'])
  if (args) call.args += args
  return Boolean(name || args)
}

function toMessage(choice: ChoiceParts): Message {
  const message: Message = { role: choice.role, content: clip(choice.text) }
  const tools = choice.tools?.filter((c) => c !== undefined)
  if (tools && tools.length > 0) {
    message.toolCalls = tools.map((c): ToolCall => ({
      id: c.id,
      name: c.name,
      arguments: clip(c.args),
    }))
  }
  return message
}

/**
 * chat.completions / completions chunks: text and tool-call deltas per choice. A class, so a
 * stream costs one object rather than a closure per method, and a chunk no allocation unless
 * it opens a choice or a tool call.
 */
class ChatStream implements StreamAccumulator {
  readonly #chat: boolean
  readonly #choices: ChoiceParts[] = []
  #model: string | undefined
  #usage: UsageMap | undefined

  constructor(kind: 'chat' | 'completion') {
    this.#chat = kind === 'chat'
  }

  add(chunk: unknown): boolean {
    const c = rec(chunk)
    if (!c) return false
    this.#model ??= str(c['model'])
    if (c['usage']) this.#usage = openaiUsage(c['usage'])
    const choices = arr(c['choices'])
    if (!choices) return false
    let output = false
    for (const raw of choices) {
      const ch = rec(raw)
      const index = slot(ch?.['index'])
      let choice = this.#choices[index]
      if (!choice) {
        choice = { role: 'assistant', text: '', tools: undefined, finishReason: undefined }
        this.#choices[index] = choice
      }
      const delta = this.#chat ? rec(ch?.['delta']) : ch
      const text = str(delta?.['content']) ?? str(delta?.['text']) ?? str(delta?.['refusal'])
      if (text) {
        choice.text += text
        output = true
      }
      const tools = arr(delta?.['tool_calls'])
      if (tools) for (const tool of tools) output = addToolDelta(choice, tool) || output
      choice.finishReason = str(ch?.['finish_reason']) ?? choice.finishReason
    }
    return output
  }

  finish(): RecordedFields {
    const ordered = this.#choices.filter((c) => c !== undefined)
    return {
      responseModel: this.#model,
      output: this.#chat ? ordered.map(toMessage) : clip(ordered.map((c) => c.text).join('\n')),
      finishReason: ordered[0]?.finishReason,
      usage: this.#usage,
    }
  }
}

/** chat.completions / completions chunks: text and tool-call deltas per choice. */
export function chatStream(kind: 'chat' | 'completion'): StreamAccumulator {
  return new ChatStream(kind)
}

const FINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed'])

/** responses.create events: text deltas for timing, the final Response for everything else. */
export function responsesStream(): StreamAccumulator {
  const text: string[] = []
  let final: RecordedFields | undefined
  return {
    add(event) {
      const e = rec(event)
      const type = str(e?.['type'])
      if (
        type === 'response.output_text.delta' ||
        type === 'response.function_call_arguments.delta'
      ) {
        const delta = str(e?.['delta'])
        if (type === 'response.output_text.delta' && delta) text.push(delta)
        return Boolean(delta)
      }
      if (type !== undefined && FINAL_EVENTS.has(type)) final = responsesResponse(e?.['response'])
      return false
    },
    finish() {
      return final ?? { output: [{ role: 'assistant', content: clip(text.join('')) }] }
    },
  }
}
