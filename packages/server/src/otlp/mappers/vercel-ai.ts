import type { SpanKind, UsageMap } from '@vigil/core'
import type { AttributeReader } from '../attributes.js'
import type { SpanDraft } from '../draft.js'
import { namespacesOf, type OtlpMapper } from '../mapper.js'
import { textOf, toIo, toMessage, toMessages } from '../messages.js'
import type { AttrValue, OtlpSpan } from '../types.js'
import { providerOf } from './genai-current.js'
import { usageIfAny } from './usage.js'

/** The spans that wrap the provider call and repeat its usage (legacy `ai.*` tree). */
const WRAPPERS = new Set([
  'ai.generateText',
  'ai.streamText',
  'ai.generateObject',
  'ai.streamObject',
])
const EMBED_WRAPPERS = new Set(['ai.embed', 'ai.embedMany'])

function kindOf(operation: string): SpanKind | undefined {
  if (/\.do(Generate|Stream)$/.test(operation)) return 'generation'
  if (operation.endsWith('.doEmbed')) return 'embedding'
  if (operation === 'ai.toolCall') return 'tool'
  if (WRAPPERS.has(operation)) return 'agent'
  return EMBED_WRAPPERS.has(operation) ? 'chain' : undefined
}

/** Every usage spelling from AI SDK 3 to 7; v5+ input includes cached, output includes reasoning. */
function readUsage(attrs: AttributeReader): UsageMap | undefined {
  // the detail spellings are disjoint buckets; the totals are read (and consumed) either way
  const noCache = attrs.number('ai.usage.inputTokenDetails.noCacheTokens')
  const text = attrs.number('ai.usage.outputTokenDetails.textTokens')
  const input = attrs.firstNumber([
    'ai.usage.inputTokens',
    'ai.usage.promptTokens',
    'ai.usage.tokens',
  ])
  const output = attrs.firstNumber(['ai.usage.outputTokens', 'ai.usage.completionTokens'])
  const usage = usageIfAny({
    input: noCache ?? input,
    output: text ?? output,
    cacheRead: attrs.firstNumber([
      'ai.usage.inputTokenDetails.cacheReadTokens',
      'ai.usage.cachedInputTokens',
    ]),
    cacheWrite: attrs.number('ai.usage.inputTokenDetails.cacheWriteTokens'),
    reasoning: attrs.firstNumber([
      'ai.usage.outputTokenDetails.reasoningTokens',
      'ai.usage.reasoningTokens',
    ]),
    inputIncludesCache: noCache === undefined,
    outputIncludesReasoning: text === undefined,
  })
  attrs.drop('ai.usage.totalTokens')
  return usage
}

function vercelToolCalls(value: AttrValue | undefined): AttrValue[] {
  if (!Array.isArray(value)) return []
  return value.map((c) =>
    typeof c === 'object' && c !== null && !Array.isArray(c)
      ? {
          id: c['toolCallId'] ?? null,
          name: c['toolName'] ?? null,
          arguments: c['input'] ?? c['args'] ?? null,
        }
      : c,
  )
}

function readInput(attrs: AttributeReader, draft: SpanDraft): void {
  draft.set('input', toMessages(attrs.json('ai.prompt.messages')))
  draft.set('input', toIo(attrs.json('ai.prompt')))
  const values = attrs.json('ai.values')
  draft.set('input', Array.isArray(values) ? values.map(textOf).join('\n') : undefined)
  draft.set('input', textOf(attrs.json('ai.value')) || undefined)
  draft.set(
    'input',
    textOf(attrs.json('ai.toolCall.args') ?? attrs.json('ai.toolCall.input')) || undefined,
  )
}

function readOutput(attrs: AttributeReader, draft: SpanDraft): void {
  const text = attrs.firstString(['ai.response.text', 'ai.result.text'])
  const calls = vercelToolCalls(
    attrs.json('ai.response.toolCalls') ?? attrs.json('ai.result.toolCalls'),
  )
  if (text !== undefined || calls.length > 0) {
    const message = toMessage(
      { role: 'assistant', content: text ?? null, tool_calls: calls },
      'assistant',
    )
    draft.set('output', message ? [message] : undefined)
  }
  draft.set('output', attrs.firstString(['ai.response.object', 'ai.result.object']))
  draft.set(
    'output',
    textOf(attrs.json('ai.toolCall.result') ?? attrs.json('ai.toolCall.output')) || undefined,
  )
  draft.set('finishReason', attrs.string('ai.response.finishReason'))
}

/** Runtime context (AI SDK 7) and telemetry metadata (<= 6): user, session, tags, the rest kept. */
function readAttribution(attrs: AttributeReader, draft: SpanDraft): void {
  for (const prefix of ['ai.settings.context', 'ai.telemetry.metadata']) {
    const values = attrs.takePrefix(prefix)
    const str = (key: string) => (typeof values[key] === 'string' ? values[key] : undefined)
    draft.set('userId', str('userId') ?? str('user_id'))
    draft.set('sessionId', str('sessionId') ?? str('session_id'))
    const tags = values['tags']
    draft.set(
      'tags',
      Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : undefined,
    )
    for (const key of ['userId', 'user_id', 'sessionId', 'session_id', 'tags']) delete values[key]
    if (Object.keys(values).length > 0) draft.metadata[prefix] = values
  }
  draft.set('feature', attrs.string('ai.telemetry.functionId'))
}

function isVercel(span: OtlpSpan): boolean {
  return span.scope.name === 'ai' || span.scope.name === 'gen_ai' || namespacesOf(span).has('ai')
}

/**
 * Vercel AI SDK: the `ai.*` span tree (LegacyOpenTelemetry, AI SDK <= 6) and the runtime
 * context AI SDK 7's GenAI integration adds (its other attributes are GenAI semconv). Wrapper
 * spans repeat their children's usage; they are marked so it is counted once (count-once.ts).
 */
export const vercelAiMapper: OtlpMapper = {
  name: 'vercel-ai',
  matches: isVercel,
  map({ span, attrs, draft }) {
    const operation = attrs.string('ai.operationId') ?? span.name
    attrs.drop('operation.name', 'resource.name')
    draft.set('kind', kindOf(operation))
    if (WRAPPERS.has(operation) || EMBED_WRAPPERS.has(operation)) draft.usageIsAggregate = true
    draft.set('provider', providerOf(attrs.string('ai.model.provider')))
    draft.set('requestModel', attrs.string('ai.model.id'))
    draft.set('responseModel', attrs.string('ai.response.model'))
    const settings = attrs.takePrefix('ai.settings')
    for (const key of Object.keys(settings)) if (key.startsWith('context.')) delete settings[key]
    readAttribution(attrs, draft)
    draft.set('params', settings)
    readInput(attrs, draft)
    readOutput(attrs, draft)
    draft.set('usage', readUsage(attrs))
    draft.set(
      'ttftMs',
      attrs.firstNumber(['ai.response.msToFirstChunk', 'ai.stream.msToFirstChunk']),
    )
  },
}
