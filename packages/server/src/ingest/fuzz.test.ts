import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../main.js'
import { call, startTestServer, TEST_KEY } from '../testing.js'

const validSpan = {
  traceId: 'fz',
  spanId: 'root',
  name: 'chat',
  kind: 'generation',
  startTime: '2026-11-01T00:00:00Z',
  input: [{ role: 'user', content: 'hi' }],
  usage: { input: 1, output: 1 },
}

/** Valid spans with one field replaced by an arbitrary value, at any depth we know. */
const mutatedSpan = fc
  .tuple(
    fc.constantFrom(
      ...Object.keys(validSpan),
      'usage.input',
      'input.0.role',
      'input.0.content',
      'extra',
      'endTime',
      'status',
      'tags',
    ),
    fc.oneof(
      fc.jsonValue(),
      fc.string({ maxLength: 3000 }),
      fc.double(),
      fc.constant(null),
      fc.array(fc.anything(), { maxLength: 5 }),
    ),
  )
  .map(([path, value]) => {
    const span = structuredClone(validSpan) as Record<string, unknown>
    const parts = path.split('.')
    let target: Record<string, unknown> = span
    for (const part of parts.slice(0, -1)) target = target[part] as Record<string, unknown>
    target[parts[parts.length - 1]!] = value
    return { spans: [span] }
  })

/** Raw JSON nested up to 20k levels in each free-form place (too deep to build as objects). */
const deepNesting = fc
  .tuple(
    fc.integer({ min: 30, max: 20_000 }),
    fc.constantFrom('metadata', 'params', 'part', 'spans'),
  )
  .map(([depth, where]) => {
    const deep = '{"a":'.repeat(depth) + '"leaf"' + '}'.repeat(depth)
    const span = (extra: string) => `{"traceId":"d","spanId":"d","name":"c","startTime":1${extra}}`
    if (where === 'spans') return `{"spans":${'['.repeat(depth)}${']'.repeat(depth)}}`
    if (where === 'part') {
      return `{"spans":[${span(`,"input":[{"role":"user","content":[{"type":"text","x":${deep}}]}]`)}]}`
    }
    return `{"spans":[${span(`,"${where}":${deep}`)}]}`
  })

const rawBodies = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1)),
  fc.constantFrom(
    '{',
    '[',
    'null',
    '"x"',
    '{"spans": null}',
    '{"__proto__": {"a": 1}}',
    '\u0000\u0001',
  ),
)

describe('ingest under malformed input', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startTestServer({ bodyLimitBytes: 2_000_000 })
  })
  afterAll(async () => {
    await server.close()
  })

  it('answers every malformed payload with a 4xx and a message, then still ingests valid data', async () => {
    const statuses = new Map<number, number>()
    const record = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1)
    const bodies = fc.oneof(
      mutatedSpan,
      fc.jsonValue(),
      fc.anything().map((v) => ({ spans: [v] })),
    )
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const res = await call(server, { method: 'POST', url: '/api/v1/ingest', body })
        record(res.statusCode)
        expect(
          res.statusCode === 200 ||
            res.statusCode === 207 ||
            (res.statusCode >= 400 && res.statusCode < 500),
        ).toBe(true)
        if (res.statusCode >= 400) expect(res.json().error.message.length).toBeGreaterThan(5)
      }),
      { numRuns: 2500 },
    )
    await fc.assert(
      fc.asyncProperty(fc.oneof(rawBodies, deepNesting), async (raw) => {
        const res = await server.app.inject({
          method: 'POST',
          url: '/api/v1/ingest',
          headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
          payload: raw,
        })
        record(res.statusCode)
        expect(res.statusCode).toBeGreaterThanOrEqual(400)
        expect(res.statusCode).toBeLessThan(500)
      }),
      { numRuns: 1000 },
    )
    // mostly rejections, and no 5xx at all
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true)
    const ok = await call(server, {
      method: 'POST',
      url: '/api/v1/ingest',
      body: { spans: [{ ...validSpan, traceId: 'after-fuzz' }] },
    })
    expect(ok.statusCode).toBe(200)
    expect(
      (await call(server, { method: 'GET', url: '/api/v1/traces/after-fuzz' })).statusCode,
    ).toBe(200)
  })
})
