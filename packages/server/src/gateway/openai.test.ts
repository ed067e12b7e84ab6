import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from './test-harness.js'

const weather = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
    },
  },
}

describe('gateway: OpenAI API through the official client', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness()
  })
  afterAll(async () => {
    await h.close()
  })

  it('records a chat completion with model, normalised usage, cost and attribution', async () => {
    const { data, response } = await h.openai.chat.completions
      .create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'What is Vigil?' }] },
        {
          headers: {
            'x-fake-reply': 'Vigil watches LLMs.',
            'x-fake-model': 'gpt-4o-mini-2024-07-18',
            'x-fake-cached-tokens': '4',
            'x-fake-reasoning-tokens': '3',
            'x-vigil-user-id': 'user-42',
            'x-vigil-session-id': 'session-7',
            'x-vigil-feature': 'support-chat',
            'x-vigil-prompt': 'support',
            'x-vigil-prompt-version': '3',
            'x-vigil-tags': 'beta, eu ,beta',
            'x-vigil-property-plan': 'pro',
          },
        },
      )
      .withResponse()
    expect(data.choices[0]?.message.content).toBe('Vigil watches LLMs.')
    const traceId = response.headers.get('x-vigil-trace-id')
    const [span] = await h.spans(traceId)
    const usage = data.usage!
    expect(span).toMatchObject({
      name: 'openai.chat.completions',
      kind: 'generation',
      source: 'gateway',
      provider: 'openai',
      status: 'ok',
      requestModel: 'gpt-4o-mini',
      responseModel: 'gpt-4o-mini-2024-07-18',
      finishReason: 'stop',
      input: [{ role: 'user', content: 'What is Vigil?' }],
      output: [{ role: 'assistant', content: 'Vigil watches LLMs.' }],
      // prompt_tokens include the cached ones, completion_tokens the reasoning ones
      usage: {
        input: usage.prompt_tokens - 4,
        cache_read: 4,
        output: usage.completion_tokens - 3,
        reasoning: 3,
      },
      usageEstimated: false,
      userId: 'user-42',
      sessionId: 'session-7',
      feature: 'support-chat',
      promptName: 'support',
      promptVersion: '3',
      tags: ['beta', 'eu'],
      ttftMs: null,
      metadata: { properties: { plan: 'pro' }, gateway: { upstreamStatus: 200, stream: false } },
    })
    expect(span!.costTotal).toBeGreaterThan(0)
    expect(span!.durationMs).toBeGreaterThanOrEqual(0)
  })

  it('streams chat deltas through and records text, streamed usage and time to first token', async () => {
    const { data: stream, response } = await h.openai.chat.completions
      .create(
        {
          model: 'gpt-4o-mini',
          stream: true,
          stream_options: { include_usage: true },
          messages: [{ role: 'user', content: 'stream it' }],
        },
        { headers: { 'x-fake-ttft-ms': '60', 'x-fake-chunk-delay-ms': '5' } },
      )
      .withResponse()
    let text = ''
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? ''
      if (chunk.usage) usage = chunk.usage
    }
    const [span] = await h.spans(response.headers.get('x-vigil-trace-id'))
    expect(span!.output).toEqual([{ role: 'assistant', content: text }])
    expect(span!.usage).toEqual({ input: usage!.prompt_tokens, output: usage!.completion_tokens })
    expect(span!.ttftMs).toBeGreaterThanOrEqual(55)
    expect(span!.ttftMs).toBeLessThan(span!.durationMs! + 1)
    expect(span!.metadata).toMatchObject({ gateway: { stream: true } })
  })

  it('estimates usage when a stream reports none, and marks it', async () => {
    const { data: stream, response } = await h.openai.chat.completions
      .create({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'no usage in this stream' }],
      })
      .withResponse()
    for await (const _ of stream) void _
    const [span] = await h.spans(response.headers.get('x-vigil-trace-id'))
    expect(span!.usageEstimated).toBe(true)
    expect(span!.usage!['output']).toBeGreaterThan(0)
  })

  it('records tool calls, streamed and not, as the client received them', async () => {
    const whole = await h.openai.chat.completions
      .create({
        model: 'gpt-4o',
        tools: [weather],
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
      })
      .withResponse()
    const call = whole.data.choices[0]!.message.tool_calls![0]!
    const [span] = await h.spans(whole.response.headers.get('x-vigil-trace-id'))
    expect(span!.finishReason).toBe('tool_calls')
    expect(span!.params).toMatchObject({ tools: [weather] })
    expect(span!.output).toEqual([
      {
        role: 'assistant',
        content: null,
        toolCalls: [
          {
            id: call.id,
            name: 'get_weather',
            arguments: call.type === 'function' ? call.function.arguments : '',
          },
        ],
      },
    ])

    const { data: stream, response } = await h.openai.chat.completions
      .create({
        model: 'gpt-4o',
        stream: true,
        tools: [weather],
        messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      })
      .withResponse()
    let args = ''
    for await (const chunk of stream) {
      args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? ''
    }
    const [streamed] = await h.spans(response.headers.get('x-vigil-trace-id'))
    const message = (streamed!.output as { toolCalls: { name: string; arguments: string }[] }[])[0]
    expect(message!.toolCalls[0]).toMatchObject({ name: 'get_weather', arguments: args })
    expect(streamed!.ttftMs).not.toBeNull()
  })

  it('records JSON mode, structured outputs and n > 1 choices', async () => {
    const json = await h.openai.chat.completions
      .create({
        model: 'gpt-4o-mini',
        n: 2,
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'answer',
            schema: { type: 'object', properties: { answer: { type: 'string' } } },
          },
        },
        messages: [{ role: 'user', content: 'Answer in JSON' }],
      })
      .withResponse()
    const [span] = await h.spans(json.response.headers.get('x-vigil-trace-id'))
    expect(span!.params).toMatchObject({ n: 2, response_format: { type: 'json_schema' } })
    const output = span!.output as { content: string }[]
    expect(output).toHaveLength(2)
    expect(output.map((m) => m.content)).toEqual(json.data.choices.map((c) => c.message.content))
    expect(() => JSON.parse(output[0]!.content)).not.toThrow()
  })

  it('records legacy completions, streamed and not', async () => {
    const whole = await h.openai.completions
      .create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say hello' })
      .withResponse()
    const [span] = await h.spans(whole.response.headers.get('x-vigil-trace-id'))
    expect(span).toMatchObject({
      name: 'openai.completions',
      input: 'Say hello',
      output: whole.data.choices[0]!.text,
    })
    const { data: stream, response } = await h.openai.completions
      .create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say hello slowly', stream: true })
      .withResponse()
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? ''
    const [streamed] = await h.spans(response.headers.get('x-vigil-trace-id'))
    expect(streamed).toMatchObject({ output: text })
    expect(streamed!.ttftMs).not.toBeNull()
  })

  it('records embeddings without storing the vectors', async () => {
    const res = await h.openai.embeddings
      .create({ model: 'text-embedding-3-small', input: ['alpha', 'beta'] })
      .withResponse()
    const [span] = await h.spans(res.response.headers.get('x-vigil-trace-id'))
    expect(span).toMatchObject({
      name: 'openai.embeddings',
      kind: 'embedding',
      output: null,
      usage: { input: res.data.usage.prompt_tokens, output: 0 },
      metadata: { embeddings: 2, dimensions: res.data.data[0]!.embedding.length },
    })
  })

  it('records the Responses API, streamed and not', async () => {
    const whole = await h.openai.responses
      .create({ model: 'gpt-4.1', instructions: 'Be brief.', input: 'Hi' })
      .withResponse()
    const [span] = await h.spans(whole.response.headers.get('x-vigil-trace-id'))
    expect(span).toMatchObject({
      name: 'openai.responses',
      input: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      output: [{ role: 'assistant', content: whole.data.output_text }],
      usage: { input: whole.data.usage!.input_tokens, output: whole.data.usage!.output_tokens },
    })
    const { data: stream, response } = await h.openai.responses
      .create(
        { model: 'gpt-4.1', input: 'Stream please', stream: true },
        { headers: { 'x-fake-ttft-ms': '30' } },
      )
      .withResponse()
    let text = ''
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta
    }
    const [streamed] = await h.spans(response.headers.get('x-vigil-trace-id'))
    expect(streamed!.output).toEqual([{ role: 'assistant', content: text }])
    expect(streamed!.ttftMs).toBeGreaterThanOrEqual(25)
    expect(streamed!.usage!['input']).toBeGreaterThan(0)
  })

  it('passes other paths through and records them as generic calls', async () => {
    const res = await h.openai.models.list().withResponse()
    expect(res.data.data.length).toBeGreaterThan(0)
    const [span] = await h.spans(res.response.headers.get('x-vigil-trace-id'))
    expect(span).toMatchObject({ name: 'openai GET /v1/models', kind: 'span', status: 'ok' })
  })

  it('forwards headers and body untouched except x-vigil-*', async () => {
    h.fake.clearRequests()
    await h.openai.chat.completions.create(
      { model: 'gpt-4o-mini', temperature: 0.2, messages: [{ role: 'user', content: 'ping' }] },
      { headers: { 'x-custom-app': 'yes', 'x-vigil-user-id': 'u1' } },
    )
    const [request] = h.fake.requests
    expect(request!.headers['x-custom-app']).toBe('yes')
    expect(request!.auth.authorization).toBe(true)
    expect(Object.keys(request!.headers).filter((k) => k.startsWith('x-vigil-'))).toEqual([])
    expect(request!.body).toEqual({
      model: 'gpt-4o-mini',
      temperature: 0.2,
      messages: [{ role: 'user', content: 'ping' }],
    })
  })
})
