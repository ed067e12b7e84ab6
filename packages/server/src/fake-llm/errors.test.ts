import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeLlm, type FakeLlm } from './index.js'

let fake: FakeLlm
const openai = (apiKey = 'good-key', maxRetries = 0): OpenAI =>
  new OpenAI({ apiKey, baseURL: `${fake.url}/v1`, maxRetries })
const anthropic = (apiKey = 'good-key'): Anthropic =>
  new Anthropic({ apiKey, authToken: null, baseURL: fake.url, maxRetries: 0 })

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] }
const message = { model: 'claude-haiku-4-5', max_tokens: 64, messages: chat.messages }

beforeAll(async () => {
  fake = await startFakeLlm({
    apiKeys: ['good-key'],
    models: ['gpt-4o-mini', 'claude-haiku-4-5'],
  })
})
afterAll(() => fake.close())

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (err) {
    return err
  }
  throw new Error('expected the call to fail')
}

describe('errors surface as the clients’ typed errors', () => {
  it('401 for a bad key', async () => {
    const err = await caught(openai('sk-wrong-key-123').chat.completions.create(chat))
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError)
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('invalid_api_key')
    const aerr = await caught(anthropic('wrong').messages.create(message))
    expect(aerr).toBeInstanceOf(Anthropic.AuthenticationError)
    expect((aerr as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error' },
    })
  })

  it('404 for an unknown model', async () => {
    const err = await caught(openai().chat.completions.create({ ...chat, model: 'gpt-9' }))
    expect(err).toBeInstanceOf(OpenAI.NotFoundError)
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('model_not_found')
    const aerr = await caught(anthropic().messages.create({ ...message, model: 'claude-9' }))
    expect(aerr).toBeInstanceOf(Anthropic.NotFoundError)
    const retrieve = await caught(openai().models.retrieve('gpt-9'))
    expect(retrieve).toBeInstanceOf(OpenAI.NotFoundError)
  })

  it('429 with retry-after', async () => {
    const err = await caught(
      openai().chat.completions.create(chat, {
        headers: { 'x-fake-error-status': '429', 'x-fake-retry-after': '7' },
      }),
    )
    expect(err).toBeInstanceOf(OpenAI.RateLimitError)
    const rate = err as InstanceType<typeof OpenAI.RateLimitError>
    expect(rate.headers.get('retry-after')).toBe('7')
    expect(rate.type).toBe('requests')
    const aerr = await caught(
      anthropic().messages.create(message, { headers: { 'x-fake-error-status': '429' } }),
    )
    expect(aerr).toBeInstanceOf(Anthropic.RateLimitError)
    expect((aerr as InstanceType<typeof Anthropic.APIError>).headers?.get('retry-after')).toBe('1')
  })

  it('500, and 529 overloaded for Anthropic', async () => {
    const headers = { 'x-fake-error-status': '500' }
    const err = await caught(openai().chat.completions.create(chat, { headers }))
    expect(err).toBeInstanceOf(OpenAI.InternalServerError)
    const overloaded = await caught(
      anthropic().messages.create(message, { headers: { 'x-fake-error-status': '529' } }),
    )
    expect(overloaded).toBeInstanceOf(Anthropic.OverloadedError)
    expect((overloaded as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { type: 'overloaded_error', message: 'Overloaded' },
    })
  })

  it('streams fail before the first event with the same typed error', async () => {
    const err = await caught(
      openai().chat.completions.create(
        { ...chat, stream: true },
        { headers: { 'x-fake-error-status': '503' } },
      ),
    )
    expect(err).toBeInstanceOf(OpenAI.InternalServerError)
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(503)
  })

  it('a scripted body replaces the provider shape', async () => {
    const err = await caught(
      openai().chat.completions.create(chat, {
        headers: {
          'x-fake-error-status': '400',
          'x-fake-error-body':
            '{"error":{"message":"context too long","code":"context_length_exceeded"}}',
        },
      }),
    )
    expect(err).toBeInstanceOf(OpenAI.BadRequestError)
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('context_length_exceeded')
  })

  it('an error scripted with `times` stops after that many requests (so retries succeed)', async () => {
    fake.setScript({ error: { status: 500, times: 1, retryAfterSeconds: 0 } })
    try {
      const res = await openai('good-key', 1).chat.completions.create(chat)
      expect(res.choices[0]!.message.content).toBeTruthy()
      expect(fake.requests.slice(-2).map((r) => r.path)).toEqual([
        '/v1/chat/completions',
        '/v1/chat/completions',
      ])
    } finally {
      fake.setScript({})
    }
  })

  it('malformed scripting headers and bodies answer 400', async () => {
    const err = await caught(
      openai().chat.completions.create(chat, { headers: { 'x-fake-script': '{"nope":1}' } }),
    )
    expect(err).toBeInstanceOf(OpenAI.BadRequestError)
    expect((err as Error).message).toContain('x-fake-script')
    const missing = await caught(
      anthropic().messages.create({ model: 'claude-haiku-4-5', messages: [] } as never),
    )
    expect(missing).toBeInstanceOf(Anthropic.BadRequestError)
  })
})
