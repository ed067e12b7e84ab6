import { request as httpRequest } from 'node:http'
import { gzipSync } from 'node:zlib'
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base'
import protobuf from 'protobufjs/minimal.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../main.js'
import { call, startTestServer, TEST_KEY } from '../testing.js'

const PB = 'application/x-protobuf'

function chatSpans(evaluationName = 'relevance'): ReadableSpan[] {
  const memory = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] })
  const span = provider.getTracer('t').startSpan('chat gpt-4o-mini', {
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 5,
      'user.id': 'u-routes',
    },
  })
  span.addEvent('gen_ai.evaluation.result', {
    'gen_ai.evaluation.name': evaluationName,
    'gen_ai.evaluation.score.value': 1,
  })
  span.end()
  return memory.getFinishedSpans()
}

const protobufBody = (spans: ReadableSpan[]) =>
  Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!)
const jsonBody = (spans: ReadableSpan[]) =>
  Buffer.from(JsonTraceSerializer.serializeRequest(spans)!)

/** Decodes a `google.rpc.Status` body: code (1) and message (2). */
function decodeStatus(body: Buffer): { code: number; message: string } {
  const reader = protobuf.Reader.create(body)
  const status = { code: 0, message: '' }
  while (reader.pos < reader.len) {
    const tag = reader.uint32()
    if (tag >>> 3 === 1) status.code = reader.int32()
    else if (tag >>> 3 === 2) status.message = reader.string()
    else reader.skipType(tag & 7)
  }
  return status
}

let server: RunningServer
beforeAll(async () => {
  server = await startTestServer({ bodyLimitBytes: 200_000 })
})
afterAll(() => server.close())

const post = (url: string, payload: Buffer, headers: Record<string, string>) =>
  server.app.inject({ method: 'POST', url, payload, headers })

describe('POST /v1/traces', () => {
  it('accepts gzip protobuf, answers an empty protobuf response, stores the span', async () => {
    const spans = chatSpans()
    const res = await post('/v1/traces', gzipSync(protobufBody(spans)), {
      'content-type': PB,
      'content-encoding': 'gzip',
      authorization: `Bearer ${TEST_KEY}`,
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain(PB)
    expect(res.rawPayload.length).toBe(0)
    const traceId = spans[0]!.spanContext().traceId
    const trace = (await call(server, { method: 'GET', url: `/api/v1/traces/${traceId}` })).json()
    expect(trace.spans[0]).toMatchObject({ kind: 'generation', source: 'otlp', userId: 'u-routes' })
    expect(trace.scores[0]).toMatchObject({ name: 'relevance', value: 1 })
  })

  it('answers JSON with partial success naming what was rejected', async () => {
    const res = await post('/v1/traces', jsonBody(chatSpans('x'.repeat(300))), {
      'content-type': 'application/json',
      'x-vigil-key': TEST_KEY,
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      partialSuccess: {
        rejectedSpans: '0',
        errorMessage: expect.stringMatching(/1 item\(s\) rejected; score 0: scores\[0\]\.name/),
      },
    })
  })

  it('answers malformed exports with 400 in the request encoding', async () => {
    const bad = await post('/v1/traces', Buffer.from([0x0a, 0xff, 0xff]), {
      'content-type': PB,
      authorization: `Bearer ${TEST_KEY}`,
    })
    expect(bad.statusCode).toBe(400)
    expect(decodeStatus(bad.rawPayload)).toEqual({
      code: 3,
      message: expect.stringMatching(/not an OTLP protobuf/),
    })
    const logs = {
      resourceLogs: [] as unknown[],
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), attributes: { level: 'info' } },
              ],
            },
          ],
        },
      ],
    }
    const json = await post('/v1/traces', Buffer.from(JSON.stringify(logs)), {
      'content-type': 'application/json',
      authorization: `Bearer ${TEST_KEY}`,
    })
    expect(json.statusCode).toBe(400)
    expect(json.json()).toMatchObject({
      code: 3,
      error: {
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/attributes: expected an array/),
      },
    })
  })

  it('checks the key: none → 401, Basic public:secret works on both paths', async () => {
    const body = protobufBody(chatSpans())
    const none = await post('/v1/traces', body, { 'content-type': PB })
    expect(none.statusCode).toBe(401)
    expect(decodeStatus(none.rawPayload).code).toBe(16)
    const basic = `Basic ${Buffer.from(`pk-lf-anything:${TEST_KEY}`).toString('base64')}`
    for (const url of ['/api/public/otel/v1/traces', '/v1/traces']) {
      expect((await post(url, body, { 'content-type': PB, authorization: basic })).statusCode).toBe(
        200,
      )
    }
    const wrong = `Basic ${Buffer.from('pk:sk-wrong').toString('base64')}`
    expect(
      (await post('/api/public/otel/v1/traces', body, { 'content-type': PB, authorization: wrong }))
        .statusCode,
    ).toBe(401)
  })

  it('limits the decoded size (413) and the media type (415)', async () => {
    const big = gzipSync(Buffer.alloc(1_000_000, 1))
    const tooBig = await post('/v1/traces', big, {
      'content-type': PB,
      'content-encoding': 'gzip',
      authorization: `Bearer ${TEST_KEY}`,
    })
    expect(tooBig.statusCode).toBe(413)
    const text = await post('/v1/traces', Buffer.from('hi'), {
      'content-type': 'text/plain',
      authorization: `Bearer ${TEST_KEY}`,
    })
    expect(text.statusCode).toBe(415)
    const empty = await post('/v1/traces', Buffer.alloc(0), {
      'content-type': PB,
      authorization: `Bearer ${TEST_KEY}`,
    })
    expect(empty.statusCode).toBe(200)
  })

  it('accepts a chunked body with no Content-Length, as the OTel JS exporters send it', async () => {
    const body = protobufBody(chatSpans())
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/v1/traces`, {
        method: 'POST',
        headers: {
          'content-type': PB,
          authorization: `Bearer ${TEST_KEY}`,
          'transfer-encoding': 'chunked',
        },
      })
      req.on('response', (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.write(body.subarray(0, 10))
      req.end(body.subarray(10))
    })
    expect(status).toBe(200)
  })
})
