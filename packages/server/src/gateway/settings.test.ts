import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call } from '../testing.js'
import { startHarness, type Harness } from './test-harness.js'

describe('gateway settings, custom prices and redaction', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness()
  })
  afterAll(async () => {
    await h.close()
  })

  it('lists, sets and resets the upstream per provider', async () => {
    const list = await call(h.server, { method: 'GET', url: '/api/v1/gateway/upstreams' })
    expect(list.json().data).toEqual([
      { provider: 'openai', baseUrl: h.fake.url, timeoutMs: 600_000, source: 'default' },
      { provider: 'anthropic', baseUrl: h.fake.url, timeoutMs: 600_000, source: 'default' },
    ])
    const put = await call(h.server, {
      method: 'PUT',
      url: '/api/v1/gateway/upstreams/openai',
      body: { baseUrl: `${h.fake.url}/v1`, timeoutMs: 5000 },
    })
    expect(put.json()).toEqual({
      provider: 'openai',
      baseUrl: `${h.fake.url}/v1`,
      timeoutMs: 5000,
      source: 'project',
    })
    // a base URL written the SDK way (…/v1) still reaches /v1/chat/completions
    const answer = await h.openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'via the project upstream' }],
    })
    expect(answer.choices[0]?.message.content).toBeTruthy()
    expect(h.fake.requests.at(-1)?.path).toBe('/v1/chat/completions')
    const del = await call(h.server, { method: 'DELETE', url: '/api/v1/gateway/upstreams/openai' })
    expect(del.statusCode).toBe(204)
    const again = await call(h.server, {
      method: 'DELETE',
      url: '/api/v1/gateway/upstreams/openai',
    })
    expect(again.statusCode).toBe(404)
  })

  it('rejects bad upstream settings with a readable error', async () => {
    const bad = await call(h.server, {
      method: 'PUT',
      url: '/api/v1/gateway/upstreams/openai',
      body: { baseUrl: 'ftp://example.com' },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toContain('baseUrl')
    const unknown = await call(h.server, {
      method: 'PUT',
      url: '/api/v1/gateway/upstreams/mistral',
      body: { baseUrl: 'http://127.0.0.1:1' },
    })
    expect(unknown.statusCode).toBe(404)
  })

  it('prices calls with a custom price that wins over the bundled one', async () => {
    const put = await call(h.server, {
      method: 'PUT',
      url: '/api/v1/prices/gpt-4o-mini',
      body: { input: 1000, output: 2000 },
    })
    expect(put.statusCode).toBe(200)
    expect(put.json()).toMatchObject({
      model: 'gpt-4o-mini',
      input: 1000,
      output: 2000,
      version: 1,
    })
    const slash = await call(h.server, {
      method: 'PUT',
      url: '/api/v1/prices/meta-llama/Llama-3.1-8B',
      body: { input: 0.1, output: 0.2 },
    })
    expect(slash.json()).toMatchObject({ model: 'meta-llama/Llama-3.1-8B' })
    const got = await call(h.server, {
      method: 'GET',
      url: '/api/v1/prices/meta-llama/Llama-3.1-8B',
    })
    expect(got.statusCode).toBe(200)
    const listed = await call(h.server, { method: 'GET', url: '/api/v1/prices' })
    expect(
      listed
        .json()
        .data.map((p: { model: string }) => p.model)
        .sort(),
    ).toEqual(['gpt-4o-mini', 'meta-llama/Llama-3.1-8B'])
    const { data, response } = await h.openai.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'price me' }] })
      .withResponse()
    const [span] = await h.spans(response.headers.get('x-vigil-trace-id'))
    const expected = (data.usage!.prompt_tokens * 1000 + data.usage!.completion_tokens * 2000) / 1e6
    expect(span!.costTotal).toBeCloseTo(expected, 9)
    expect(span!.metadata).toMatchObject({ 'vigil.price_source': 'custom' })
    const bad = await call(h.server, {
      method: 'PUT',
      url: '/api/v1/prices/x',
      body: { input: -1 },
    })
    expect(bad.statusCode).toBe(400)
    expect(
      (await call(h.server, { method: 'DELETE', url: '/api/v1/prices/gpt-4o-mini' })).statusCode,
    ).toBe(204)
    expect(
      (await call(h.server, { method: 'GET', url: '/api/v1/prices/gpt-4o-mini' })).statusCode,
    ).toBe(404)
  })

  it('records an unknown model with an unknown cost, never zero', async () => {
    const { response } = await h.openai.chat.completions
      .create({ model: 'my-finetune-xyz', messages: [{ role: 'user', content: 'who prices me?' }] })
      .withResponse()
    const [span] = await h.spans(response.headers.get('x-vigil-trace-id'))
    expect(span!.usage!['input']).toBeGreaterThan(0)
    expect(span!.costTotal).toBeNull()
  })

  it('redacts emails, phone numbers and card numbers before storage when enabled', async () => {
    const off = await call(h.server, { method: 'GET', url: '/api/v1/privacy/redaction' })
    expect(off.json()).toEqual({ enabled: false })
    const bad = await call(h.server, {
      method: 'PUT',
      url: '/api/v1/privacy/redaction',
      body: { enabled: true, types: ['shoe_size'] },
    })
    expect(bad.statusCode).toBe(400)
    const on = await call(h.server, {
      method: 'PUT',
      url: '/api/v1/privacy/redaction',
      body: { enabled: true },
    })
    expect(on.statusCode).toBe(200)
    const prompt = 'Mail jane.doe@example.com, call +1 415 555 0132, card 4111 1111 1111 1111.'
    const { data, response } = await h.openai.chat.completions
      .create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] },
        { headers: { 'x-fake-reply': 'I will email jane.doe@example.com now.' } },
      )
      .withResponse()
    // the app gets the real answer; only what is stored is redacted
    expect(data.choices[0]?.message.content).toBe('I will email jane.doe@example.com now.')
    const [span] = await h.spans(response.headers.get('x-vigil-trace-id'))
    expect(span!.input).toEqual([
      { role: 'user', content: 'Mail [EMAIL], call [PHONE], card [CREDIT_CARD].' },
    ])
    expect(span!.output).toEqual([{ role: 'assistant', content: 'I will email [EMAIL] now.' }])
    await call(h.server, {
      method: 'PUT',
      url: '/api/v1/privacy/redaction',
      body: { enabled: false },
    })
  })

  it('describes every new route in the OpenAPI document', async () => {
    const doc = (await call(h.server, { method: 'GET', url: '/api/v1/openapi.json' })).json()
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/gateway/upstreams/{provider}',
        '/api/v1/gateway/stats',
        '/api/v1/privacy/redaction',
        '/api/v1/prices/{model}',
      ]),
    )
    expect(doc.paths['/api/v1/prices/{model}'].put.requestBody).toBeDefined()
  })
})
