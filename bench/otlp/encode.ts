/**
 * Wire spans → the OTLP protobuf bytes an OpenTelemetry JS exporter sends for the same LLM
 * calls written with the GenAI semantic conventions, encoded by the official serializer.
 */
import { SpanKind, SpanStatusCode, type Attributes, type HrTime } from '@opentelemetry/api'
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer'
import { resourceFromAttributes } from '@opentelemetry/resources'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import type { SpanInput } from '@vigil/core'

const resource = resourceFromAttributes({
  'service.name': 'bench-app',
  'telemetry.sdk.language': 'nodejs',
  'telemetry.sdk.name': 'opentelemetry',
  'telemetry.sdk.version': '2.12.0',
})

const toMs = (t: SpanInput['startTime'] | null | undefined): number =>
  typeof t === 'number' ? t : t ? Date.parse(t) : 0

function hrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000)
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)]
}

type Msg = { role: string; content: unknown }

/** Messages in the GenAI `{role, parts}` JSON form. */
function parts(io: SpanInput['input'], finishReason?: string | null): string | undefined {
  if (!Array.isArray(io)) return undefined
  return JSON.stringify(
    (io as Msg[]).map((m) => ({
      role: m.role,
      parts: [{ type: 'text', content: m.content }],
      ...(finishReason ? { finish_reason: finishReason } : {}),
    })),
  )
}

function attributes(s: SpanInput): Attributes {
  const usage = s.usage ?? {}
  const cacheRead = usage['cache_read'] ?? 0
  const attrs: Attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': s.provider ?? undefined,
    'gen_ai.request.model': s.requestModel ?? undefined,
    'gen_ai.response.model': s.responseModel ?? undefined,
    'gen_ai.request.temperature': (s.params?.['temperature'] as number | undefined) ?? undefined,
    'gen_ai.request.max_tokens': (s.params?.['max_tokens'] as number | undefined) ?? undefined,
    'gen_ai.input.messages': parts(s.input),
    'gen_ai.output.messages': parts(s.output, s.finishReason),
    'gen_ai.response.finish_reasons': s.finishReason ? [s.finishReason] : undefined,
    // GenAI input tokens include cached ones
    'gen_ai.usage.input_tokens': (usage['input'] ?? 0) + cacheRead,
    'gen_ai.usage.output_tokens': usage['output'] ?? 0,
    'gen_ai.usage.cache_read.input_tokens': cacheRead || undefined,
    'gen_ai.usage.cost': s.cost?.['total'],
    'gen_ai.response.time_to_first_chunk': s.ttftMs ? s.ttftMs / 1000 : undefined,
    'user.id': s.userId,
    'session.id': s.sessionId,
    'deployment.environment.name': s.environment,
    'vigil.feature': s.feature,
    'vigil.release': s.release,
    'vigil.tags': s.tags,
    'vigil.prompt': s.promptName,
    'vigil.prompt_version': s.promptVersion,
  }
  for (const [key, value] of Object.entries(s.metadata ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') attrs[`app.${key}`] = value
  }
  return attrs
}

function readable(s: SpanInput): ReadableSpan {
  const start = toMs(s.startTime)
  const end = toMs(s.endTime) || start
  const context = { traceId: s.traceId, spanId: s.spanId, traceFlags: 1 }
  return {
    name: s.name,
    kind: SpanKind.CLIENT,
    spanContext: () => context,
    parentSpanContext: s.parentSpanId
      ? { traceId: s.traceId, spanId: s.parentSpanId, traceFlags: 1 }
      : undefined,
    startTime: hrTime(start),
    endTime: hrTime(end),
    duration: hrTime(end - start),
    status:
      s.status === 'error'
        ? { code: SpanStatusCode.ERROR, message: s.statusMessage ?? '' }
        : { code: SpanStatusCode.OK },
    attributes: attributes(s),
    links: [],
    events: [],
    ended: true,
    resource,
    instrumentationScope: { name: 'bench-genai', version: '1.0.0' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  }
}

/** One OTLP/protobuf export request for these spans. */
export function encodeOtlpProtobuf(spans: SpanInput[]): Uint8Array {
  const body = ProtobufTraceSerializer.serializeRequest(spans.map(readable))
  if (!body) throw new Error('the OTLP serializer produced nothing')
  return body
}
