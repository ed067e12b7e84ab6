/**
 * OTLP trace data as both decoders produce it: ids as lowercase hex, times as epoch
 * milliseconds, attributes as plain objects (OTLP `KeyValue[]` folded into a record), and each
 * span carrying its resource and scope so mappers look at one object.
 */

/** An OTLP `AnyValue`: kvlists become objects, bytes become base64 strings. */
export type AttrValue =
  string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue }

/** Attributes by key. */
export type Attributes = Record<string, AttrValue>

/** OpenTelemetry span kinds, by their OTLP enum number. */
export const OTEL_SPAN_KINDS = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
] as const
export type OtelSpanKind = (typeof OTEL_SPAN_KINDS)[number]

/** A span event (the GenAI conventions put messages and evaluation results on them). */
export interface OtlpEvent {
  name: string
  timeMs: number
  attributes: Attributes
}

export interface OtlpScope {
  name: string
  version: string
}

/** One decoded span with its resource and instrumentation scope. */
export interface OtlpSpan {
  traceId: string
  spanId: string
  parentSpanId: string | null
  name: string
  kind: OtelSpanKind
  startTimeMs: number
  endTimeMs: number | null
  /** 0 unset, 1 ok, 2 error (OTLP `Status.StatusCode`). */
  statusCode: number
  statusMessage: string
  attributes: Attributes
  events: OtlpEvent[]
  resource: Attributes
  scope: OtlpScope
}

/** A decoded `ExportTraceServiceRequest`. */
export interface OtlpExport {
  spans: OtlpSpan[]
}
