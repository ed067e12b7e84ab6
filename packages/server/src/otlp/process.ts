import { LIMITS, type JsonValue, type ScoreInput, type SpanInput } from '@vigil/core'
import { AttributeReader } from './attributes.js'
import { countUsageOnce, type MappedSpan } from './count-once.js'
import { SpanDraft } from './draft.js'
import { clip, fitIo, fitJson, short } from './fit.js'
import type { OtlpMapper } from './mapper.js'
import type { OtlpExport, OtlpSpan } from './types.js'

/** What one OTLP export becomes: wire items for ingest(). */
export interface MappedExport {
  spans: SpanInput[]
  scores: ScoreInput[]
}

const MAX_EVENTS_KEPT = 64

function mapSpan(
  span: OtlpSpan,
  mappers: readonly OtlpMapper[],
): MappedSpan & { attrs: AttributeReader } {
  const attrs = new AttributeReader(span.attributes)
  const draft = new SpanDraft()
  for (const mapper of mappers) {
    if (mapper.matches(span)) mapper.map({ span, attrs, draft })
  }
  return { span, attrs, draft }
}

/** The OTel `exception` event's message, for failed spans that set no status message. */
function exceptionMessage(span: OtlpSpan): string | undefined {
  const event = span.events.find((e) => e.name === 'exception')
  const message = event?.attributes['exception.message']
  return typeof message === 'string' ? message : undefined
}

function metadataOf({
  span,
  attrs,
  draft,
}: MappedSpan & { attrs: AttributeReader }): Record<string, JsonValue> {
  // each part is fitted once: fitting the whole again would re-cut what was already cut
  const metadata = fitJson(draft.metadata) as Record<string, JsonValue>
  const rest = attrs.rest()
  if (Object.keys(rest).length > 0) metadata['attributes'] = fitJson(rest)
  const events = span.events.filter((_, index) => !draft.consumedEvents.has(index))
  if (events.length > 0) {
    metadata['events'] = events.slice(0, MAX_EVENTS_KEPT).map((e) => ({
      name: clip(e.name, LIMITS.shortText),
      time: e.timeMs,
      attributes: fitJson(e.attributes),
    }))
  }
  metadata['otel'] = {
    kind: span.kind,
    scope: span.scope.version ? `${span.scope.name}@${span.scope.version}` : span.scope.name,
    resource: fitJson(span.resource),
  }
  return metadata
}

function toSpanInput(mapped: MappedSpan & { attrs: AttributeReader }): SpanInput {
  const { span, draft } = mapped
  const f = draft.fields
  const failed = draft.failed || span.statusCode === 2
  const statusMessage =
    span.statusMessage || f.statusMessage || (failed ? exceptionMessage(span) : undefined)
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: clip(span.name || 'unnamed', LIMITS.nameLength),
    kind: f.kind ?? 'span',
    startTime: span.startTimeMs,
    endTime: span.endTimeMs,
    status: failed ? 'error' : span.statusCode === 1 ? 'ok' : 'unset',
    statusMessage: statusMessage === undefined ? null : clip(statusMessage, 4096),
    provider: short(f.provider),
    requestModel: short(f.requestModel),
    responseModel: short(f.responseModel),
    params: f.params === undefined ? undefined : (fitJson(f.params) as Record<string, JsonValue>),
    input: fitIo(f.input),
    output: fitIo(f.output),
    finishReason: short(f.finishReason),
    usage: f.usage,
    cost: f.cost,
    ttftMs: f.ttftMs === undefined ? undefined : Math.max(0, f.ttftMs),
    context: f.context
      ?.slice(0, 1000)
      .map((d) => ({ ...d, content: clip(d.content, LIMITS.textBytes) })),
    userId: short(f.userId),
    sessionId: short(f.sessionId),
    feature: short(f.feature),
    environment: short(f.environment),
    release: short(f.release),
    tags: f.tags?.slice(0, LIMITS.tags).map((t) => clip(t, LIMITS.shortText)),
    promptName: short(f.promptName),
    promptVersion: short(f.promptVersion),
    metadata: metadataOf(mapped),
  }
}

/**
 * Turns a decoded export into wire spans and scores: every span goes through the mappers in
 * registry order, then usage is counted once per LLM call across the export.
 */
export function mapOtlpExport(data: OtlpExport, mappers: readonly OtlpMapper[]): MappedExport {
  const mapped = data.spans.map((span) => mapSpan(span, mappers))
  countUsageOnce(mapped)
  return {
    spans: mapped.map(toSpanInput),
    scores: mapped.flatMap((m) => m.draft.scores),
  }
}
