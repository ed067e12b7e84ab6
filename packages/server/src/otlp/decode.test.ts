import { gzipSync } from 'node:zlib'
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer'
import { resourceFromAttributes } from '@opentelemetry/resources'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base'
import { isAppError } from '@vigil/core'
import protobuf from 'protobufjs/minimal.js'
import { describe, expect, it } from 'vitest'
import { decodeOtlpProtobuf } from './decode-protobuf.js'
import { parseOtlpJson } from './decode-json.js'
import { assertValidIds } from './validate-export.js'

/** Spans made by the real SDK, with every attribute type the SDK can carry. */
function sdkSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'decode-test', 'process.pid': 42 }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  })
  const tracer = provider.getTracer('decode-scope', '1.2.3')
  const root = tracer.startSpan('root', { kind: SpanKind.SERVER, startTime: 1_780_000_000_123 })
  root.setAttributes({
    str: 'héllo ✓',
    int: 42,
    negative: -7,
    double: 0.25,
    bool: true,
    strings: ['a', 'b'],
    numbers: [1, 2.5],
    big: 9_007_199_254_740_991,
  })
  root.addEvent(
    'gen_ai.evaluation.result',
    { 'gen_ai.evaluation.name': 'relevance' },
    1_780_000_000_200,
  )
  const child = tracer.startSpan(
    'child',
    { kind: SpanKind.CLIENT, startTime: 1_780_000_000_150 },
    trace.setSpan(context.active(), root),
  )
  child.end(1_780_000_000_180)
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' })
  root.end(1_780_000_000_300)
  return memory.getFinishedSpans()
}

describe('OTLP decoders', () => {
  it('decode the same spans identically from the official protobuf and JSON serializers', () => {
    const spans = sdkSpans()
    const pb = ProtobufTraceSerializer.serializeRequest(spans)!
    const json = JSON.parse(
      Buffer.from(JsonTraceSerializer.serializeRequest(spans)!).toString('utf8'),
    )
    const fromPb = decodeOtlpProtobuf(pb)
    const fromJson = parseOtlpJson(json)
    expect(fromPb).toEqual(fromJson)
    const root = fromPb.spans.find((s) => s.name === 'root')!
    expect(root).toMatchObject({
      kind: 'server',
      startTimeMs: 1_780_000_000_123,
      endTimeMs: 1_780_000_000_300,
      statusCode: 2,
      statusMessage: 'boom',
      scope: { name: 'decode-scope', version: '1.2.3' },
      parentSpanId: null,
    })
    expect(root.traceId).toMatch(/^[0-9a-f]{32}$/)
    expect(root.attributes).toEqual({
      str: 'héllo ✓',
      int: 42,
      negative: -7,
      double: 0.25,
      bool: true,
      strings: ['a', 'b'],
      numbers: [1, 2.5],
      big: 9_007_199_254_740_991,
    })
    expect(root.resource).toMatchObject({ 'service.name': 'decode-test', 'process.pid': 42 })
    expect(root.events).toEqual([
      {
        name: 'gen_ai.evaluation.result',
        timeMs: 1_780_000_000_200,
        attributes: { 'gen_ai.evaluation.name': 'relevance' },
      },
    ])
    const child = fromPb.spans.find((s) => s.name === 'child')!
    expect(child).toMatchObject({
      kind: 'client',
      parentSpanId: root.spanId,
      traceId: root.traceId,
    })
    expect(() => assertValidIds(fromPb)).not.toThrow()
  })

  it('decodes kvlist and bytes values, and skips unknown fields', () => {
    const w = protobuf.Writer.create()
    // ExportTraceServiceRequest.resource_spans → scope_spans → span
    const span = protobuf.Writer.create()
    span.uint32((1 << 3) | 2).bytes(Buffer.alloc(16, 1))
    span.uint32((2 << 3) | 2).bytes(Buffer.alloc(8, 2))
    span.uint32((5 << 3) | 2).string('s')
    span.uint32((99 << 3) | 0).uint32(5) // unknown field
    const kv = protobuf.Writer.create()
    kv.uint32((1 << 3) | 2).string('nested')
    const any = protobuf.Writer.create()
    const list = protobuf.Writer.create()
    const inner = protobuf.Writer.create()
    inner.uint32((1 << 3) | 2).string('k')
    inner.uint32((2 << 3) | 2).bytes(
      protobuf.Writer.create()
        .uint32((7 << 3) | 2)
        .bytes(Buffer.from('hi'))
        .finish(),
    )
    list.uint32((1 << 3) | 2).bytes(inner.finish())
    any.uint32((6 << 3) | 2).bytes(list.finish())
    kv.uint32((2 << 3) | 2).bytes(any.finish())
    span.uint32((9 << 3) | 2).bytes(kv.finish())
    const scopeSpans = protobuf.Writer.create()
      .uint32((2 << 3) | 2)
      .bytes(span.finish())
      .finish()
    const resourceSpans = protobuf.Writer.create()
      .uint32((2 << 3) | 2)
      .bytes(scopeSpans)
      .finish()
    w.uint32((1 << 3) | 2).bytes(resourceSpans)
    const decoded = decodeOtlpProtobuf(w.finish())
    expect(decoded.spans[0]!.attributes).toEqual({
      nested: { k: Buffer.from('hi').toString('base64') },
    })
    expect(decoded.spans[0]!.traceId).toBe('01'.repeat(16))
  })

  it('rejects bodies that are not an export, naming the problem', () => {
    for (const body of [
      Buffer.from('{"resourceSpans":[]}'),
      gzipSync('x'),
      Buffer.from([0x0a, 0xff, 0xff]),
    ]) {
      let error: unknown
      try {
        decodeOtlpProtobuf(body)
      } catch (e) {
        error = e
      }
      expect(isAppError(error, 'INVALID_INPUT')).toBe(true)
    }
    // a span field with the wrong wire type
    const span = protobuf.Writer.create()
      .uint32((7 << 3) | 0)
      .uint32(1)
      .finish()
    const scope = protobuf.Writer.create()
      .uint32((2 << 3) | 2)
      .bytes(span)
      .finish()
    const rs = protobuf.Writer.create()
      .uint32((2 << 3) | 2)
      .bytes(scope)
      .finish()
    const body = protobuf.Writer.create()
      .uint32((1 << 3) | 2)
      .bytes(rs)
      .finish()
    expect(() => decodeOtlpProtobuf(body)).toThrow(/wire type/)
  })

  it('accepts JSON variants real senders use: snake_case, enum names, base64 ids, string ints', () => {
    const data = parseOtlpJson({
      resource_spans: [
        {
          scope_spans: [
            {
              spans: [
                {
                  trace_id: Buffer.alloc(16, 0xab).toString('base64'),
                  span_id: 'ABCDEF0123456789',
                  name: 'x',
                  kind: 'SPAN_KIND_CLIENT',
                  start_time_unix_nano: '1780000000000000000',
                  status: { code: 'STATUS_CODE_OK' },
                  attributes: [{ key: 'n', value: { int_value: '12' } }],
                },
              ],
            },
          ],
        },
      ],
    })
    expect(data.spans[0]).toMatchObject({
      traceId: 'ab'.repeat(16),
      spanId: 'abcdef0123456789',
      kind: 'client',
      statusCode: 1,
      startTimeMs: 1_780_000_000_000,
      attributes: { n: 12 },
    })
  })

  it('rejects attributes sent as an object and invalid ids with a path', () => {
    const logsLike = {
      resourceSpans: [
        {
          scopeSpans: [
            { spans: [{ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), attributes: { a: 1 } }] },
          ],
        },
      ],
    }
    expect(() => parseOtlpJson(logsLike)).toThrow(
      /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.attributes/,
    )
    const badId = parseOtlpJson({
      resourceSpans: [
        { scopeSpans: [{ spans: [{ traceId: 'xyz', spanId: 'b'.repeat(16), name: 'n' }] }] },
      ],
    })
    expect(() => assertValidIds(badId)).toThrow(/span 0 \(n\) has a missing or invalid traceId/)
    const zero = parseOtlpJson({
      resourceSpans: [
        { scopeSpans: [{ spans: [{ traceId: '0'.repeat(32), spanId: 'b'.repeat(16) }] }] },
      ],
    })
    expect(() => assertValidIds(zero)).toThrow(/traceId/)
    expect(() => parseOtlpJson([1])).toThrow(/expected an object/)
  })
})
