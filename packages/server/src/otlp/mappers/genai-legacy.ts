import type { Message } from '@vigil/core'
import { AttributeReader, parseMaybeJson } from '../attributes.js'
import type { SpanDraft } from '../draft.js'
import type { MapperContext, OtlpMapper } from '../mapper.js'
import type { OtlpSpan } from '../types.js'
import { toIo, toMessage, toMessages } from '../messages.js'
import type { AttrValue, OtlpEvent } from '../types.js'
import { readGenAiUsage } from './genai-usage.js'

const MESSAGE_EVENTS: Record<string, string> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
}

/** OpenLLMetry writes multi-part content as a JSON string of parts; unpack that one case. */
function unpackContent(items: AttrValue[]): AttrValue[] {
  return items.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return item
    const content = parseMaybeJson(item['content'])
    const isParts =
      Array.isArray(content) &&
      content.every((p) => typeof p === 'object' && p !== null && 'type' in p)
    return isParts ? { ...item, content } : item
  })
}

/** A deprecated message event (`gen_ai.user.message`, …) as a message. */
function eventMessage(event: OtlpEvent, role: string): Message | undefined {
  const attrs = new AttributeReader(event.attributes)
  const content = attrs.json('content') ?? attrs.json('gen_ai.event.content')
  return toMessage(
    {
      role: attrs.string('role') ?? role,
      content: content ?? null,
      tool_calls: attrs.json('tool_calls') ?? null,
      tool_call_id: attrs.string('id') ?? null,
    },
    role,
  )
}

/** `gen_ai.choice`: the output message, with its finish reason. */
function choiceMessage(event: OtlpEvent, draft: SpanDraft): Message | undefined {
  const attrs = new AttributeReader(event.attributes)
  draft.set('finishReason', attrs.string('finish_reason'))
  return toMessage(
    attrs.json('message') ?? { role: 'assistant', content: attrs.json('content') ?? null },
    'assistant',
  )
}

function readEvents({ span, draft }: MapperContext): void {
  const input: Message[] = []
  const output: Message[] = []
  span.events.forEach((event, index) => {
    const role = MESSAGE_EVENTS[event.name]
    let message: Message | undefined
    if (role !== undefined) message = eventMessage(event, role)
    else if (event.name === 'gen_ai.choice') message = choiceMessage(event, draft)
    else if (event.name === 'gen_ai.content.prompt' || event.name === 'gen_ai.content.completion') {
      const key = event.name === 'gen_ai.content.prompt' ? 'gen_ai.prompt' : 'gen_ai.completion'
      draft.set(
        key === 'gen_ai.prompt' ? 'input' : 'output',
        toIo(parseMaybeJson(event.attributes[key])),
      )
      draft.consumedEvents.add(index)
      return
    } else return
    draft.consumedEvents.add(index)
    if (message) (role === undefined ? output : input).push(message)
  })
  if (input.length > 0) draft.set('input', input)
  if (output.length > 0) draft.set('output', output)
}

const OLDER_KEYS = /^gen_ai\.(prompt|completion|system$|usage\.(prompt|completion)_tokens)/
const OLDER_EVENTS = new Set([
  ...Object.keys(MESSAGE_EVENTS),
  'gen_ai.choice',
  'gen_ai.content.prompt',
  'gen_ai.content.completion',
])

function hasOlderForms(span: OtlpSpan): boolean {
  if (span.events.some((e) => OLDER_EVENTS.has(e.name))) return true
  for (const key in span.attributes) if (OLDER_KEYS.test(key)) return true
  return false
}

/**
 * Older OTel GenAI forms still emitted in the wild: flattened `gen_ai.prompt.N.*` /
 * `gen_ai.completion.N.*`, the removed `gen_ai.prompt`/`gen_ai.completion`, the deprecated
 * message events, `gen_ai.system`, and `prompt_tokens`-style usage names.
 */
export const genAiLegacyMapper: OtlpMapper = {
  name: 'otel-genai-legacy',
  matches: hasOlderForms,
  map(ctx) {
    const { attrs, draft } = ctx
    draft.set('provider', attrs.string('gen_ai.system'))
    const prompts = toMessages(unpackContent(attrs.unflatten('gen_ai.prompt')))
    const completions = toMessages(unpackContent(attrs.unflatten('gen_ai.completion')), 'assistant')
    draft.set('input', prompts)
    draft.set('output', completions)
    const first = attrs.attributes['gen_ai.completion.0.finish_reason']
    if (typeof first === 'string') draft.set('finishReason', first)
    draft.set('input', toIo(attrs.json('gen_ai.prompt')))
    draft.set('output', toIo(attrs.json('gen_ai.completion'), 'assistant'))
    draft.set('usage', readGenAiUsage(attrs))
    readEvents(ctx)
    if (prompts || completions || draft.has('usage')) draft.set('kind', 'generation')
  },
}
