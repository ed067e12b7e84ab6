import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SCRIPT_HEADERS, startFakeLlm, type FakeLlm } from './index.js'

let fake: FakeLlm
let openai: OpenAI
let anthropic: Anthropic

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] }
const message = { model: 'claude-haiku-4-5', max_tokens: 256, messages: chat.messages }

beforeAll(async () => {
  fake = await startFakeLlm({
    script: {
      rules: [
        { match: /refund/i, reply: 'Refunds take 5 days.' },
        { match: 'weather', reply: 'Sunny.', model: 'gpt-4o-mini-2024-07-18' },
      ],
    },
  })
  openai = new OpenAI({ apiKey: 'sk-test', baseURL: `${fake.url}/v1`, maxRetries: 0 })
  // the 1.x client sends apiKey as a bearer token; x-api-key is what older clients send
  anthropic = new Anthropic({
    apiKey: null,
    authToken: null,
    defaultHeaders: { 'x-api-key': 'sk-ant' },
    baseURL: fake.url,
    maxRetries: 0,
  })
})
afterAll(() => fake.close())

const ask = (content: string, headers: Record<string, string> = {}) =>
  openai.chat.completions.create(
    { model: 'gpt-4o-mini', messages: [{ role: 'user', content }] },
    { headers },
  )

describe('scripting', () => {
  it('the first rule matching the last user message picks the reply', async () => {
    expect((await ask('How do I get a REFUND?')).choices[0]!.message.content).toBe(
      'Refunds take 5 days.',
    )
    const weather = await ask("What's the weather?")
    expect(weather.choices[0]!.message.content).toBe('Sunny.')
    expect(weather.model).toBe('gpt-4o-mini-2024-07-18')
    expect((await ask('anything else')).choices[0]!.message.content).toMatch(/fake LLM/)
  })

  it('headers override reply, model and token details per request', async () => {
    const res = await ask('refund please', {
      [SCRIPT_HEADERS.reply]: 'From a header.',
      [SCRIPT_HEADERS.model]: 'gpt-4o-2024-08-06',
      [SCRIPT_HEADERS.cachedTokens]: '1024',
      [SCRIPT_HEADERS.reasoningTokens]: '64',
    })
    expect(res.choices[0]!.message.content).toBe('From a header.')
    expect(res.model).toBe('gpt-4o-2024-08-06')
    expect(res.usage!.prompt_tokens_details!.cached_tokens).toBe(1024)
    expect(res.usage!.prompt_tokens).toBeGreaterThan(1024)
    expect(res.usage!.completion_tokens_details!.reasoning_tokens).toBe(64)
    expect(res.usage!.completion_tokens).toBeGreaterThan(64)
  })

  it('x-fake-script carries a whole script, rules included', async () => {
    const script = { rules: [{ match: '^ping$', reply: 'pong' }], chunks: 2 }
    const stream = await openai.chat.completions.create(
      { ...chat, messages: [{ role: 'user', content: 'ping' }], stream: true },
      { headers: { [SCRIPT_HEADERS.script]: JSON.stringify(script) } },
    )
    const deltas: string[] = []
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content
      if (content) deltas.push(content)
    }
    expect(deltas).toEqual(['po', 'ng'])
  })

  it('usage can be switched off everywhere', async () => {
    const headers = { [SCRIPT_HEADERS.usage]: 'off' }
    const res = await openai.chat.completions.create(chat, { headers })
    expect(res.usage).toBeUndefined()
    const stream = await openai.chat.completions.create(
      { ...chat, stream: true, stream_options: { include_usage: true } },
      { headers },
    )
    for await (const chunk of stream) expect(chunk.usage ?? null).toBeNull()
    const msg = await anthropic.messages.create(message, { headers })
    expect(msg.usage).toBeUndefined()
    const events = await anthropic.messages.create({ ...message, stream: true }, { headers })
    for await (const event of events) {
      if (event.type === 'message_start') expect(event.message.usage).toBeUndefined()
      if (event.type === 'message_delta') expect(event.usage).toBeUndefined()
    }
    const emb = await openai.embeddings.create(
      { model: 'text-embedding-3-small', input: 'x' },
      { headers },
    )
    expect(emb.usage).toBeUndefined()
  })

  it('accepts scripted latency, time to first token and chunk delays', async () => {
    const stream = await openai.chat.completions.create(
      { ...chat, stream: true },
      {
        headers: {
          [SCRIPT_HEADERS.latencyMs]: '5',
          [SCRIPT_HEADERS.ttftMs]: '5',
          [SCRIPT_HEADERS.chunkDelayMs]: '1',
          [SCRIPT_HEADERS.reply]: 'one two three',
        },
      },
    )
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    expect(text).toBe('one two three')
  })

  it('a hung request times out in the client', async () => {
    const impatient = new OpenAI({
      apiKey: 'sk-test',
      baseURL: `${fake.url}/v1`,
      maxRetries: 0,
      timeout: 200,
    })
    await expect(
      impatient.chat.completions.create(chat, { headers: { [SCRIPT_HEADERS.hang]: '1' } }),
    ).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError)
  })

  it('a connection dropped mid-stream surfaces as a client error', async () => {
    const headers = { [SCRIPT_HEADERS.dropAfterChunks]: '2' }
    const stream = await openai.chat.completions.create({ ...chat, stream: true }, { headers })
    const received: string[] = []
    const consume = async (): Promise<void> => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '')
    }
    await expect(consume()).rejects.toThrow()
    expect(received.join('')).toBe('This is')
    const events = await anthropic.messages.create({ ...message, stream: true }, { headers })
    const drain = async (): Promise<void> => {
      for await (const _ of events) void _
    }
    await expect(drain()).rejects.toThrow()
    await expect(openai.chat.completions.create(chat, { headers })).rejects.toThrow()
  })

  it('setScript changes the behaviour of later requests', async () => {
    const before = fake.script
    fake.setScript({ reply: 'Changed.' })
    try {
      expect((await ask('hi')).choices[0]!.message.content).toBe('Changed.')
    } finally {
      fake.setScript(before)
    }
  })
})

describe('token counting', () => {
  it('uses gpt-tokenizer when asked', async () => {
    const counted = await startFakeLlm({
      tokenCounting: 'tokenizer',
      script: { reply: 'Hello world' },
    })
    try {
      const client = new OpenAI({ apiKey: 'k', baseURL: `${counted.url}/v1`, maxRetries: 0 })
      const res = await client.chat.completions.create(chat)
      expect(res.usage!.completion_tokens).toBe(2)
    } finally {
      await counted.close()
    }
  })
})

describe('request log', () => {
  it('records method, path, headers without secrets, and the parsed body', async () => {
    fake.clearRequests()
    await ask('logged', { 'x-app': 'demo' })
    await anthropic.messages.create(message)
    const [first, second] = fake.requests
    expect(first).toMatchObject({ method: 'POST', path: '/v1/chat/completions' })
    expect(first!.headers['x-app']).toBe('demo')
    expect(first!.headers.authorization).toBeUndefined()
    expect(first!.auth).toEqual({ authorization: true, apiKey: false })
    expect(first!.body).toMatchObject({ messages: [{ role: 'user', content: 'logged' }] })
    expect(second!.headers['x-api-key']).toBeUndefined()
    expect(second!.auth).toEqual({ authorization: false, apiKey: true })
    expect(JSON.stringify(fake.requests)).not.toContain('sk-ant')
  })

  it('keeps only the newest requests in a bounded ring', async () => {
    const small = await startFakeLlm({ maxRecordedRequests: 3 })
    try {
      const client = new OpenAI({ apiKey: 'k', baseURL: `${small.url}/v1`, maxRetries: 0 })
      for (const content of ['1', '2', '3', '4', '5']) {
        await client.chat.completions.create({ ...chat, messages: [{ role: 'user', content }] })
      }
      const contents = small.requests.map(
        (r) => (r.body as { messages: { content: string }[] }).messages[0]!.content,
      )
      expect(contents).toEqual(['3', '4', '5'])
    } finally {
      await small.close()
    }
  })
})
