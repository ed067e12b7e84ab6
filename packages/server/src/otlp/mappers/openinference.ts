import type { SpanKind } from '@vigil/core'
import type { AttributeReader } from '../attributes.js'
import { toContextDocuments } from '../context-docs.js'
import type { SpanDraft } from '../draft.js'
import type { OtlpMapper } from '../mapper.js'
import { toIo, toMessages } from '../messages.js'
import type { AttrValue } from '../types.js'
import { readAnnotations } from './openinference-annotations.js'
import { costIfAny, usageIfAny } from './usage.js'

const KINDS: Record<string, SpanKind> = {
  LLM: 'generation',
  EMBEDDING: 'embedding',
  RETRIEVER: 'retrieval',
  RERANKER: 'retrieval',
  TOOL: 'tool',
  AGENT: 'agent',
  CHAIN: 'chain',
}

type Obj = Record<string, AttrValue>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** `{message: {role, content, contents: [{message_content}], tool_calls: [{tool_call}]}}` → OpenAI shape. */
function fromOpenInference(item: AttrValue): AttrValue {
  const m = isObj(item) && isObj(item['message']) ? item['message'] : item
  if (!isObj(m)) return m
  const contents = Array.isArray(m['contents'])
    ? m['contents'].map((c) => (isObj(c) && isObj(c['message_content']) ? c['message_content'] : c))
    : undefined
  const calls = Array.isArray(m['tool_calls'])
    ? m['tool_calls'].map((t) => (isObj(t) && isObj(t['tool_call']) ? t['tool_call'] : t))
    : null
  return { ...m, content: contents ?? m['content'] ?? null, tool_calls: calls }
}

/** `input.value` / `output.value`: JSON bodies become messages where they hold them. */
function readValue(attrs: AttributeReader, which: 'input' | 'output'): ReturnType<typeof toIo> {
  const mime = attrs.string(`${which}.mime_type`)
  const value = attrs.take(`${which}.value`)
  if (typeof value !== 'string' || mime !== 'application/json') return toIo(value)
  try {
    return toIo(JSON.parse(value), which === 'output' ? 'assistant' : 'user')
  } catch {
    return value
  }
}

function readMessages(attrs: AttributeReader, draft: SpanDraft): void {
  const input = attrs.unflatten('llm.input_messages').map(fromOpenInference)
  draft.set('input', toMessages(input))
  const output = attrs.unflatten('llm.output_messages').map(fromOpenInference)
  draft.set('output', toMessages(output, 'assistant'))
  const texts = attrs
    .unflatten('embedding.embeddings')
    .map((e) => (isObj(e) && isObj(e['embedding']) ? e['embedding']['text'] : undefined))
    .filter((t): t is string => typeof t === 'string')
  draft.set('input', texts.join('\n'))
  // the whole request and response bodies: messages come from them only when not flattened
  draft.set('input', readValue(attrs, 'input'))
  draft.set('output', readValue(attrs, 'output'))
}

function readUsage(attrs: AttributeReader, draft: SpanDraft): void {
  const p = 'llm.token_count'
  const inputAudio = attrs.number(`${p}.prompt_details.audio`)
  const outputAudio = attrs.number(`${p}.completion_details.audio`)
  const prompt = attrs.number(`${p}.prompt`)
  const completion = attrs.number(`${p}.completion`)
  draft.set(
    'usage',
    usageIfAny({
      // audio is a subset of the prompt/completion counts, like cache and reasoning
      input: prompt === undefined ? undefined : prompt - (inputAudio ?? 0),
      output: completion === undefined ? undefined : completion - (outputAudio ?? 0),
      cacheRead: attrs.number(`${p}.prompt_details.cache_read`),
      cacheWrite: attrs.number(`${p}.prompt_details.cache_write`),
      reasoning: attrs.number(`${p}.completion_details.reasoning`),
      inputIncludesCache: true,
      outputIncludesReasoning: true,
      extras: {
        ...(inputAudio === undefined ? {} : { input_audio: inputAudio }),
        ...(outputAudio === undefined ? {} : { output_audio: outputAudio }),
      },
    }),
  )
  attrs.drop(`${p}.total`)
}

function readCost(attrs: AttributeReader, draft: SpanDraft): void {
  const d = attrs.takePrefix('llm.cost.prompt_details')
  const o = attrs.takePrefix('llm.cost.completion_details')
  const num = (v: AttrValue | undefined) => (typeof v === 'number' ? v : undefined)
  const prompt = attrs.number('llm.cost.prompt')
  const completion = attrs.number('llm.cost.completion')
  const cost = costIfAny({
    total: attrs.number('llm.cost.total'),
    input: num(d['input']) ?? (Object.keys(d).length === 0 ? prompt : undefined),
    output: num(o['output']) ?? (Object.keys(o).length === 0 ? completion : undefined),
    cache_read: num(d['cache_read']),
    cache_write: num(d['cache_write']),
    reasoning: num(o['reasoning']),
  })
  draft.set('cost', cost)
}

/** OpenInference (Arize): span kinds, `llm.*`, flattened messages, token counts, costs, documents. */
export const openInferenceMapper: OtlpMapper = {
  name: 'openinference',
  matches: (span) =>
    span.attributes['openinference.span.kind'] !== undefined ||
    span.scope.name.includes('openinference'),
  map(ctx) {
    const { attrs, draft } = ctx
    const kind = attrs.string('openinference.span.kind')?.toUpperCase()
    draft.set('kind', kind === undefined ? undefined : (KINDS[kind] ?? 'span'))
    const params = attrs.json('llm.invocation_parameters')
    if (isObj(params)) {
      draft.set('params', params)
      if (typeof params['model'] === 'string') draft.set('requestModel', params['model'])
    }
    draft.set('requestModel', attrs.firstString(['llm.request.model_name', 'embedding.model_name']))
    draft.set('responseModel', attrs.firstString(['llm.response.model_name', 'llm.model_name']))
    draft.set('provider', attrs.firstString(['llm.provider', 'llm.system']))
    readMessages(attrs, draft)
    draft.set('finishReason', attrs.string('llm.finish_reason'))
    readUsage(attrs, draft)
    readCost(attrs, draft)
    draft.set('context', toContextDocuments(attrs.unflatten('retrieval.documents')))
    draft.set('context', toContextDocuments(attrs.unflatten('reranker.output_documents')))
    draft.set('tags', attrs.strings('tag.tags'))
    draft.set('promptVersion', attrs.string('llm.prompt_template.version'))
    const metadata = attrs.json('metadata')
    if (isObj(metadata)) draft.metadata['metadata'] = metadata
    attrs.drop('openinference.span.kind')
    readAnnotations(ctx)
  },
}
