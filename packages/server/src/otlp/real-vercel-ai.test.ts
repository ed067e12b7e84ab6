import { createOpenAICompatible } from '@ai-sdk/openai-compatible'
import { LegacyOpenTelemetry, OpenTelemetry } from '@ai-sdk/otel'
import { context, trace, type Tracer } from '@opentelemetry/api'
import type { Span } from '@vigil/core'
import { generateText, streamText, type Telemetry } from 'ai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  batch,
  createExporter,
  createTracerProvider,
  enableContext,
  QUESTION,
  readTrace,
  recordFixture,
  REPLY,
  startHarness,
  type Harness,
  type OtlpProtocol,
} from './testing/harness.js'

let h: Harness
const RECORD = process.env['VIGIL_RECORD_OTLP_FIXTURES'] === '1'

beforeAll(async () => {
  h = await startHarness()
  enableContext()
})
afterAll(() => h.close())

type Integration = 'OpenTelemetry' | 'LegacyOpenTelemetry'

async function run(protocol: OtlpProtocol, integration: Integration, stream = false) {
  const { provider, recorder, memory } = createTracerProvider([
    batch(createExporter(h.vigil, protocol)),
  ])
  const tracer: Tracer = provider.getTracer('app')
  const fake = createOpenAICompatible({
    name: 'fake',
    baseURL: `${h.fake.url}/v1`,
    apiKey: 'sk-test',
    includeUsage: true,
  })
  const telemetry: Telemetry =
    integration === 'OpenTelemetry'
      ? new OpenTelemetry({ tracer, runtimeContext: true })
      : new LegacyOpenTelemetry({ tracer })
  const options = {
    model: fake('gpt-4o-mini'),
    system: 'Answer briefly.',
    prompt: QUESTION,
    telemetry: {
      isEnabled: true,
      functionId: 'support-answer',
      integrations: [telemetry],
      includeRuntimeContext: { userId: true, sessionId: true },
    },
    runtimeContext: { userId: 'user-v', sessionId: 'session-v' },
  }
  // the legacy integration has no user/session attributes: an app's own request span carries them
  const request = tracer.startSpan('POST /answer', {
    attributes: { 'user.id': 'user-v', 'session.id': 'session-v' },
  })
  await context.with(trace.setSpan(context.active(), request), async () => {
    if (!stream) return void (await generateText(options))
    const result = streamText(options)
    for await (const _ of result.textStream) void _
  })
  request.end()
  await provider.forceFlush()
  const fixture = `vercel-${integration === 'OpenTelemetry' ? 'otel' : 'legacy'}${stream ? '-stream' : ''}`
  recordFixture(fixture, memory, RECORD && protocol === 'protobuf')
  await provider.shutdown()
  const [traceId] = [...recorder.traceIds]
  return readTrace(h.vigil, traceId!)
}

function expectOneLlmCall(spans: Span[]): Span {
  const priced = spans.filter((s) => s.usage !== null)
  expect(priced).toHaveLength(1)
  const call = priced[0]!
  expect(call).toMatchObject({ kind: 'generation', model: 'gpt-4o-mini', provider: 'fake' })
  expect(JSON.stringify(call.input)).toContain(QUESTION)
  expect(JSON.stringify(call.input)).toContain('Answer briefly.')
  expect(JSON.stringify(call.output)).toContain(REPLY)
  expect(call.usageEstimated).toBe(false)
  expect(call.usage!['input']).toBeGreaterThan(0)
  expect(call.usage!['output']).toBeGreaterThan(0)
  expect(call.costTotal).toBeGreaterThan(0)
  // the wrapper repeated the usage: it is kept for display but not summed
  const total = spans.reduce((sum, s) => sum + (s.costTotal ?? 0), 0)
  expect(total).toBe(call.costTotal)
  for (const span of spans) expect(span).toMatchObject({ userId: 'user-v', sessionId: 'session-v' })
  return call
}

describe('Vercel AI SDK 7 with @ai-sdk/otel → Vigil', () => {
  for (const protocol of ['protobuf', 'json'] as const) {
    for (const integration of ['OpenTelemetry', 'LegacyOpenTelemetry'] as const) {
      it(`counts the call once with model, messages, tokens, cost, user and session (${integration}, ${protocol})`, async () => {
        const { spans } = await run(protocol, integration)
        const call = expectOneLlmCall(spans)
        const wrapper = spans.find((s) => s.metadata?.['aggregateUsage'] !== undefined)
        expect(wrapper).toMatchObject({ kind: 'agent', usage: null, costTotal: null })
        expect(call.finishReason).toBe('stop')
      })
    }
  }

  it('streams: usage once, time to first token recorded', async () => {
    const { spans } = await run('protobuf', 'OpenTelemetry', true)
    const call = expectOneLlmCall(spans)
    expect(call.ttftMs).not.toBeNull()
  })
})
