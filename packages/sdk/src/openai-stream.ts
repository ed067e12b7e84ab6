import type { Message, ToolCall, UsageMap } from '@vigil/core'
import { arr, num, rec, str } from './fields.js'
import { clip } from './io.js'
import { openaiUsage, responsesResponse } from './openai-mapping.js'
import type { StreamAccumulator } from './record-call.js'
import type { RecordedFields } from './span-record.js'

interface ToolCallParts {
  id: string | undefined
  name: string
  args: string[]
}

interface ChoiceParts {
  role: string
  text: string[]
  tools: Map<number, ToolCallParts>
  finishReason: string | undefined
}

function choiceOf(choices: Map<number, ChoiceParts>, index: number): ChoiceParts {
  let choice = choices.get(index)
  if (!choice) {
    choice = { role: 'assistant', text: [], tools: new Map(), finishReason: undefined }
    choices.set(index, choice)
  }
  return choice
}

/** Adds one tool-call delta; returns true when it carried arguments or a name. */
function addToolDelta(choice: ChoiceParts, delta: unknown): boolean {
  const d = rec(delta)
  const index = num(d?.['index']) ?? 0
  const fn = rec(d?.['function'])
  let call = choice.tools.get(index)
  if (!call) {
    call = { id: undefined, name: '', args: [] }
    choice.tools.set(index, call)
  }
  call.id ??= str(d?.['id'])
  const name = str(fn?.['name'])
  if (name) call.name += name
  const args = str(fn?.['arguments'])
  if (args) call.args.push(args)
  return Boolean(name || args)
}

function toMessage(choice: ChoiceParts): Message {
  const message: Message = { role: choice.role, content: clip(choice.text.join('')) }
  if (choice.tools.size > 0) {
    message.toolCalls = [...choice.tools.values()].map((c): ToolCall => ({
      id: c.id,
      name: c.name,
      arguments: clip(c.args.join('')),
    }))
  }
  return message
}

/** chat.completions / completions chunks: text and tool-call deltas per choice. */
export function chatStream(kind: 'chat' | 'completion'): StreamAccumulator {
  const choices = new Map<number, ChoiceParts>()
  let model: string | undefined
  let usage: UsageMap | undefined
  return {
    add(chunk) {
      const c = rec(chunk)
      model ??= str(c?.['model'])
      if (c?.['usage']) usage = openaiUsage(c['usage'])
      let output = false
      for (const raw of arr(c?.['choices']) ?? []) {
        const ch = rec(raw)
        const choice = choiceOf(choices, num(ch?.['index']) ?? 0)
        const delta = kind === 'chat' ? rec(ch?.['delta']) : ch
        const text = str(delta?.['content']) ?? str(delta?.['text']) ?? str(delta?.['refusal'])
        if (text) {
          choice.text.push(text)
          output = true
        }
        for (const tool of arr(delta?.['tool_calls']) ?? [])
          output = addToolDelta(choice, tool) || output
        choice.finishReason = str(ch?.['finish_reason']) ?? choice.finishReason
      }
      return output
    },
    finish() {
      const ordered = [...choices.entries()].sort(([a], [b]) => a - b).map(([, c]) => c)
      return {
        responseModel: model,
        output:
          kind === 'chat'
            ? ordered.map(toMessage)
            : clip(ordered.map((c) => c.text.join('')).join('\n')),
        finishReason: ordered[0]?.finishReason,
        usage,
      }
    },
  }
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
