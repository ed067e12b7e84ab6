import { writeFileSync } from 'node:fs'
import { context, type Context } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer'
import { resourceFromAttributes } from '@opentelemetry/resources'
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node'
import type { Score, Span as VigilSpan } from '@vigil/core'
import { startFakeLlm, type FakeLlm } from '../../fake-llm/index.js'
import type { RunningServer } from '../../main.js'
import { call, startTestServer, TEST_KEY } from '../../testing.js'

/*
 * Real instrumentation against real servers: a Vigil server in-process on memory storage, the
 * fake LLM provider, and an OpenTelemetry SDK exporting to Vigil with the real OTLP exporters.
 */

export type OtlpProtocol = 'protobuf' | 'json'

export const REPLY = 'Paris is the capital of France.'
export const QUESTION = 'What is the capital of France?'

/** Vigil and the fake provider, started together. */
export interface Harness {
  vigil: RunningServer
  fake: FakeLlm
  close(): Promise<void>
}

export async function startHarness(): Promise<Harness> {
  const vigil = await startTestServer()
  const fake = await startFakeLlm({ script: { reply: REPLY } })
  return {
    vigil,
    fake,
    close: async () => {
      await fake.close()
      await vigil.close()
    },
  }
}

let contextEnabled = false

/** Context propagation (parent spans, OpenInference's setUser) needs a context manager. */
export function enableContext(): void {
  if (contextEnabled) return
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  contextEnabled = true
}

/** The real OTLP exporter for a protocol, pointed at Vigil. */
export function createExporter(
  vigil: RunningServer,
  protocol: OtlpProtocol,
  options: { path?: string; headers?: Record<string, string> } = {},
): SpanExporter {
  const url = `${vigil.url}${options.path ?? '/v1/traces'}`
  const headers = options.headers ?? { authorization: `Bearer ${TEST_KEY}` }
  return protocol === 'protobuf'
    ? new ProtobufExporter({ url, headers })
    : new JsonExporter({ url, headers })
}

/** Remembers the trace ids of ended spans, so a test can read back what it produced. */
export class TraceIdRecorder implements SpanProcessor {
  readonly traceIds = new Set<string>()
  onStart(_span: Span, _context: Context): void {}
  onEnd(span: ReadableSpan): void {
    this.traceIds.add(span.spanContext().traceId)
  }
  forceFlush(): Promise<void> {
    return Promise.resolve()
  }
  shutdown(): Promise<void> {
    return Promise.resolve()
  }
}

/** A tracer provider with the given processors, a trace-id recorder and an in-memory copy. */
export function createTracerProvider(processors: SpanProcessor[]): {
  provider: NodeTracerProvider
  recorder: TraceIdRecorder
  memory: InMemorySpanExporter
} {
  const recorder = new TraceIdRecorder()
  const memory = new InMemorySpanExporter()
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'otlp-it',
      'deployment.environment.name': 'test',
    }),
    spanProcessors: [recorder, new SimpleSpanProcessor(memory), ...processors],
  })
  return { provider, recorder, memory }
}

/**
 * Writes what the real OTLP/JSON exporter sends for these spans to `fixtures/<name>.json`, so
 * mapper tests can replay real exports without starting anything. Only when asked to
 * (`VIGIL_RECORD_OTLP_FIXTURES=1 npx vitest run packages/server/src/otlp/real-`).
 */
export function recordFixture(name: string, memory: InMemorySpanExporter, enabled: boolean): void {
  if (!enabled) return
  const bytes = JsonTraceSerializer.serializeRequest(memory.getFinishedSpans())
  if (!bytes) throw new Error('the OTLP/JSON serializer returned nothing')
  const pretty = JSON.stringify(JSON.parse(Buffer.from(bytes).toString('utf8')), null, 2)
  writeFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), `${pretty}\n`)
}

/** A batch processor around an exporter. */
export function batch(exporter: SpanExporter): SpanProcessor {
  return new BatchSpanProcessor(exporter)
}

/** The stored spans and scores of a trace, read through the public API. */
export async function readTrace(
  vigil: RunningServer,
  traceId: string,
): Promise<{ spans: VigilSpan[]; scores: Score[] }> {
  const res = await call(vigil, { method: 'GET', url: `/api/v1/traces/${traceId}` })
  if (res.statusCode !== 200)
    throw new Error(`trace ${traceId}: HTTP ${res.statusCode} ${res.body}`)
  return res.json<{ spans: VigilSpan[]; scores: Score[] }>()
}
