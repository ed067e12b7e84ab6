import { setSession, setUser } from '@arizeai/openinference-core'
import { OpenAIInstrumentation } from '@arizeai/openinference-instrumentation-openai'
import { context } from '@opentelemetry/api'
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
const instrumentation = new OpenAIInstrumentation()

beforeAll(async () => {
  h = await startHarness()
  enableContext()
  // an ESM import of openai loads its .mjs build, which the require hook never patches
  instrumentation.manuallyInstrument(OpenAI)
})
afterAll(() => h.close())

async function run(
  protocol: OtlpProtocol,
  call: (client: OpenAI) => Promise<unknown>,
  fixture: string,
) {
  const { provider, recorder, memory } = createTracerProvider([
    batch(createExporter(h.vigil, protocol)),
  ])
  instrumentation.setTracerProvider(provider)
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${h.fake.url}/v1`, maxRetries: 0 })
  const ctx = setSession(setUser(context.active(), { userId: 'user-oi' }), {
    sessionId: 'session-oi',
  })
  await context.with(ctx, () => call(client))
  await provider.forceFlush()
  recordFixture(fixture, memory, RECORD)
  await provider.shutdown()
  const [traceId] = [...recorder.traceIds]
  return readTrace(h.vigil, traceId!)
}

const messages = [
  { role: 'system' as const, content: 'Answer briefly.' },
  { role: 'user' as const, content: QUESTION },
]

describe('OpenInference @arizeai/openinference-instrumentation-openai → Vigil', () => {
  for (const protocol of ['protobuf', 'json'] as const) {
    it(`stores the chat call with model, messages, tokens, cost, user and session (${protocol})`, async () => {
      const { spans } = await run(
        protocol,
        (c) => c.chat.completions.create({ model: 'gpt-4o-mini', messages }),
        'openinference-chat',
      )
      expect(spans).toHaveLength(1)
      const chat = spans[0]!
      expect(chat).toMatchObject({
        kind: 'generation',
        model: 'gpt-4o-mini',
        provider: 'openai',
        source: 'otlp',
      })
      expect(chat.input).toEqual([
        { role: 'system', content: 'Answer briefly.' },
        { role: 'user', content: QUESTION },
      ])
      expect(chat.output).toEqual([{ role: 'assistant', content: REPLY }])
      expect(chat.usageEstimated).toBe(false)
      expect(chat.usage!['input']).toBeGreaterThan(0)
      expect(chat.usage!['output']).toBeGreaterThan(0)
      expect(chat.costTotal).toBeGreaterThan(0)
      expect(chat).toMatchObject({ userId: 'user-oi', sessionId: 'session-oi' })
      // the whole request/response bodies are not kept twice once the messages are read
      expect(JSON.stringify(chat.metadata)).not.toContain('input.value')
    })
  }

  it('estimates tokens for a streamed call (plain-text output, no counts)', async () => {
    const { spans } = await run(
      'json',
      async (c) => {
        const stream = await c.chat.completions.create({
          model: 'gpt-4o-mini',
          messages,
          stream: true,
        })
        for await (const _ of stream) void _
      },
      'openinference-chat-stream',
    )
    const chat = spans[0]!
    expect(chat.output).toBeTruthy()
    expect(JSON.stringify(chat.output)).toContain(REPLY)
    expect(chat.usageEstimated).toBe(true)
    expect(chat.costTotal).toBeGreaterThan(0)
    expect(chat).toMatchObject({ userId: 'user-oi', sessionId: 'session-oi' })
  })

  it('stores an embeddings call as an embedding span with its input text', async () => {
    const { spans } = await run(
      'protobuf',
      (c) => c.embeddings.create({ model: 'text-embedding-3-small', input: 'hello world' }),
      'openinference-embeddings',
    )
    const embedding = spans[0]!
    expect(embedding).toMatchObject({
      kind: 'embedding',
      model: 'text-embedding-3-small',
      input: 'hello world',
    })
    expect(embedding.usage!['input']).toBeGreaterThan(0)
    // vectors are not stored
    expect(JSON.stringify(embedding.metadata)).not.toContain('embedding.vector')
  })
})
