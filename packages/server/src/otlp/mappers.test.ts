import { readdirSync, readFileSync } from 'node:fs'
import { ioText, spanInputSchema, type SpanInput, type SpanIo } from '@vigil/core'
import { describe, expect, it } from 'vitest'
import { parseOtlpJson } from './decode-json.js'
import { mapOtlpExport, OTLP_MAPPERS, type Attributes, type OtlpSpan } from './index.js'

const QUESTION = 'What is the capital of France?'
const REPLY = 'Paris is the capital of France.'

function fixture(name: string) {
  const text = readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')
  return mapOtlpExport(parseOtlpJson(JSON.parse(text)), OTLP_MAPPERS)
}

let counter = 0
function span(partial: Partial<OtlpSpan> & { attributes?: Attributes } = {}): OtlpSpan {
  counter += 1
  return {
    traceId: 'a'.repeat(32),
    spanId: counter.toString(16).padStart(16, '0'),
    parentSpanId: null,
    name: 'op',
    kind: 'client',
    startTimeMs: 1_000,
    endTimeMs: 2_000,
    statusCode: 0,
    statusMessage: '',
    attributes: {},
    events: [],
    resource: { 'service.name': 'svc' },
    scope: { name: 'test', version: '' },
    ...partial,
  }
}

const map = (...spans: OtlpSpan[]) => mapOtlpExport({ spans }, OTLP_MAPPERS)
const only = (...spans: OtlpSpan[]): SpanInput => map(...spans).spans[0]!
const llm = (spans: SpanInput[]) => spans.filter((s) => s.usage)

describe('mappers on recorded real exports', () => {
  const names = readdirSync(new URL('./fixtures/', import.meta.url)).map((f) =>
    f.replace('.json', ''),
  )

  it('produce wire-valid spans for every recorded export', () => {
    expect(names.length).toBeGreaterThanOrEqual(9)
    for (const name of names) {
      for (const s of fixture(name).spans) {
        const parsed = spanInputSchema.safeParse(s)
        expect(parsed.success, `${name}: ${parsed.error?.message}`).toBe(true)
      }
    }
  })

  it('OpenLLMetry: GenAI messages and usage; association properties on the workflow', () => {
    const { spans } = fixture('openllmetry-chat')
    const chat = spans.find((s) => s.kind === 'generation')!
    expect(chat).toMatchObject({
      provider: 'openai',
      requestModel: 'gpt-4o-mini',
      finishReason: 'stop',
    })
    expect(chat.input).toEqual([{ role: 'user', content: QUESTION }])
    expect(chat.output).toEqual([{ role: 'assistant', content: REPLY }])
    expect(chat.usage).toEqual({ input: expect.any(Number), output: expect.any(Number) })
    const workflow = spans.find((s) => s.kind === 'chain')!
    expect(workflow).toMatchObject({
      userId: 'user-ll',
      sessionId: 'session-ll',
      feature: 'support-answer',
    })
    const streamed = fixture('openllmetry-chat-stream').spans.find((s) => s.kind === 'generation')!
    expect(streamed.usage).toBeUndefined()
    expect(ioText(streamed.output as SpanIo)).toBe(REPLY)
  })

  it('OpenInference: flattened messages, token counts, invocation parameters, user and session', () => {
    const [chat] = fixture('openinference-chat').spans
    expect(chat).toMatchObject({
      kind: 'generation',
      provider: 'openai',
      requestModel: 'gpt-4o-mini',
      responseModel: 'gpt-4o-mini',
      userId: 'user-oi',
      sessionId: 'session-oi',
      finishReason: 'stop',
    })
    expect(chat!.input).toHaveLength(2)
    expect(chat!.output).toEqual([{ role: 'assistant', content: REPLY }])
    expect(chat!.usage!['input']).toBeGreaterThan(0)
    const [streamed] = fixture('openinference-chat-stream').spans
    expect(streamed!.usage).toBeUndefined()
    expect(ioText(streamed!.output as SpanIo)).toContain(REPLY)
    const [embedding] = fixture('openinference-embeddings').spans
    expect(embedding).toMatchObject({ kind: 'embedding', input: 'hello world' })
    expect(JSON.stringify(embedding!.metadata).length).toBeLessThan(5_000)
  })

  it('Vercel AI SDK: usage once per call, on the chat / doGenerate span', () => {
    for (const name of ['vercel-otel', 'vercel-legacy', 'vercel-otel-stream']) {
      const { spans } = fixture(name)
      const calls = llm(spans)
      expect(calls, name).toHaveLength(1)
      expect(calls[0]).toMatchObject({
        kind: 'generation',
        provider: 'fake',
        responseModel: 'gpt-4o-mini',
      })
      const wrapper = spans.find((s) => s.kind === 'agent')!
      expect(wrapper.usage).toBeUndefined()
      expect(wrapper.metadata!['aggregateUsage']).toEqual(calls[0]!.usage)
    }
    const legacy = llm(fixture('vercel-legacy').spans)[0]!
    expect(JSON.stringify(legacy.metadata)).not.toContain('ai.usage')
    expect(legacy.input).toEqual([
      { role: 'system', content: 'Answer briefly.' },
      { role: 'user', content: QUESTION },
    ])
    const otel = fixture('vercel-otel').spans
    expect(otel.find((s) => s.name === 'step 1')).toMatchObject({
      userId: 'user-v',
      sessionId: 'session-v',
    })
    expect(llm(fixture('vercel-otel-stream').spans)[0]!.ttftMs).toEqual(expect.any(Number))
  })

  it('Langfuse: observation type, model, parameters, usage details, propagated attributes', () => {
    const { spans } = fixture('langfuse-generation')
    const generation = spans.find((s) => s.kind === 'generation')!
    expect(generation).toMatchObject({
      requestModel: 'gpt-4o-mini',
      params: { temperature: 0 },
      userId: 'user-lf',
      sessionId: 'session-lf',
      tags: ['faq'],
    })
    expect(generation.output).toEqual([{ role: 'assistant', content: REPLY }])
  })
})

describe('OTel GenAI (current)', () => {
  it('reads messages, system instructions, tool calls, usage with subsets subtracted, cost and TTFT', () => {
    const s = only(
      span({
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'anthropic',
          'gen_ai.request.model': 'claude-sonnet-4-5',
          'gen_ai.request.temperature': 0.2,
          'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'Be brief.' }]),
          'gen_ai.input.messages': JSON.stringify([
            { role: 'user', parts: [{ type: 'text', content: 'Weather?' }] },
            {
              role: 'assistant',
              parts: [
                { type: 'tool_call', id: 'c1', name: 'weather', arguments: { city: 'Paris' } },
              ],
            },
            { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: 'sunny' }] },
          ]),
          'gen_ai.output.messages': JSON.stringify([
            {
              role: 'assistant',
              parts: [{ type: 'text', content: 'Sunny.' }],
              finish_reason: 'stop',
            },
          ]),
          'gen_ai.usage.input_tokens': 100,
          'gen_ai.usage.cache_read.input_tokens': 30,
          'gen_ai.usage.cache_creation.input_tokens': 10,
          'gen_ai.usage.output_tokens': 50,
          'gen_ai.usage.reasoning.output_tokens': 20,
          'gen_ai.usage.cost': 0.01,
          'gen_ai.response.time_to_first_chunk': 0.25,
          'gen_ai.conversation.id': 'conv-1',
          'gen_ai.response.id': 'resp-1',
        },
      }),
    )
    expect(s).toMatchObject({
      kind: 'generation',
      provider: 'anthropic',
      requestModel: 'claude-sonnet-4-5',
      params: { temperature: 0.2 },
      finishReason: 'stop',
      usage: { input: 60, output: 30, cache_read: 30, cache_write: 10, reasoning: 20 },
      cost: { total: 0.01 },
      ttftMs: 250,
      sessionId: 'conv-1',
    })
    expect(s.input).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: null,
        toolCalls: [{ id: 'c1', name: 'weather', arguments: '{"city":"Paris"}' }],
      },
      { role: 'tool', content: 'sunny', toolCallId: 'c1' },
    ])
    expect(s.output).toEqual([{ role: 'assistant', content: 'Sunny.' }])
    expect(s.metadata!['attributes']).toEqual({ 'gen_ai.response.id': 'resp-1' })
  })

  it('reads content from the operation-details event, and evaluation events as scores', () => {
    const { spans, scores } = map(
      span({
        attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' },
        events: [
          {
            name: 'gen_ai.client.inference.operation.details',
            timeMs: 1_500,
            attributes: {
              'gen_ai.input.messages': [{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }],
              'gen_ai.output.messages': [
                { role: 'assistant', parts: [{ type: 'text', content: 'Hello' }] },
              ],
            },
          },
          {
            name: 'gen_ai.evaluation.result',
            timeMs: 1_900,
            attributes: {
              'gen_ai.evaluation.name': 'relevance',
              'gen_ai.evaluation.score.value': 0.9,
              'gen_ai.evaluation.score.label': 'relevant',
              'gen_ai.evaluation.explanation': 'on topic',
            },
          },
          {
            name: 'gen_ai.evaluation.result',
            timeMs: 1_900,
            attributes: {
              'gen_ai.evaluation.name': 'tone',
              'gen_ai.evaluation.score.label': 'polite',
            },
          },
        ],
      }),
    )
    expect(spans[0]!.input).toEqual([{ role: 'user', content: 'Hi' }])
    expect(spans[0]!.output).toEqual([{ role: 'assistant', content: 'Hello' }])
    expect(spans[0]!.metadata!['events']).toBeUndefined()
    expect(scores).toEqual([
      expect.objectContaining({
        name: 'relevance',
        value: 0.9,
        spanId: spans[0]!.spanId,
        explanation: 'on topic',
        metadata: { label: 'relevant' },
        createdAt: 1_900,
      }),
      expect.objectContaining({ name: 'tone', value: 'polite' }),
    ])
  })

  it('keeps usage on a remote (CLIENT) agent, demotes it on an in-process (INTERNAL) one', () => {
    const usage = {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 5,
    }
    expect(only(span({ kind: 'client', attributes: usage })).usage).toEqual({
      input: 10,
      output: 5,
    })
    const local = only(span({ kind: 'internal', attributes: usage }))
    expect(local.usage).toBeUndefined()
    expect(local.metadata!['aggregateUsage']).toEqual({ input: 10, output: 5 })
  })
})

describe('OTel GenAI (older forms)', () => {
  it('reads flattened prompts and completions, gen_ai.system and prompt_tokens', () => {
    const s = only(
      span({
        attributes: {
          'gen_ai.system': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.prompt.0.role': 'system',
          'gen_ai.prompt.0.content': 'Be brief.',
          'gen_ai.prompt.1.role': 'user',
          'gen_ai.prompt.1.content': 'Weather in Paris?',
          'gen_ai.completion.0.role': 'assistant',
          'gen_ai.completion.0.finish_reason': 'tool_calls',
          'gen_ai.completion.0.tool_calls.0.id': 'c1',
          'gen_ai.completion.0.tool_calls.0.name': 'weather',
          'gen_ai.completion.0.tool_calls.0.arguments': '{"city":"Paris"}',
          'gen_ai.usage.prompt_tokens': 12,
          'gen_ai.usage.completion_tokens': 7,
          'gen_ai.usage.cache_read_input_tokens': 2,
          'llm.usage.total_tokens': 19,
        },
      }),
    )
    expect(s).toMatchObject({
      kind: 'generation',
      provider: 'openai',
      finishReason: 'tool_calls',
      usage: { input: 10, output: 7, cache_read: 2 },
    })
    expect(s.input).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris?' },
    ])
    expect(s.output).toEqual([
      {
        role: 'assistant',
        content: null,
        toolCalls: [{ id: 'c1', name: 'weather', arguments: '{"city":"Paris"}' }],
      },
    ])
    expect(s.metadata!['attributes']).toBeUndefined()
  })

  it('reads the deprecated message events', () => {
    const s = only(
      span({
        attributes: { 'gen_ai.system': 'openai', 'gen_ai.operation.name': 'chat' },
        events: [
          { name: 'gen_ai.system.message', timeMs: 1, attributes: { content: 'Be brief.' } },
          { name: 'gen_ai.user.message', timeMs: 1, attributes: { content: 'Hi' } },
          {
            name: 'gen_ai.choice',
            timeMs: 2,
            attributes: {
              finish_reason: 'stop',
              message: '{"role":"assistant","content":"Hello"}',
            },
          },
        ],
      }),
    )
    expect(s.input).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ])
    expect(s.output).toEqual([{ role: 'assistant', content: 'Hello' }])
    expect(s.finishReason).toBe('stop')
  })
})

describe('OpenInference', () => {
  it('reads retrieved documents as context and annotations as scores', () => {
    const { spans, scores } = map(
      span({
        attributes: {
          'openinference.span.kind': 'RETRIEVER',
          'input.value': 'capital of France',
          'retrieval.documents.0.document.id': 'd1',
          'retrieval.documents.0.document.content': 'Paris is the capital.',
          'retrieval.documents.0.document.score': 0.8,
          'retrieval.documents.0.document.metadata': '{"source":"wiki"}',
          'retrieval.documents.1.document.content': 'France is in Europe.',
          'annotation.name': 'hallucination',
          'annotation.label': 'factual',
          'annotation.score': 0,
          'annotation.annotator_kind': 'LLM',
          'annotation.explanation': 'grounded',
        },
      }),
    )
    expect(spans[0]).toMatchObject({
      kind: 'retrieval',
      input: 'capital of France',
      context: [
        { id: 'd1', content: 'Paris is the capital.', score: 0.8, metadata: { source: 'wiki' } },
        { content: 'France is in Europe.' },
      ],
    })
    expect(scores).toEqual([
      expect.objectContaining({
        name: 'hallucination',
        value: 0,
        source: 'judge',
        explanation: 'grounded',
        metadata: { label: 'factual' },
      }),
    ])
  })

  it('subtracts cache and audio from prompt tokens, reasoning and audio from completion; reads costs', () => {
    const s = only(
      span({
        attributes: {
          'openinference.span.kind': 'LLM',
          'llm.model_name': 'gpt-4o-audio',
          'llm.token_count.prompt': 100,
          'llm.token_count.prompt_details.cache_read': 40,
          'llm.token_count.prompt_details.audio': 10,
          'llm.token_count.completion': 50,
          'llm.token_count.completion_details.reasoning': 20,
          'llm.token_count.total': 150,
          'llm.cost.prompt': 0.001,
          'llm.cost.completion': 0.002,
          'llm.cost.total': 0.003,
        },
      }),
    )
    expect(s.usage).toEqual({
      input: 50,
      cache_read: 40,
      input_audio: 10,
      output: 30,
      reasoning: 20,
    })
    expect(s.cost).toEqual({ input: 0.001, output: 0.002, total: 0.003 })
  })
})

describe('Langfuse', () => {
  it('reads OpenAI-shaped usage details, costs, completion start, level, prompt and environment', () => {
    const s = only(
      span({
        scope: { name: 'langfuse-sdk', version: '5' },
        attributes: {
          'langfuse.observation.type': 'generation',
          'langfuse.observation.model.name': 'gpt-4o',
          'langfuse.observation.usage_details': JSON.stringify({
            prompt_tokens: 100,
            completion_tokens: 50,
            prompt_tokens_details: { cached_tokens: 40 },
          }),
          'langfuse.observation.cost_details': JSON.stringify({
            input: 0.1,
            output: 0.2,
            total: 0.3,
          }),
          'langfuse.observation.completion_start_time': JSON.stringify(
            new Date(1_400).toISOString(),
          ),
          'langfuse.observation.level': 'ERROR',
          'langfuse.observation.status_message': 'rate limited',
          'langfuse.observation.prompt.name': 'faq',
          'langfuse.observation.prompt.version': 3,
          'langfuse.observation.metadata.team': 'search',
          'langfuse.environment': 'prod',
          'langfuse.release': 'v1.2',
          'langfuse.trace.name': 'support',
        },
      }),
    )
    expect(s).toMatchObject({
      kind: 'generation',
      requestModel: 'gpt-4o',
      usage: { input: 60, output: 50, cache_read: 40 },
      cost: { input: 0.1, output: 0.2, total: 0.3 },
      ttftMs: 400,
      status: 'error',
      statusMessage: 'rate limited',
      promptName: 'faq',
      promptVersion: '3',
      environment: 'prod',
      release: 'v1.2',
      feature: 'support',
    })
    expect(s.metadata!['observation']).toEqual({ team: 'search' })
  })
})

describe('count once, fit, keep the rest', () => {
  it('demotes a Vercel wrapper even when its child is in another export', () => {
    const s = only(
      span({
        scope: { name: 'ai', version: '' },
        attributes: {
          'ai.operationId': 'ai.generateText',
          'ai.usage.inputTokens': 10,
          'ai.usage.outputTokens': 5,
        },
      }),
    )
    expect(s).toMatchObject({ kind: 'agent', usage: undefined })
    expect(s.metadata!['aggregateUsage']).toEqual({ input: 10, output: 5 })
  })

  it('types a generation that wraps another LLM call as a chain, so only the inner one counts', () => {
    const outer = span({
      attributes: {
        'langfuse.observation.type': 'generation',
        'langfuse.observation.usage_details': '{"input":10,"output":5}',
      },
    })
    const inner = span({
      parentSpanId: outer.spanId,
      attributes: {
        'openinference.span.kind': 'LLM',
        'llm.token_count.prompt': 10,
        'llm.token_count.completion': 5,
      },
    })
    const { spans } = map(outer, inner)
    expect(spans[0]).toMatchObject({ kind: 'chain', usage: undefined })
    expect(spans[1]).toMatchObject({ kind: 'generation', usage: { input: 10, output: 5 } })
  })

  it('keeps unconsumed attributes and events as metadata, within the wire limits', () => {
    const many: Attributes = {}
    for (let i = 0; i < 600; i++) many[`custom.${i}`] = i
    many['huge'] = 'x'.repeat(2_000_000)
    const s = only(
      span({
        statusCode: 2,
        attributes: many,
        events: [
          { name: 'exception', timeMs: 1_500, attributes: { 'exception.message': 'kaput' } },
        ],
      }),
    )
    expect(spanInputSchema.safeParse(s).success).toBe(true)
    expect(s).toMatchObject({ status: 'error', statusMessage: 'kaput', kind: 'span' })
    const attrs = s.metadata!['attributes'] as Record<string, unknown>
    expect(attrs['vigil.dropped_keys']).toBe(345)
    expect(s.metadata!['events']).toEqual([
      { name: 'exception', time: 1_500, attributes: { 'exception.message': 'kaput' } },
    ])
    expect(s.metadata!['otel']).toEqual({
      kind: 'client',
      scope: 'test',
      resource: { 'service.name': 'svc' },
    })
  })

  it('runs every matching mapper; the first to set a field wins', () => {
    const s = only(
      span({
        attributes: {
          'langfuse.observation.model.name': 'from-langfuse',
          'gen_ai.request.model': 'from-genai',
          'gen_ai.usage.input_tokens': 3,
          'user.id': 'u1',
        },
      }),
    )
    expect(s).toMatchObject({
      requestModel: 'from-langfuse',
      usage: { input: 3, output: 0 },
      userId: 'u1',
    })
    expect(OTLP_MAPPERS.map((m) => m.name)).toEqual([
      'langfuse',
      'vercel-ai',
      'openinference',
      'openllmetry',
      'otel-genai',
      'otel-genai-legacy',
      'otel-common',
    ])
  })
})
