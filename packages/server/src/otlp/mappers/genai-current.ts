import type { SpanKind } from '@vigil/core'
import { AttributeReader } from '../attributes.js'
import { toContextDocuments } from '../context-docs.js'
import type { SpanDraft } from '../draft.js'
import { namespacesOf, type MapperContext, type OtlpMapper } from '../mapper.js'
import { textOf, toMessage, toMessages } from '../messages.js'
import type { AttrValue } from '../types.js'
import { readEvaluationEvents } from './genai-evaluation.js'
import { readGenAiUsage } from './genai-usage.js'
import { costIfAny, secondsToMs } from './usage.js'

/** `gen_ai.operation.name` → span kind (`agent_step` is the Vercel AI SDK's step span). */
const OPERATION_KINDS: Record<string, SpanKind> = {
  chat: 'generation',
  text_completion: 'generation',
  generate_content: 'generation',
  completion: 'generation',
  generate: 'generation',
  embeddings: 'embedding',
  retrieval: 'retrieval',
  execute_tool: 'tool',
  invoke_agent: 'agent',
  create_agent: 'agent',
  invoke_workflow: 'chain',
  agent_step: 'chain',
}

const DETAILS_EVENT = 'gen_ai.client.inference.operation.details'

/** Operations whose in-process (INTERNAL) spans wrap LLM calls that have spans of their own. */
const WRAPPING_OPERATIONS = new Set(['invoke_agent', 'invoke_workflow', 'agent_step'])

/**
 * Provider ids as `<provider>.<api>` (the Vercel AI SDK's `openai.chat`, `fake.chat`) reduced
 * to the provider; no registered `gen_ai.provider.name` value ends in one of these suffixes.
 */
export function providerOf(id: string | undefined): string | undefined {
  return id?.replace(
    /\.(chat|completion|completions|responses|embedding|image|transcription|speech|messages)$/,
    '',
  )
}

function finishReasonOf(output: AttrValue | undefined): string | undefined {
  if (!Array.isArray(output)) return undefined
  const first = output[0]
  if (typeof first !== 'object' || first === null || Array.isArray(first)) return undefined
  const reason = first['finish_reason']
  return typeof reason === 'string' ? reason : undefined
}

/** Messages, system instructions and output, from span attributes or the details event. */
function readContent(attrs: AttributeReader, draft: SpanDraft): void {
  const instructions = attrs.json('gen_ai.system_instructions')
  const system =
    instructions === undefined
      ? undefined
      : toMessage({
          role: 'system',
          parts: typeof instructions === 'string' ? [instructions] : instructions,
        })
  const input = toMessages(attrs.json('gen_ai.input.messages'))
  if (input || system) draft.set('input', [...(system ? [system] : []), ...(input ?? [])])
  const output = attrs.json('gen_ai.output.messages')
  draft.set('output', toMessages(output, 'assistant'))
  draft.set('finishReason', finishReasonOf(output))
}

function readModel(attrs: AttributeReader, draft: SpanDraft): void {
  draft.set('provider', providerOf(attrs.string('gen_ai.provider.name')))
  draft.set('requestModel', attrs.string('gen_ai.request.model'))
  draft.set('responseModel', attrs.string('gen_ai.response.model'))
  const params = attrs.takePrefix('gen_ai.request')
  delete params['model']
  draft.set('params', params)
  draft.set('finishReason', attrs.strings('gen_ai.response.finish_reasons')?.[0])
  draft.set('usage', readGenAiUsage(attrs))
  draft.set('cost', costIfAny({ total: attrs.number('gen_ai.usage.cost') }))
  const ttft = attrs.firstNumber([
    'gen_ai.response.time_to_first_chunk',
    'gen_ai.client.operation.time_to_first_chunk',
  ])
  draft.set('ttftMs', secondsToMs(ttft))
}

/** Tool calls, retrieval and attribution. */
function readOperation({ span, attrs, draft }: MapperContext): void {
  const operation = attrs.string('gen_ai.operation.name')
  draft.set('kind', operation === undefined ? undefined : OPERATION_KINDS[operation])
  // the spec types in-process agents INTERNAL and remote ones CLIENT: only a remote agent's
  // usage is not repeated by child LLM spans (count-once.ts)
  if (operation && WRAPPING_OPERATIONS.has(operation) && span.kind === 'internal') {
    draft.usageIsAggregate = true
  }
  if (attrs.has('gen_ai.tool.name') || attrs.has('gen_ai.tool.call.id')) draft.set('kind', 'tool')
  const args = attrs.take('gen_ai.tool.call.arguments')
  if (args !== undefined) draft.set('input', textOf(args))
  const result = attrs.take('gen_ai.tool.call.result')
  if (result !== undefined) draft.set('output', textOf(result))
  draft.set('input', attrs.string('gen_ai.retrieval.query.text'))
  draft.set('context', toContextDocuments(attrs.take('gen_ai.retrieval.documents')))
  draft.set('sessionId', attrs.string('gen_ai.conversation.id'))
  draft.set('feature', attrs.string('gen_ai.agent.name'))
}

/** OTel GenAI semantic conventions as of v1.37+ (messages as JSON, details event, evaluations). */
export const genAiCurrentMapper: OtlpMapper = {
  name: 'otel-genai',
  matches: (span) =>
    namespacesOf(span).has('gen_ai') || span.events.some((e) => e.name.startsWith('gen_ai.')),
  map(ctx) {
    const { attrs, draft, span } = ctx
    readOperation(ctx)
    readModel(attrs, draft)
    readContent(attrs, draft)
    span.events.forEach((event, index) => {
      if (event.name !== DETAILS_EVENT) return
      const details = new AttributeReader(event.attributes)
      readModel(details, draft)
      readContent(details, draft)
      draft.consumedEvents.add(index)
    })
    readEvaluationEvents(ctx)
  },
}
