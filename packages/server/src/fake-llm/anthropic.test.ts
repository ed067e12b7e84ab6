import Anthropic from '@anthropic-ai/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeLlm, type FakeLlm } from './index.js'

let fake: FakeLlm
let client: Anthropic

beforeAll(async () => {
  fake = await startFakeLlm({
    script: { reply: 'Bonjour from the fake.', cachedTokens: 40, cacheWriteTokens: 10 },
  })
  client = new Anthropic({
    apiKey: 'sk-ant-test',
    authToken: null,
    baseURL: fake.url,
    maxRetries: 0,
  })
})
afterAll(() => fake.close())

const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: {
    type: 'object' as const,
    properties: { city: { type: 'string' } },
    required: ['city'],
  },
}

describe('messages', () => {
  it('answers with a text block and cache-aware usage', async () => {
    const msg = await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 256,
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Say hello in French.' }],
    })
    expect(msg.type).toBe('message')
    expect(msg.id).toMatch(/^msg_01/)
    expect(msg.role).toBe('assistant')
    expect(msg.content).toEqual([{ type: 'text', text: 'Bonjour from the fake.' }])
    expect(msg.stop_reason).toBe('end_turn')
    expect(msg.usage.input_tokens).toBeGreaterThan(0)
    expect(msg.usage.cache_read_input_tokens).toBe(40)
    expect(msg.usage.cache_creation_input_tokens).toBe(10)
    expect(msg.usage.output_tokens).toBeGreaterThan(0)
  })

  it('streams the real event sequence', async () => {
    const stream = await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Say hello in French.' }],
      stream: true,
    })
    const types: string[] = []
    let text = ''
    for await (const event of stream) {
      types.push(event.type)
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        text += event.delta.text
      }
      if (event.type === 'message_start')
        expect(event.message.usage.cache_read_input_tokens).toBe(40)
      if (event.type === 'message_delta') {
        expect(event.delta.stop_reason).toBe('end_turn')
        expect(event.usage.output_tokens).toBeGreaterThan(1)
      }
    }
    expect(text).toBe('Bonjour from the fake.')
    expect(types[0]).toBe('message_start')
    expect(types[1]).toBe('content_block_start')
    expect(types.filter((t) => t === 'content_block_delta').length).toBeGreaterThan(1)
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop'])
  })

  it('the stream helper accumulates the final message', async () => {
    const stream = client.messages.stream({
      model: 'claude-haiku-4-5',
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Say hello in French.' }],
    })
    const final = await stream.finalMessage()
    expect(final.content).toEqual([{ type: 'text', text: 'Bonjour from the fake.' }])
    expect(final.usage.output_tokens).toBeGreaterThan(1)
  })

  it('uses a tool, streamed as input_json_delta and not', async () => {
    const msg = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 256,
      tools: [weatherTool],
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
    })
    expect(msg.stop_reason).toBe('tool_use')
    expect(msg.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: { city: 'example' },
    })
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 256,
      tools: [weatherTool],
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
    })
    const partials: string[] = []
    stream.on('inputJson', (partial) => partials.push(partial))
    const final = await stream.finalMessage()
    expect(partials.length).toBeGreaterThan(1)
    expect(final.content[0]).toMatchObject({ type: 'tool_use', input: { city: 'example' } })
  })

  it('answers in text after a tool result', async () => {
    const msg = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 256,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} }],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '12C' }],
        },
      ],
    })
    expect(msg.content).toEqual([{ type: 'text', text: 'Bonjour from the fake.' }])
  })

  it('stops at max_tokens', async () => {
    const msg = await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 2,
      messages: [{ role: 'user', content: 'hi' }],
    })
    expect(msg.stop_reason).toBe('max_tokens')
  })

  it('accepts the key as x-api-key or as Authorization: Bearer', async () => {
    const viaHeader = new Anthropic({
      apiKey: null,
      authToken: null,
      defaultHeaders: { 'x-api-key': 'sk-ant-test' },
      baseURL: fake.url,
      maxRetries: 0,
    })
    const viaBearer = new Anthropic({
      apiKey: null,
      authToken: 'sk-ant-test',
      baseURL: fake.url,
      maxRetries: 0,
    })
    const body = {
      model: 'claude-haiku-4-5',
      max_tokens: 64,
      messages: [{ role: 'user' as const, content: 'hi' }],
    }
    await viaHeader.messages.create(body)
    expect(fake.requests.at(-1)!.auth).toEqual({ authorization: false, apiKey: true })
    await viaBearer.messages.create(body)
    expect(fake.requests.at(-1)!.auth).toEqual({ authorization: true, apiKey: false })
  })

  it('lists models in Anthropic shape', async () => {
    const ids = []
    for await (const model of client.models.list()) ids.push(model.id)
    expect(ids).toContain('claude-sonnet-4-6')
  })
})
