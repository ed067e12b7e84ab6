import OpenAI from 'openai'
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
let plain: OpenAI
let wrapped: OpenAI
const log = errorLog()

beforeAll(async () => {
  ;[fake, server] = await Promise.all([
    startFakeLlm({
      script: { reply: 'Paris is the capital of France.', ttftMs: 25, chunkDelayMs: 1 },
    }),
    startVigil(),
  ])
  vigil = createVigil({ endpoint: server.url, apiKey: TEST_KEY, onError: log.onError })
  plain = new OpenAI({ apiKey: 'sk-test', baseURL: `${fake.url}/v1`, maxRetries: 0 })
  wrapped = vigil.wrapOpenAI(plain, { attributes: { feature: 'faq' } })
})

afterAll(async () => {
  await vigil.shutdown()
  await Promise.all([server.close(), fake.close()])
})

const messages = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: 'What is the capital of France?' },
]

/** Drops what differs between two answers to the same request (ids, clocks). */
function comparable(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) =>
      key === 'id' || key === 'created' || key === 'created_at' || key === 'system_fingerprint'
        ? undefined
        : v,
    ),
  )
}

/** Runs `fn` inside a trace and returns the trace id once its spans are stored. */
async function traced(fn: () => Promise<unknown>): Promise<string> {
  const traceId = await vigil.trace('request', async (t) => {
    await fn()
    return t.traceId
  })
  await vigil.flush()
  return traceId
}

describe('wrapOpenAI: chat.completions.create', () => {
  it('returns what the unwrapped client returns and records the call as a child of the trace', async () => {
    fake.clearRequests()
    const body = { model: 'gpt-4o-mini', messages, temperature: 0.2 }
    const expected = await plain.chat.completions.create(body)
    let actual: OpenAI.ChatCompletion | undefined
    const traceId = await traced(async () => {
      actual = await wrapped.chat.completions.create(body)
    })
    expect(comparable(actual)).toEqual(comparable(expected))
    expect((actual as { _request_id?: unknown })._request_id).toBeTypeOf('string')
    const [sentPlain, sentWrapped] = fake.requests
    expect(sentWrapped!.body).toEqual(sentPlain!.body)

    const spans = await spansByName(server, traceId)
    const call = spans['openai.chat.completions']!
    expect(call).toMatchObject({
      kind: 'generation',
      parentSpanId: spans['request']!.spanId,
      provider: 'openai',
      requestModel: 'gpt-4o-mini',
      responseModel: 'gpt-4o-mini',
      feature: 'faq',
      finishReason: 'stop',
      status: 'ok',
      params: { temperature: 0.2 },
      input: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
      output: [{ role: 'assistant', content: 'Paris is the capital of France.' }],
    })
    expect(call['usage']).toEqual({
      input: expected.usage!.prompt_tokens,
      output: expected.usage!.completion_tokens,
    })
  })

  it('keeps withResponse() and asResponse() working', async () => {
    const { data, response, request_id } = await wrapped.chat.completions
      .create({ model: 'gpt-4o-mini', messages })
      .withResponse()
    expect(data.choices[0]!.message.content).toBe('Paris is the capital of France.')
    expect(response.status).toBe(200)
    expect(request_id).toBe(response.headers.get('x-request-id'))
    const raw = await wrapped.chat.completions
      .create({ model: 'gpt-4o-mini', messages })
      .asResponse()
    expect(((await raw.json()) as { object: string }).object).toBe('chat.completion')
  })

  it('normalizes usage: cached tokens out of input, reasoning out of output', async () => {
    const traceId = await traced(() =>
      wrapped.chat.completions.create(
        { model: 'o4-mini', messages },
        { headers: { 'x-fake-cached-tokens': '8', 'x-fake-reasoning-tokens': '5' } },
      ),
    )
    const raw = await plain.chat.completions.create(
      { model: 'o4-mini', messages },
      { headers: { 'x-fake-cached-tokens': '8', 'x-fake-reasoning-tokens': '5' } },
    )
    const call = (await spansByName(server, traceId))['openai.chat.completions']!
    expect(call['usage']).toEqual({
      input: raw.usage!.prompt_tokens - 8,
      cache_read: 8,
      output: raw.usage!.completion_tokens - 5,
      reasoning: 5,
    })
  })

  it('rethrows the provider error unchanged and records it', async () => {
    const headers = { 'x-fake-error-status': '429', 'x-fake-retry-after': '1' }
    const expected = await plain.chat.completions
      .create({ model: 'gpt-4o-mini', messages }, { headers })
      .catch((e: unknown) => e)
    let actual: unknown
    const traceId = await traced(async () => {
      actual = await wrapped.chat.completions
        .create({ model: 'gpt-4o-mini', messages }, { headers })
        .catch((e: unknown) => e)
    })
    expect(actual).toBeInstanceOf(OpenAI.RateLimitError)
    expect((actual as InstanceType<typeof OpenAI.APIError>).status).toBe(429)
    expect((actual as Error).message).toBe((expected as Error).message)
    const call = (await spansByName(server, traceId))['openai.chat.completions']!
    expect(call).toMatchObject({ status: 'error', statusMessage: (expected as Error).message })
    expect(call['metadata']).toMatchObject({
      'error.type': 'RateLimitError',
      'http.status_code': 429,
    })
  })

  it('rethrows a synchronous throw of the client unchanged', () => {
    const broken = vigil.wrapOpenAI({
      chat: {
        completions: {
          create: () => {
            throw new TypeError('bad arguments')
          },
        },
      },
    })
    expect(() => broken.chat.completions.create()).toThrow(TypeError)
  })

  it('leaves the client it was given untouched', () => {
    expect(plain.chat.completions.create).toBe(OpenAI.Chat.Completions.prototype.create)
    expect(wrapped).toBeInstanceOf(OpenAI)
    expect(wrapped.chat.completions.create).toBe(wrapped.chat.completions.create)
    expect(wrapped.baseURL).toBe(plain.baseURL)
  })
})

describe('wrapOpenAI: streams', () => {
  const streamBody = {
    model: 'gpt-4o-mini',
    messages,
    stream: true as const,
    stream_options: { include_usage: true },
  }

  it('yields the same chunks as the unwrapped stream and records text, usage and TTFT', async () => {
    const expected: unknown[] = []
    for await (const chunk of await plain.chat.completions.create(streamBody)) expected.push(chunk)
    const actual: unknown[] = []
    let stream: { controller: AbortController } | undefined
    const traceId = await traced(async () => {
      const opened = await wrapped.chat.completions.create(streamBody)
      stream = opened
      for await (const chunk of opened) actual.push(chunk)
    })
    expect(stream!.controller).toBeInstanceOf(AbortController)
    expect(comparable(actual)).toEqual(comparable(expected))

    const call = (await spansByName(server, traceId))['openai.chat.completions']!
    expect(call).toMatchObject({
      status: 'ok',
      finishReason: 'stop',
      output: [{ role: 'assistant', content: 'Paris is the capital of France.' }],
      params: { stream: true },
    })
    expect(call['ttftMs']).toBeGreaterThanOrEqual(20)
    expect(call['ttftMs']).toBeLessThanOrEqual(call['durationMs'] as number)
    expect((call['usage'] as Record<string, number>)['output']).toBeGreaterThan(0)
  })

  it('keeps toReadableStream() and tee() working, and records the stream once', async () => {
    const traceId = await traced(async () => {
      const stream = await wrapped.chat.completions.create(streamBody)
      const [left, right] = stream.tee()
      let fromLeft = ''
      for await (const chunk of left) fromLeft += chunk.choices[0]?.delta.content ?? ''
      const reader = right.toReadableStream().getReader()
      let lines = 0
      for (let r = await reader.read(); !r.done; r = await reader.read()) lines += 1
      expect(fromLeft).toBe('Paris is the capital of France.')
      expect(lines).toBeGreaterThan(3)
    })
    const spans = (await getTrace(server, traceId)).body.spans
    expect(spans.filter((s) => s.name === 'openai.chat.completions')).toHaveLength(1)
  })

  it('records a stream the host stops early as ended, with what arrived', async () => {
    const traceId = await traced(async () => {
      const stream = await wrapped.chat.completions.create({
        ...streamBody,
        stream_options: undefined,
      })
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) break
      }
    })
    const call = (await spansByName(server, traceId))['openai.chat.completions']!
    expect(call['status']).toBe('ok')
    expect(call['metadata']).toMatchObject({ 'stream.aborted': true })
    expect((call['output'] as { content: string }[])[0]!.content.length).toBeGreaterThan(0)
  })

  it('records streamed tool calls', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    ]
    const traceId = await traced(async () => {
      const stream = await wrapped.chat.completions.create({ ...streamBody, tools })
      for await (const _ of stream) void _
    })
    const call = (await spansByName(server, traceId))['openai.chat.completions']!
    const output = call['output'] as { toolCalls: { name: string; arguments: string }[] }[]
    expect(output[0]!.toolCalls[0]!.name).toBe('get_weather')
    expect(JSON.parse(output[0]!.toolCalls[0]!.arguments)).toHaveProperty('city')
    expect(call['params']).toMatchObject({ tools: ['get_weather'] })
  })

  it('records the chat.completions.stream() helper through the create call it makes', async () => {
    let final = ''
    const traceId = await traced(async () => {
      const runner = wrapped.chat.completions.stream({ model: 'gpt-4o-mini', messages })
      final = (await runner.finalContent()) ?? ''
    })
    expect(final).toBe('Paris is the capital of France.')
    const spans = (await getTrace(server, traceId)).body.spans
    const calls = spans.filter((s) => s.name === 'openai.chat.completions')
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({ output: [{ content: 'Paris is the capital of France.' }] })
  })
})

describe('wrapOpenAI: other endpoints', () => {
  it('records completions, embeddings and responses (plain and streamed)', async () => {
    let streamedText = ''
    let responseText = ''
    const traceId = await traced(async () => {
      await wrapped.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say hi' })
      const emb = await wrapped.embeddings.create({
        model: 'text-embedding-3-small',
        input: ['a', 'b'],
      })
      expect(emb.data).toHaveLength(2)
      const response = await wrapped.responses.create({
        model: 'gpt-4o-mini',
        instructions: 'Be brief.',
        input: 'Capital of France?',
      })
      responseText = response.output_text
      const stream = await wrapped.responses.create({
        model: 'gpt-4o-mini',
        input: 'Capital of France?',
        stream: true,
      })
      for await (const event of stream) {
        if (event.type === 'response.output_text.delta') streamedText += event.delta
      }
    })
    const spans = (await getTrace(server, traceId)).body.spans as Record<string, unknown>[]
    const byName = (name: string) => spans.filter((s) => s['name'] === name)
    expect(byName('openai.completions')[0]).toMatchObject({
      input: 'Say hi',
      output: expect.any(String),
      kind: 'generation',
    })
    expect(byName('openai.embeddings')[0]).toMatchObject({
      kind: 'embedding',
      input: 'a\nb',
      metadata: { 'embedding.count': 2 },
    })
    const [plainResponse, streamedResponse] = byName('openai.responses')
    expect(plainResponse).toMatchObject({
      input: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Capital of France?' },
      ],
      output: [{ role: 'assistant', content: responseText }],
      finishReason: 'completed',
    })
    expect(streamedResponse).toMatchObject({
      output: [{ role: 'assistant', content: streamedText }],
    })
    expect(streamedResponse!['ttftMs']).toBeGreaterThan(0)
    expect((streamedResponse!['usage'] as Record<string, number>)['input']).toBeGreaterThan(0)
  })

  it('applies withAttributes to calls made outside any trace (each becomes its own trace)', async () => {
    await vigil.withAttributes({ userId: 'u-42', sessionId: 'sess-1' }, () =>
      wrapped.chat.completions.create({ model: 'gpt-4o-mini', messages }),
    )
    await vigil.flush()
    const res = await fetch(`${server.url}/api/v1/spans?userId=u-42`, {
      headers: { authorization: `Bearer ${TEST_KEY}` },
    })
    const page = (await res.json()) as { data: Record<string, unknown>[] }
    expect(page.data).toHaveLength(1)
    expect(page.data[0]).toMatchObject({ sessionId: 'sess-1', feature: 'faq', parentSpanId: null })
  })

  it('reported nothing to the error sink along the way', () => {
    expect(log.errors).toEqual([])
  })
})
