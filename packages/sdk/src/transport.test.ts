import { afterEach, describe, expect, it } from 'vitest'
import { acceptAll, closedPort, startStub, type StubAnswer } from '../test/harness.js'
import { createHttpTransport, parseRetryAfter } from './transport.js'

let stub: Awaited<ReturnType<typeof startStub>> | undefined
afterEach(async () => {
  await stub?.close()
  stub = undefined
})

async function sendTo(answer: StubAnswer, json = '{"spans":[{"spanId":"a"}]}') {
  stub = await startStub(() => answer)
  const transport = createHttpTransport({
    endpoint: new URL(stub.url),
    apiKey: 'k1',
    timeoutMs: 2000,
  })
  try {
    return await transport.send(json)
  } finally {
    transport.close()
  }
}

const results = (rejected: boolean) => ({
  accepted: rejected ? 0 : 1,
  rejected: rejected ? 1 : 0,
  results: [{ type: 'span', index: 0, id: 'a', status: rejected ? 'rejected' : 'accepted' }],
})

describe('http transport', () => {
  it('posts to /api/v1/ingest under the endpoint path with the key, gzipping large bodies', async () => {
    stub = await startStub((_n, request) => acceptAll(request))
    const transport = createHttpTransport({
      endpoint: new URL(`${stub.url}/vigil`),
      apiKey: 'k1',
      timeoutMs: 2000,
    })
    const big = JSON.stringify({ spans: [{ spanId: 'b', input: 'x'.repeat(5000) }] })
    expect((await transport.send('{"spans":[{"spanId":"a"}]}')).kind).toBe('accepted')
    expect((await transport.send(big)).kind).toBe('accepted')
    transport.close()
    const [small, large] = stub.requests
    expect(small!.url).toBe('/vigil/api/v1/ingest')
    expect(small!.headers['authorization']).toBe('Bearer k1')
    expect(small!.headers['content-encoding']).toBeUndefined()
    expect(large!.headers['content-encoding']).toBe('gzip')
    expect(large!.rawBytes).toBeLessThan(big.length / 10)
    expect(large!.body.spans![0]!['input']).toHaveLength(5000)
  })

  it('classifies answers: 200, 207, 400 with results, other 4xx, 429 and 5xx', async () => {
    expect(await sendTo({ status: 200, body: results(false) })).toMatchObject({ kind: 'accepted' })
    expect(await sendTo({ status: 207, body: results(true) })).toMatchObject({ kind: 'partial' })
    expect(await sendTo({ status: 400, body: results(true) })).toMatchObject({ kind: 'partial' })
    const bad = await sendTo({
      status: 400,
      body: { error: { code: 'INVALID_INPUT', message: 'empty batch' } },
    })
    expect(bad).toMatchObject({ kind: 'rejected', error: { code: 'INVALID_INPUT' } })
    const unauthorized = await sendTo({
      status: 401,
      body: { error: { code: 'UNAUTHORIZED', message: 'invalid key' } },
    })
    expect(unauthorized).toMatchObject({ kind: 'rejected', error: { code: 'UNAUTHORIZED' } })
    expect(await sendTo({ status: 429, headers: { 'retry-after': '2' } })).toMatchObject({
      kind: 'retry',
      retryAfterMs: 2000,
      error: { code: 'RATE_LIMITED' },
    })
    expect(await sendTo({ status: 503, headers: { 'retry-after': '1' } })).toMatchObject({
      kind: 'retry',
      retryAfterMs: 1000,
      error: { code: 'UNAVAILABLE' },
    })
    expect(await sendTo({ status: 500 })).toMatchObject({ kind: 'retry', retryAfterMs: undefined })
  })

  it('treats a refused connection as retryable', async () => {
    const transport = createHttpTransport({
      endpoint: new URL(`http://127.0.0.1:${await closedPort()}`),
      apiKey: 'k',
      timeoutMs: 2000,
    })
    expect(await transport.send('{}')).toMatchObject({
      kind: 'retry',
      error: { code: 'UNAVAILABLE' },
    })
    transport.close()
  })

  it('gives up on a request that gets no answer in time', async () => {
    stub = await startStub(() => new Promise(() => {}))
    const transport = createHttpTransport({
      endpoint: new URL(stub.url),
      apiKey: 'k',
      timeoutMs: 100,
    })
    const outcome = await transport.send('{}')
    transport.close()
    expect(outcome).toMatchObject({
      kind: 'retry',
      error: { message: expect.stringMatching(/100 ms/) },
    })
  })

  it('reads Retry-After as seconds or an HTTP date, capped at a minute', () => {
    expect(parseRetryAfter('3')).toBe(3000)
    expect(parseRetryAfter('100000')).toBe(60_000)
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000)
    expect(parseRetryAfter('soon')).toBeUndefined()
    expect(parseRetryAfter(undefined)).toBeUndefined()
  })
})
