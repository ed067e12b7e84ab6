import type { Message, SpanIo } from '@vigil/core'
import type { Operation, ResponseFacts } from '../provider.js'
import { openAiErrorMessage, openAiUsage } from './openai-usage.js'
import { clampText, list, messages, num, paramsOf, record, str } from './shape.js'

/** A prompt or embedding input: text, a batch of texts, or token ids (kept as a count). */
function textInput(value: unknown): SpanIo | undefined {
  if (typeof value === 'string') return clampText(value)
  if (!Array.isArray(value) || value.length === 0) return undefined
  if (value.every((v) => typeof v === 'string')) {
    if (value.length === 1) return clampText(value[0] as string)
    return messages(value.map((text: string) => ({ role: 'user', content: clampText(text) })))
  }
  return `[${value.length} token inputs]`
}

/** One output per choice: a plain string when there is one, else one message each. */
function choicesOutput(texts: string[]): SpanIo | undefined {
  if (texts.length === 0) return undefined
  if (texts.length === 1) return clampText(texts[0] ?? '')
  return messages(texts.map((t): Message => ({ role: 'assistant', content: clampText(t) })))
}

/** `POST …/completions` (the legacy text API), streamed or not. */
export const completions: Operation = {
  name: 'completions',
  kind: 'generation',
  parseRequest: (body) => ({
    model: str(body['model']),
    params: paramsOf(body, new Set(['prompt', 'suffix'])),
    input: textInput(body['prompt']),
  }),
  parseResponse(body) {
    const choices = list(body['choices']).map((c) => record(c) ?? {})
    return {
      model: str(body['model']),
      output: choicesOutput(choices.map((c) => str(c['text']) ?? '')),
      finishReason: str(choices[0]?.['finish_reason']),
      usage: openAiUsage(body['usage']),
    }
  },
  parseStream(events) {
    const facts: ResponseFacts = {}
    const texts: string[] = []
    for (const event of events) {
      if (event.data === '[DONE]') continue
      let chunk
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
        const text = str(c['text']) ?? ''
        texts[index] = (texts[index] ?? '') + text
        if (text.length > 0) facts.ttftMs ??= event.atMs
        if (index === 0) facts.finishReason = str(c['finish_reason']) ?? facts.finishReason
      }
    }
    facts.output = choicesOutput(Array.from(texts, (t) => t ?? ''))
    return facts
  },
}

/** `POST …/embeddings`: the vectors are not stored, only how many and how long. */
export const embeddings: Operation = {
  name: 'embeddings',
  kind: 'embedding',
  parseRequest: (body) => ({
    model: str(body['model']),
    params: paramsOf(body, new Set(['input'])),
    input: textInput(body['input']),
  }),
  parseResponse(body) {
    const data = list(body['data']).map((d) => record(d) ?? {})
    const first = data[0]?.['embedding']
    // the official clients ask for base64 (float32 little-endian) and decode it themselves
    const dimensions = Array.isArray(first)
      ? first.length
      : typeof first === 'string'
        ? Math.floor(Buffer.byteLength(first, 'base64') / 4)
        : undefined
    return {
      model: str(body['model']),
      usage: openAiUsage(body['usage']),
      metadata: {
        embeddings: data.length,
        ...(dimensions === undefined ? {} : { dimensions }),
      },
    }
  },
  parseStream: () => ({}),
}
