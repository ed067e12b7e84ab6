import Anthropic from '@anthropic-ai/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_KEY } from '../testing.js'
import { ANTHROPIC_KEY, startHarness, type Harness } from './test-harness.js'

const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: {
    type: 'object' as const,
    properties: { city: { type: 'string' } },
    required: ['city'],
  },
}

describe('gateway: Anthropic Messages API through the official client', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness()
  })
  afterAll(async () => {
    await h.close()
  })

  it('records a message with cache buckets that are never priced twice', async () => {
    h.fake.clearRequests()
    const { data, response } = await h.anthropic.messages
      .create(
        {
          model: 'claude-sonnet-4-5',
          max_tokens: 256,
          system: 'You are terse.',
          messages: [{ role: 'user', content: 'Hello' }],
        },
        {
          headers: {
            'x-fake-cached-tokens': '5',
            'x-fake-cache-write-tokens': '2',
            'x-vigil-user-id': 'u-anthropic',
          },
        },
      )
      .withResponse()
    // the 1.x client sends its key as a Bearer token: forwarded as it came
    expect(h.fake.requests[0]!.auth).toEqual({ authorization: true, apiKey: false })
    const [span] = await h.spans(response.headers.get('x-vigil-trace-id'))
    const text = data.content[0]?.type === 'text' ? data.content[0].text : ''
    expect(span).toMatchObject({
      name: 'anthropic.messages',
      provider: 'anthropic',
      status: 'ok',
      requestModel: 'claude-sonnet-4-5',
      input: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hello' },
      ],
      output: [{ role: 'assistant', content: text }],
      finishReason: 'end_turn',
      // Anthropic's input_tokens already exclude cache reads and writes
      usage: {
        input: data.usage.input_tokens,
        output: data.usage.output_tokens,
        cache_read: 5,
        cache_write: 2,
      },
      userId: 'u-anthropic',
    })
    expect(span!.costTotal).toBeGreaterThan(0)
  })

  it('records streamed tool use with time to first token', async () => {
    const { data: stream, response } = await h.anthropic.messages
      .create(
        {
          model: 'claude-haiku-4-5',
          max_tokens: 256,
          stream: true,
          tools: [weatherTool],
          messages: [{ role: 'user', content: 'Weather in Rome?' }],
        },
        { headers: { 'x-fake-ttft-ms': '40' } },
      )
      .withResponse()
    let json = ''
    let outputTokens = 0
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') {
        json += event.delta.partial_json
      }
      if (event.type === 'message_delta') outputTokens = event.usage.output_tokens
    }
    const [span] = await h.spans(response.headers.get('x-vigil-trace-id'))
    expect(span!.output).toEqual([
      {
        role: 'assistant',
        content: null,
        toolCalls: [{ id: expect.any(String), name: 'get_weather', arguments: json }],
      },
    ])
    expect(span!.finishReason).toBe('tool_use')
    expect(span!.usage!['output']).toBe(outputTokens)
    expect(span!.ttftMs).toBeGreaterThanOrEqual(35)
  })

  it('records a tool result turn as a tool message', async () => {
    const { response } = await h.anthropic.messages
      .create({
        model: 'claude-sonnet-4-5',
        max_tokens: 64,
        tools: [weatherTool],
        messages: [
          { role: 'user', content: 'Weather in Rome?' },
          {
            role: 'assistant',
            content: [
              { type: 'tool_use', id: 'tu_1', name: 'get_weather', input: { city: 'Rome' } },
            ],
          },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'tu_1', content: 'sunny' }],
          },
        ],
      })
      .withResponse()
    const [span] = await h.spans(response.headers.get('x-vigil-trace-id'))
    expect(span!.input).toEqual([
      { role: 'user', content: 'Weather in Rome?' },
      {
        role: 'assistant',
        content: null,
        toolCalls: [{ id: 'tu_1', name: 'get_weather', arguments: '{"city":"Rome"}' }],
      },
      { role: 'tool', content: 'sunny', toolCallId: 'tu_1' },
    ])
  })

  it('accepts older clients: provider key in x-api-key, Vigil key as the Bearer token', async () => {
    h.fake.clearRequests()
    const old = new Anthropic({
      apiKey: null,
      authToken: TEST_KEY,
      baseURL: `${h.server.url}/proxy/anthropic`,
      defaultHeaders: { 'x-api-key': ANTHROPIC_KEY },
      maxRetries: 0,
    })
    const { response } = await old.messages
      .create({
        model: 'claude-haiku-4-5',
        max_tokens: 32,
        messages: [{ role: 'user', content: 'hi' }],
      })
      .withResponse()
    // Vigil's key is not forwarded; the provider key is
    expect(h.fake.requests[0]!.auth).toEqual({ authorization: false, apiKey: true })
    const [span] = await h.spans(response.headers.get('x-vigil-trace-id'))
    expect(span!.status).toBe('ok')
  })
})
