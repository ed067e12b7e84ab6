import { context, trace } from '@opentelemetry/api'
import { OpenAIInstrumentation } from '@traceloop/instrumentation-openai'
import OpenAI from 'openai'
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
const instrumentation = new OpenAIInstrumentation({ traceContent: true })

beforeAll(async () => {
  h = await startHarness()
  enableContext()
  // openai 6 is loaded as ESM here; the require hook never sees it, so patch the class
  instrumentation.manuallyInstrument(OpenAI)
})
afterAll(() => h.close())

async function run(protocol: OtlpProtocol, stream: boolean) {
  const { provider, recorder, memory } = createTracerProvider([
    batch(createExporter(h.vigil, protocol)),
  ])
  instrumentation.setTracerProvider(provider)
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${h.fake.url}/v1`, maxRetries: 0 })
  const tracer = provider.getTracer('support-app')
  // what the Traceloop SDK's withWorkflow + association properties put on the spans
  const workflow = tracer.startSpan('support.workflow', {
    attributes: {
      'traceloop.span.kind': 'workflow',
      'traceloop.workflow.name': 'support-answer',
      'traceloop.association.properties.user_id': 'user-ll',
      'traceloop.association.properties.session_id': 'session-ll',
    },
  })
  await context.with(trace.setSpan(context.active(), workflow), async () => {
    const messages = [{ role: 'user' as const, content: QUESTION }]
    if (!stream) {
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages })
      return
    }
    const chunks = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
    })
    for await (const _ of chunks) void _
  })
  workflow.end()
  await provider.forceFlush()
  recordFixture(
    `openllmetry-chat${stream ? '-stream' : ''}`,
    memory,
    RECORD && protocol === 'protobuf',
  )
  await provider.shutdown()
  const [traceId] = [...recorder.traceIds]
  return readTrace(h.vigil, traceId!)
}

describe('OpenLLMetry @traceloop/instrumentation-openai → Vigil', () => {
  for (const protocol of ['protobuf', 'json'] as const) {
    it(`stores the chat call with model, messages, tokens, cost, user and session (${protocol})`, async () => {
      const { spans } = await run(protocol, false)
      const chat = spans.find((s) => s.kind === 'generation')!
      expect(chat).toMatchObject({ model: 'gpt-4o-mini', provider: 'openai', source: 'otlp' })
      expect(chat.input).toEqual([{ role: 'user', content: QUESTION }])
      expect(chat.output).toEqual([{ role: 'assistant', content: REPLY }])
      expect(chat.usageEstimated).toBe(false)
      expect(chat.usage!['input']).toBeGreaterThan(0)
      expect(chat.usage!['output']).toBeGreaterThan(0)
      expect(chat.costTotal).toBeGreaterThan(0)
      expect(chat).toMatchObject({
        userId: 'user-ll',
        sessionId: 'session-ll',
        feature: 'support-answer',
      })
      expect(chat.finishReason).toBe('stop')
    })
  }

  it('estimates tokens for a streamed call, which carries none, so cost is not zero', async () => {
    const { spans } = await run('protobuf', true)
    const chat = spans.find((s) => s.kind === 'generation')!
    expect(chat.output).toEqual([{ role: 'assistant', content: REPLY }])
    expect(chat.usageEstimated).toBe(true)
    expect(chat.usage!['output']).toBeGreaterThan(0)
    expect(chat.costTotal).toBeGreaterThan(0)
    expect(chat).toMatchObject({ userId: 'user-ll', sessionId: 'session-ll' })
  })
})
