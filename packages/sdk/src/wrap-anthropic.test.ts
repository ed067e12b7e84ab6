import Anthropic from '@anthropic-ai/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  errorLog,
  getTrace,
  spansByName,
  startFakeLlm,
  startVigil,
  TEST_KEY,
  type FakeLlm,
  type RunningServer,
} from '../test/harness.js'
import { createVigil, type Vigil } from './index.js'

let fake: FakeLlm
let server: RunningServer
let vigil: Vigil
let plain: Anthropic
let wrapped: Anthropic
const log = errorLog()

beforeAll(async () => {
  ;[fake, server] = await Promise.all([
    startFakeLlm({
      script: {
        reply: 'Bonjour from the fake.',
        cachedTokens: 40,
        cacheWriteTokens: 10,
        ttftMs: 20,
      },
    }),
    startVigil(),
  ])
  vigil = createVigil({ endpoint: server.url, apiKey: TEST_KEY, onError: log.onError })
  plain = new Anthropic({
    apiKey: 'sk-ant-test',
    authToken: null,
    baseURL: fake.url,
    maxRetries: 0,
  })
  wrapped = vigil.wrapAnthropic(plain)
})

afterAll(async () => {
  await vigil.shutdown()
  await Promise.all([server.close(), fake.close()])
})

const body = {
  model: 'claude-haiku-4-5',
  max_tokens: 256,
  system: 'You are terse.',
  messages: [{ role: 'user' as const, content: 'Say hello in French.' }],
}

function comparable(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'id' ? undefined : v)))
}

async function traced(fn: () => Promise<unknown>): Promise<string> {
  const traceId = await vigil.trace('request', async (t) => {
    await fn()
    return t.traceId
  })
  await vigil.flush()
  return traceId
}

describe('wrapAnthropic', () => {
  it('returns what the unwrapped client returns and records text, stop reason and cache usage', async () => {
    const expected = await plain.messages.create(body)
    let actual: Anthropic.Message | undefined
    const traceId = await traced(async () => {
      actual = await wrapped.messages.create(body)
    })
    expect(comparable(actual)).toEqual(comparable(expected))
    const call = (await spansByName(server, traceId))['anthropic.messages']!
    expect(call).toMatchObject({
      kind: 'generation',
      provider: 'anthropic',
      requestModel: 'claude-haiku-4-5',
      finishReason: 'end_turn',
      params: { max_tokens: 256 },
      input: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Say hello in French.' },
      ],
      output: [{ role: 'assistant', content: 'Bonjour from the fake.' }],
    })
    expect(call['usage']).toEqual({
      input: expected.usage.input_tokens,
      output: expected.usage.output_tokens,
      cache_read: 40,
      cache_write: 10,
    })
  })

  it('yields the same stream events and records TTFT, text and final usage', async () => {
    const expected: unknown[] = []
    for await (const event of await plain.messages.create({ ...body, stream: true }))
      expected.push(event)
    const actual: unknown[] = []
    const traceId = await traced(async () => {
      const stream = await wrapped.messages.create({ ...body, stream: true })
      expect(stream.controller).toBeInstanceOf(AbortController)
      for await (const event of stream) actual.push(event)
    })
    expect(comparable(actual)).toEqual(comparable(expected))
    const call = (await spansByName(server, traceId))['anthropic.messages']!
    expect(call).toMatchObject({
      output: [{ role: 'assistant', content: 'Bonjour from the fake.' }],
      finishReason: 'end_turn',
      usage: { cache_read: 40, cache_write: 10 },
    })
    expect((call['usage'] as Record<string, number>)['output']).toBeGreaterThan(0)
    expect(call['ttftMs']).toBeGreaterThanOrEqual(15)
  })

  it('records messages.stream() once, with its helpers still working', async () => {
    let text = ''
    let final: Anthropic.Message | undefined
    const traceId = await traced(async () => {
      const stream = wrapped.messages.stream(body)
      stream.on('text', (delta) => {
        text += delta
      })
      final = await stream.finalMessage()
    })
    expect(text).toBe('Bonjour from the fake.')
    expect(final!.content[0]).toMatchObject({ type: 'text', text: 'Bonjour from the fake.' })
    const calls = (await getTrace(server, traceId)).body.spans.filter(
      (s) => s.name === 'anthropic.messages',
    )
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({ output: [{ content: 'Bonjour from the fake.' }] })
  })

  it('records tool use and tool results in the conversation', async () => {
    const tools = [
      {
        name: 'get_weather',
        input_schema: {
          type: 'object' as const,
          properties: { city: { type: 'string' } },
          required: ['city'],
        },
      },
    ]
    const traceId = await traced(async () => {
      const first = await wrapped.messages.create({ ...body, tools })
      const use = first.content.find((b) => b.type === 'tool_use')!
      await wrapped.messages.create({
        ...body,
        tools,
        messages: [
          ...body.messages,
          { role: 'assistant', content: first.content },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: use.id, content: '18°C' }],
          },
        ],
      })
    })
    const calls = (await getTrace(server, traceId)).body.spans.filter(
      (s) => s.name === 'anthropic.messages',
    )
    const [first, second] = calls as Record<string, any>[]
    expect(first!['finishReason']).toBe('tool_use')
    const call = first!['output'][0].toolCalls[0]
    expect(call.name).toBe('get_weather')
    expect(JSON.parse(call.arguments)).toHaveProperty('city')
    expect(second!['input'][3]).toMatchObject({
      role: 'tool',
      toolCallId: call.id,
      content: [{ type: 'tool_result', text: '18°C' }],
    })
  })

  it('rethrows the provider error unchanged and records it', async () => {
    let caught: unknown
    const traceId = await traced(async () => {
      caught = await wrapped.messages
        .create(body, { headers: { 'x-fake-error-status': '529' } })
        .catch((e: unknown) => e)
    })
    expect(caught).toBeInstanceOf(Anthropic.APIError)
    expect((caught as InstanceType<typeof Anthropic.APIError>).status).toBe(529)
    const call = (await spansByName(server, traceId))['anthropic.messages']!
    expect(call).toMatchObject({ status: 'error', metadata: { 'http.status_code': 529 } })
  })

  it('reported nothing to the error sink along the way', () => {
    expect(log.errors).toEqual([])
  })
})
