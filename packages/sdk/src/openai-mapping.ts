import { normalizeUsage, type Message, type UsageMap } from '@vigil/core'
import { arr, num, rec, str } from './fields.js'
import { clip, safeJson, toMessage } from './io.js'
import type { RecordedFields } from './span-record.js'

/** Request fields recorded elsewhere (model, input) rather than as parameters. */
const NOT_PARAMS = new Set(['model', 'messages', 'input', 'prompt', 'instructions', 'system'])

/** Request fields kept as parameters: scalars only (no messages, no tool schemas). */
export function scalarParams(body: Record<string, unknown>): Record<string, unknown> | undefined {
  const params: Record<string, unknown> = {}
  let any = false
  for (const key in body) {
    const value = body[key]
    if (NOT_PARAMS.has(key)) continue
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      params[key] = typeof value === 'string' ? clip(value, 256) : value
      any = true
    }
  }
  const tools = arr(body['tools'])
  if (tools && tools.length > 0) {
    params['tools'] = tools.map((t) => {
      const tool = rec(t)
      return str(rec(tool?.['function'])?.['name']) ?? str(tool?.['name']) ?? str(tool?.['type'])
    })
    any = true
  }
  return any ? params : undefined
}

/** OpenAI usage (chat, completions, embeddings or responses) → disjoint buckets. */
export function openaiUsage(value: unknown): UsageMap | undefined {
  const u = rec(value)
  if (!u) return undefined
  const inputDetails = rec(u['prompt_tokens_details'] ?? u['input_tokens_details'])
  const outputDetails = rec(u['completion_tokens_details'] ?? u['output_tokens_details'])
  // OpenAI's prompt tokens include the cached ones, its completion tokens the reasoning ones
  return normalizeUsage({
    input: num(u['prompt_tokens']) ?? num(u['input_tokens']),
    output: num(u['completion_tokens']) ?? num(u['output_tokens']),
    cacheRead: num(inputDetails?.['cached_tokens']),
    reasoning: num(outputDetails?.['reasoning_tokens']),
    inputIncludesCache: true,
    outputIncludesReasoning: true,
  })
}

/** A prompt given as text, a list of texts, or tokens → text (token ids are not text). */
export function promptText(value: unknown): string | undefined {
  if (typeof value === 'string') return clip(value)
  const list = arr(value)
  if (!list || !list.every((v) => typeof v === 'string')) return undefined
  return clip(list.join('\n'))
}

/** chat.completions.create request. */
export function chatRequest(body: Record<string, unknown>): RecordedFields {
  return {
    model: str(body['model']),
    params: scalarParams(body),
    input: arr(body['messages'])?.map(toMessage),
  }
}

/** chat.completions.create response (one output message per choice). */
export function chatResponse(value: unknown): RecordedFields {
  const r = rec(value)
  const choices = arr(r?.['choices']) ?? []
  return {
    responseModel: str(r?.['model']),
    output: choices.map((c) => toMessage(rec(c)?.['message'])),
    finishReason: str(rec(choices[0])?.['finish_reason']),
    usage: openaiUsage(r?.['usage']),
  }
}

/** completions.create request. */
export function completionRequest(body: Record<string, unknown>): RecordedFields {
  return {
    model: str(body['model']),
    params: scalarParams(body),
    input: promptText(body['prompt']),
  }
}

/** completions.create response. */
export function completionResponse(value: unknown): RecordedFields {
  const r = rec(value)
  const choices = arr(r?.['choices']) ?? []
  return {
    responseModel: str(r?.['model']),
    output: clip(choices.map((c) => str(rec(c)?.['text']) ?? '').join('\n')),
    finishReason: str(rec(choices[0])?.['finish_reason']),
    usage: openaiUsage(r?.['usage']),
  }
}

/** embeddings.create request. */
export function embeddingRequest(body: Record<string, unknown>): RecordedFields {
  return {
    model: str(body['model']),
    params: scalarParams(body),
    input: promptText(body['input']),
  }
}

/** embeddings.create response: counts and sizes, never the vectors. */
export function embeddingResponse(value: unknown): RecordedFields {
  const r = rec(value)
  const data = arr(r?.['data']) ?? []
  const first = rec(data[0])?.['embedding']
  const dimensions = Array.isArray(first) ? first.length : undefined
  return {
    responseModel: str(r?.['model']),
    usage: openaiUsage(r?.['usage']),
    metadata: { 'embedding.count': data.length, 'embedding.dimensions': dimensions ?? null },
  }
}

function responsesItem(item: unknown): Message | undefined {
  const it = rec(item)
  if (!it) return undefined
  if (typeof it['role'] === 'string') return toMessage(it)
  switch (it['type']) {
    case 'function_call_output':
      return {
        role: 'tool',
        content: clip(typeof it['output'] === 'string' ? it['output'] : safeJson(it['output'])),
        toolCallId: str(it['call_id']),
      }
    case 'function_call':
      return {
        role: 'assistant',
        content: null,
        toolCalls: [
          {
            id: str(it['call_id']),
            name: str(it['name']) ?? '',
            arguments: clip(str(it['arguments']) ?? ''),
          },
        ],
      }
    default:
      return undefined
  }
}

/** responses.create request: instructions become a system message. */
export function responsesRequest(body: Record<string, unknown>): RecordedFields {
  const messages: Message[] = []
  const instructions = str(body['instructions'])
  if (instructions !== undefined) messages.push({ role: 'system', content: clip(instructions) })
  const input = body['input']
  if (typeof input === 'string') messages.push({ role: 'user', content: clip(input) })
  for (const item of arr(input) ?? []) {
    const message = responsesItem(item)
    if (message) messages.push(message)
  }
  return { model: str(body['model']), params: scalarParams(body), input: messages }
}

/** A Response object (from create, or from a stream's final event) → fields. */
export function responsesResponse(value: unknown): RecordedFields {
  const r = rec(value)
  const texts: string[] = []
  const toolCalls: NonNullable<Message['toolCalls']> = []
  for (const item of arr(r?.['output']) ?? []) {
    const it = rec(item)
    if (it?.['type'] === 'message') {
      for (const part of arr(it['content']) ?? []) {
        const text = str(rec(part)?.['text'])
        if (text !== undefined) texts.push(text)
      }
    } else if (it?.['type'] === 'function_call') {
      toolCalls.push({
        id: str(it['call_id']),
        name: str(it['name']) ?? '',
        arguments: clip(str(it['arguments']) ?? ''),
      })
    }
  }
  const output: Message = { role: 'assistant', content: clip(texts.join('')) }
  if (toolCalls.length > 0) output.toolCalls = toolCalls
  const incomplete = str(rec(r?.['incomplete_details'])?.['reason'])
  return {
    responseModel: str(r?.['model']),
    output: [output],
    finishReason: incomplete ?? str(r?.['status']),
    usage: openaiUsage(r?.['usage']),
  }
}
