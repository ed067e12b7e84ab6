import { gzipSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunningServer } from '../main.js'
import { call, startTestServer } from '../testing.js'

const span = (i: number, extra: Record<string, unknown> = {}) => ({
  traceId: `t${i}`,
  spanId: `s${i}`,
  name: 'chat',
  kind: 'generation',
  startTime: '2026-11-01T12:00:00.000Z',
  endTime: '2026-11-01T12:00:01.250Z',
  requestModel: 'gpt-4o-mini',
  input: [{ role: 'user', content: `question ${i}` }],
  output: [{ role: 'assistant', content: `answer ${i}` }],
  usage: { input: 10, output: 5 },
  userId: 'u1',
  ...extra,
})

describe('POST /api/v1/ingest', () => {
  let server: RunningServer
  beforeEach(async () => {
    server = await startTestServer()
  })
  afterEach(async () => {
    await server.close()
  })

  it('accepts a batch and makes it readable once acknowledged', async () => {
    const res = await call(server, {
      method: 'POST',
      url: '/api/v1/ingest',
      body: { spans: [span(1), span(2)] },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ accepted: 2, rejected: 0 })
    const trace = await call(server, { method: 'GET', url: '/api/v1/traces/t1' })
    expect(trace.statusCode).toBe(200)
    expect(trace.json().spans[0]).toMatchObject({
      spanId: 's1',
      durationMs: 1250,
      model: 'gpt-4o-mini',
      source: 'api',
    })
  })

  it('rejects only the bad item and names the item and the field', async () => {
    const bad = { ...span(3), startTime: 'yesterday-ish' }
    const res = await call(server, {
      method: 'POST',
      url: '/api/v1/ingest',
      body: { spans: [span(4), bad] },
    })
    expect(res.statusCode).toBe(207)
    const body = res.json()
    expect(body.accepted).toBe(1)
    expect(body.results[1]).toMatchObject({ type: 'span', index: 1, id: 's3', status: 'rejected' })
    expect(body.results[1].errors[0].path).toBe('spans[1].startTime')
    expect((await call(server, { method: 'GET', url: '/api/v1/traces/t3' })).statusCode).toBe(404)
  })

  it('answers 400 when every item is rejected and for an empty batch', async () => {
    const allBad = await call(server, {
      method: 'POST',
      url: '/api/v1/ingest',
      body: { spans: [{ traceId: 1 }] },
    })
    expect(allBad.statusCode).toBe(400)
    const empty = await call(server, { method: 'POST', url: '/api/v1/ingest', body: {} })
    expect(empty.statusCode).toBe(400)
    expect(empty.json().error.message).toMatch(/empty batch/)
  })

  it('rejects unknown top-level fields and non-object bodies with a readable message', async () => {
    const unknown = await call(server, {
      method: 'POST',
      url: '/api/v1/ingest',
      body: { spanz: [] },
    })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error.message).toMatch(/spanz/)
    const array = await call(server, { method: 'POST', url: '/api/v1/ingest', body: [1, 2] })
    expect(array.statusCode).toBe(400)
  })

  it('answers 400 for malformed JSON and 401 for a missing or wrong key', async () => {
    const malformed = await server.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: {
        authorization: 'Bearer vk_test_default_project_key',
        'content-type': 'application/json',
      },
      payload: '{"spans": [',
    })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json().error.code).toBe('INVALID_INPUT')
    const none = await call(server, {
      method: 'POST',
      url: '/api/v1/ingest',
      body: { spans: [span(5)] },
      key: null,
    })
    expect(none.statusCode).toBe(401)
    const wrong = await call(server, {
      method: 'POST',
      url: '/api/v1/ingest',
      body: { spans: [span(5)] },
      key: 'vk_nope',
    })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json().error.message).toMatch(/invalid or revoked/)
  })

  it('refuses __proto__ and constructor.prototype keys at any depth, and an empty body', async () => {
    const post = (payload: string) =>
      server.app.inject({
        method: 'POST',
        url: '/api/v1/ingest',
        headers: {
          authorization: 'Bearer vk_test_default_project_key',
          'content-type': 'application/json; charset=utf-8',
        },
        payload,
      })
    const valid = JSON.stringify({ spans: [span(6)] })
    for (const payload of [
      valid.replace('"spans"', '"__proto__":{"x":1},"spans"'),
      valid.replace('"input"', '"metadata":{"a":[{"constructor":{"prototype":{"p":1}}}]},"input"'),
      '',
    ]) {
      const res = await post(payload)
      expect(res.statusCode, payload.slice(0, 80)).toBe(400)
      expect(res.json().error.code).toBe('INVALID_INPUT')
    }
    // a plain "constructor" value is data, not an attack
    const ok = await post(valid.replace('"input"', '"metadata":{"constructor":"x"},"input"'))
    expect(ok.statusCode).toBe(200)
  })

  it('stores a retried batch once (idempotent by span id)', async () => {
    const body = { spans: [span(6)] }
    await call(server, { method: 'POST', url: '/api/v1/ingest', body })
    await call(server, { method: 'POST', url: '/api/v1/ingest', body })
    const page = await call(server, { method: 'GET', url: '/api/v1/spans?traceId=t6' })
    expect(page.json().data).toHaveLength(1)
  })

  it('accepts gzip bodies and answers 413 when the decoded body exceeds the limit', async () => {
    const zipped = gzipSync(JSON.stringify({ spans: [span(7)] }))
    const ok = await server.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: {
        authorization: 'Bearer vk_test_default_project_key',
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      payload: zipped,
    })
    expect(ok.statusCode).toBe(200)
    await server.close()
    server = await startTestServer({ bodyLimitBytes: 50_000 })
    // 1 MB of zeros gzips to ~1 KB: the limit must apply to the decoded size
    const bomb = gzipSync(JSON.stringify({ spans: [span(8, { name: 'x'.repeat(1_000_000) })] }))
    expect(bomb.length).toBeLessThan(50_000)
    const tooBig = await server.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: {
        authorization: 'Bearer vk_test_default_project_key',
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      payload: bomb,
    })
    expect(tooBig.statusCode).toBe(413)
    const corrupt = await server.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: {
        authorization: 'Bearer vk_test_default_project_key',
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      payload: Buffer.from('not gzip at all'),
    })
    expect(corrupt.statusCode).toBe(400)
  })

  it('copies trace-level fields onto every span of the trace in the batch', async () => {
    const root = span(9, {
      traceId: 'tw',
      spanId: 'root',
      sessionId: 'sess',
      feature: 'faq',
      userId: 'alice',
    })
    const child = span(10, {
      traceId: 'tw',
      spanId: 'child',
      parentSpanId: 'root',
      userId: undefined,
    })
    await call(server, { method: 'POST', url: '/api/v1/ingest', body: { spans: [root, child] } })
    const trace = (await call(server, { method: 'GET', url: '/api/v1/traces/tw' })).json()
    const byId = Object.fromEntries(trace.spans.map((s: { spanId: string }) => [s.spanId, s]))
    expect(byId.child).toMatchObject({ userId: 'alice', sessionId: 'sess', feature: 'faq' })
    expect(trace.tree).toEqual([{ spanId: 'root', children: [{ spanId: 'child', children: [] }] }])
  })

  it('turns feedback into user scores, with the edit distance to the recorded output', async () => {
    await call(server, { method: 'POST', url: '/api/v1/ingest', body: { spans: [span(11)] } })
    const res = await call(server, {
      method: 'POST',
      url: '/api/v1/ingest',
      body: {
        feedback: [
          { traceId: 't11', kind: 'thumbs', value: 'down', comment: 'wrong' },
          { traceId: 't11', kind: 'edit', finalText: 'answer 11!' },
        ],
        scores: [{ traceId: 't11', spanId: 's11', name: 'quality', value: 0.4, source: 'judge' }],
      },
    })
    expect(res.statusCode).toBe(200)
    const scores = (await call(server, { method: 'GET', url: '/api/v1/traces/t11' })).json().scores
    const byName = Object.fromEntries(scores.map((s: { name: string }) => [s.name, s]))
    expect(byName['feedback.thumbs']).toMatchObject({
      source: 'user',
      dataType: 'boolean',
      value: 0,
      explanation: 'wrong',
    })
    expect(byName['feedback.edit']).toMatchObject({ value: 1 })
    expect(byName['quality']).toMatchObject({ source: 'judge', value: 0.4 })
  })

  it('answers 503 with Retry-After when the commit backlog is full', async () => {
    await server.close()
    server = await startTestServer({ maxPendingRows: 1 })
    // the store commits only when the test lets it, so the first request's row stays pending
    const events = server.deps.storage.events
    const append = events.append.bind(events)
    let release = (): void => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    events.append = (batch) => gate.then(() => append(batch))
    try {
      const pending = Promise.all(
        [1, 2, 3, 4].map((i) =>
          call(server, { method: 'POST', url: '/api/v1/ingest', body: { spans: [span(20 + i)] } }),
        ),
      )
      await expect.poll(() => server.deps.committer.stats().refused).toBe(3)
      release()
      const results = await pending
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 503, 503, 503])
      const refused = results.find((r) => r.statusCode === 503)!
      expect(refused.headers['retry-after']).toBe('1')
      expect(JSON.stringify(refused.json())).toMatch(/overloaded/)
    } finally {
      events.append = append
    }
  })

  it('reports failing health after commits fail in a row, and ok again once one succeeds', async () => {
    const events = server.deps.storage.events
    const append = events.append.bind(events)
    events.append = () => Promise.reject(new Error('Failed to commit: failed to pin block'))
    try {
      for (let i = 0; i < 3; i += 1) {
        const res = await call(server, {
          method: 'POST',
          url: '/api/v1/ingest',
          body: { spans: [span(i)] },
        })
        expect(res.statusCode).toBe(503)
        expect(res.headers['retry-after']).toBeDefined()
      }
      const failing = await call(server, { method: 'GET', url: '/healthz', key: null })
      expect(failing.statusCode).toBe(503)
      expect(failing.json()).toMatchObject({ status: 'failing' })
      expect(failing.json().reason).toMatch(/last 3 commits failed/)
      // the store's own message stays in the log, not on an unauthenticated endpoint
      expect(failing.body).not.toMatch(/pin block/)
    } finally {
      events.append = append
    }
    const res = await call(server, {
      method: 'POST',
      url: '/api/v1/ingest',
      body: { spans: [span(9)] },
    })
    expect(res.statusCode).toBe(200)
    const health = await call(server, { method: 'GET', url: '/healthz', key: null })
    expect(health.statusCode).toBe(200)
    expect(health.json()).toMatchObject({ status: 'ok' })
  })
})
