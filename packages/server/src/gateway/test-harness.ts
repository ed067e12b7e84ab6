import { Writable } from 'node:stream'
import Anthropic from '@anthropic-ai/sdk'
import type { Span } from '@vigil/core'
import OpenAI from 'openai'
import { pino } from 'pino'
import { testConfig } from '../config.js'
import { startFakeLlm, type FakeLlm, type FakeLlmScript } from '../fake-llm/index.js'
import { startServer, type RunningServer } from '../main.js'
import { call, TEST_KEY } from '../testing.js'

/** Provider keys the tests send; no stored span or log line may ever contain them. */
export const OPENAI_KEY = 'sk-test-openai-provider-key-0123456789'
export const ANTHROPIC_KEY = 'sk-ant-test-provider-key-0123456789'

/** Vigil in front of the fake provider, with the official clients pointed at the gateway. */
export interface Harness {
  fake: FakeLlm
  server: RunningServer
  openai: OpenAI
  anthropic: Anthropic
  /** Every log line Vigil wrote (level trace). */
  logs: string[]
  /** Waits for recording, then returns the spans of a trace (throws if none). */
  spans(traceId: string | null): Promise<Span[]>
  close(): Promise<void>
}

/** Starts the fake provider and Vigil (memory storage) with both upstreams set to the fake. */
export async function startHarness(options: { script?: FakeLlmScript } = {}): Promise<Harness> {
  const fake = await startFakeLlm(options.script ? { script: options.script } : {})
  const logs: string[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'))
      done()
    },
  })
  const config = testConfig({
    apiKey: TEST_KEY,
    openaiBaseUrl: fake.url,
    anthropicBaseUrl: fake.url,
  })
  const server = await startServer(config, { logger: pino({ level: 'trace' }, sink) })
  const openai = new OpenAI({
    apiKey: OPENAI_KEY,
    baseURL: `${server.url}/proxy/openai/v1`,
    defaultHeaders: { 'x-vigil-key': TEST_KEY },
    maxRetries: 0,
  })
  const anthropic = new Anthropic({
    apiKey: ANTHROPIC_KEY,
    baseURL: `${server.url}/proxy/anthropic`,
    defaultHeaders: { 'x-vigil-key': TEST_KEY },
    maxRetries: 0,
  })
  return {
    fake,
    server,
    openai,
    anthropic,
    logs,
    async spans(traceId) {
      if (traceId === null) throw new Error('response had no x-vigil-trace-id')
      // a call is recorded once the gateway saw it end (a client's disconnect may still be
      // on its way), so poll briefly
      const deadline = Date.now() + 3000
      for (;;) {
        await server.app.gateway.flush()
        const res = await call(server, { method: 'GET', url: `/api/v1/traces/${traceId}` })
        if (res.statusCode === 200) return res.json<{ spans: Span[] }>().spans
        if (Date.now() > deadline)
          throw new Error(`trace ${traceId}: ${res.statusCode} ${res.body}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
    async close() {
      await server.close()
      await fake.close()
    },
  }
}
