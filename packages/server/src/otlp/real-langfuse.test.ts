import { LangfuseSpanProcessor } from '@langfuse/otel'
import {
  propagateAttributes,
  setLangfuseTracerProvider,
  startActiveObservation,
  startObservation,
} from '@langfuse/tracing'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_KEY } from '../testing.js'
import {
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

const LANGFUSE_PATH = '/api/public/otel/v1/traces'
const basic = `Basic ${Buffer.from(`pk-lf-test:${TEST_KEY}`).toString('base64')}`

/** Langfuse's processor as users configure it: its own JSON exporter, or a protobuf one. */
function langfuseProcessor(protocol: OtlpProtocol): LangfuseSpanProcessor {
  const keys = { publicKey: 'pk-lf-test', secretKey: TEST_KEY, baseUrl: h.vigil.url }
  if (protocol === 'json') return new LangfuseSpanProcessor(keys)
  const exporter = createExporter(h.vigil, 'protobuf', {
    path: LANGFUSE_PATH,
    headers: { authorization: basic },
  })
  return new LangfuseSpanProcessor({ ...keys, exporter })
}

async function run(protocol: OtlpProtocol) {
  const { provider, recorder, memory } = createTracerProvider([langfuseProcessor(protocol)])
  setLangfuseTracerProvider(provider)
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${h.fake.url}/v1`, maxRetries: 0 })
  const messages = [{ role: 'user' as const, content: QUESTION }]
  await propagateAttributes({ userId: 'user-lf', sessionId: 'session-lf', tags: ['faq'] }, () =>
    startActiveObservation('answer-question', async (root) => {
      root.update({ input: { question: QUESTION } })
      const generation = startObservation(
        'llm-call',
        { model: 'gpt-4o-mini', input: messages, modelParameters: { temperature: 0 } },
        { asType: 'generation' },
      )
      const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages })
      generation
        .update({
          output: res.choices[0]!.message,
          usageDetails: {
            input: res.usage!.prompt_tokens,
            output: res.usage!.completion_tokens,
            total: res.usage!.total_tokens,
          },
        })
        .end()
      root.update({ output: { answer: res.choices[0]!.message.content } })
    }),
  )
  await provider.forceFlush()
  recordFixture('langfuse-generation', memory, RECORD && protocol === 'json')
  await provider.shutdown()
  const [traceId] = [...recorder.traceIds]
  return readTrace(h.vigil, traceId!)
}

describe('@langfuse/tracing + @langfuse/otel → Vigil at the Langfuse OTel path', () => {
  for (const protocol of ['json', 'protobuf'] as const) {
    it(`stores the generation with model, messages, tokens, cost, user and session (${protocol})`, async () => {
      const { spans } = await run(protocol)
      expect(spans).toHaveLength(2)
      const generation = spans.find((s) => s.kind === 'generation')!
      expect(generation).toMatchObject({ model: 'gpt-4o-mini', name: 'llm-call', source: 'otlp' })
      expect(generation.input).toEqual([{ role: 'user', content: QUESTION }])
      expect(generation.output).toEqual([{ role: 'assistant', content: REPLY }])
      expect(generation.params).toEqual({ temperature: 0 })
      expect(generation.usageEstimated).toBe(false)
      expect(generation.usage!['input']).toBeGreaterThan(0)
      expect(generation.usage!['output']).toBeGreaterThan(0)
      expect(generation.costTotal).toBeGreaterThan(0)
      for (const span of spans) {
        expect(span).toMatchObject({ userId: 'user-lf', sessionId: 'session-lf', tags: ['faq'] })
      }
      const root = spans.find((s) => s.parentSpanId === null)!
      expect(root.input).toBe(JSON.stringify({ question: QUESTION }))
    })
  }
})
