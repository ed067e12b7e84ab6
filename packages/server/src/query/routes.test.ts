import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../main.js'
import { call, startTestServer } from '../testing.js'

const T0 = Date.UTC(2026, 10, 3, 9, 0, 0)
const span = (i: number, extra: Record<string, unknown> = {}) => ({
  traceId: `q${i}`,
  spanId: `s${i}`,
  name: 'chat',
  kind: 'generation',
  startTime: T0 + i * 1000,
  endTime: T0 + i * 1000 + 500,
  requestModel: i % 2 ? 'gpt-4o' : 'claude-3-5-sonnet-20241022',
  provider: i % 2 ? 'openai' : 'anthropic',
  userId: i % 3 ? 'alice' : 'bob',
  input: [{ role: 'user', content: `Question number ${i} about Zanzibar` }],
  output: [{ role: 'assistant', content: i === 4 ? 'Refunds take 5 days' : `Answer ${i}` }],
  usage: { input: 20, output: 10 },
  ...extra,
})

describe('query API', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startTestServer()
    const spans = Array.from({ length: 12 }, (_, i) => span(i, i === 5 ? { status: 'error' } : {}))
    const scores = [
      { traceId: 'q3', name: 'quality', value: 0.2 },
      { traceId: 'q6', name: 'quality', value: 0.9 },
    ]
    const res = await call(server, {
      method: 'POST',
      url: '/api/v1/ingest',
      body: { spans, scores },
    })
    expect(res.statusCode).toBe(200)
  })
  afterAll(async () => {
    await server.close()
  })

  const list = async (qs: string) => {
    const res = await call(server, { method: 'GET', url: `/api/v1/spans?${qs}` })
    expect(res.statusCode).toBe(200)
    return res.json<{
      data: { spanId: string; costTotal: number | null }[]
      nextCursor: string | null
    }>()
  }

  it('filters by model, user, status, time, text and score', async () => {
    expect((await list('model=gpt-4o')).data.map((s) => s.spanId)).toEqual([
      's11',
      's9',
      's7',
      's5',
      's3',
      's1',
    ])
    expect((await list('userId=bob')).data).toHaveLength(4)
    expect((await list('status=error')).data.map((s) => s.spanId)).toEqual(['s5'])
    expect((await list(`from=${T0 + 10_000}`)).data.map((s) => s.spanId)).toEqual(['s11', 's10'])
    expect(
      (await list(`to=${new Date(T0 + 2000).toISOString()}`)).data.map((s) => s.spanId),
    ).toEqual(['s1', 's0'])
    expect((await list('q=refunds')).data.map((s) => s.spanId)).toEqual(['s4'])
    expect((await list('scoreName=quality&scoreMax=0.5')).data.map((s) => s.spanId)).toEqual(['s3'])
  })

  it('prices spans from known models on the way in', async () => {
    const { data } = await list('traceId=q1')
    expect(data[0]?.costTotal).toBeGreaterThan(0)
  })

  it('pages with an opaque cursor until the end', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page = await list(`limit=5${cursor ? `&cursor=${cursor}` : ''}`)
      seen.push(...page.data.map((s) => s.spanId))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toHaveLength(12)
    expect(new Set(seen).size).toBe(12)
  })

  it('rejects bad query parameters with the field named', async () => {
    const bad = await call(server, { method: 'GET', url: '/api/v1/spans?limit=100000' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.issues[0].path).toBe('query.limit')
    const unknown = await call(server, { method: 'GET', url: '/api/v1/spans?colour=red' })
    expect(unknown.statusCode).toBe(400)
    const cursor = await call(server, { method: 'GET', url: '/api/v1/spans?cursor=garbage' })
    expect(cursor.statusCode).toBe(400)
  })

  it('answers 404 for an unknown trace and serves the OpenAPI document and health', async () => {
    expect((await call(server, { method: 'GET', url: '/api/v1/traces/nope' })).statusCode).toBe(404)
    const health = await call(server, { method: 'GET', url: '/healthz', key: null })
    expect(health.json()).toMatchObject({ status: 'ok' })
    const openapi = (
      await call(server, { method: 'GET', url: '/api/v1/openapi.json', key: null })
    ).json()
    expect(openapi.openapi).toBe('3.0.3')
    const ingestBody =
      openapi.paths['/api/v1/ingest'].post.requestBody.content['application/json'].schema
    expect(ingestBody.properties.spans.items.required).toEqual(
      expect.arrayContaining(['traceId', 'spanId', 'name', 'startTime']),
    )
    expect(
      openapi.paths['/api/v1/spans'].get.parameters.map((p: { name: string }) => p.name),
    ).toContain('scoreName')
  })
})
