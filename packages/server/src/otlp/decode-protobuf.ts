import { AppError } from '@vigil/core'
import protobuf from 'protobufjs/minimal.js'
import {
  OTEL_SPAN_KINDS,
  type Attributes,
  type AttrValue,
  type OtlpEvent,
  type OtlpExport,
  type OtlpScope,
  type OtlpSpan,
} from './types.js'

type Reader = protobuf.Reader
type Long = protobuf.Long

/*
 * Decodes `opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest` with protobufjs's
 * wire reader, straight into the shape the mappers read. Field numbers are those of
 * opentelemetry-proto v1 (frozen since 1.0; the OpenTelemetry JS exporter's serializer documents
 * the same numbers). Current @opentelemetry packages ship neither the .proto files nor a
 * decoder, and decoding into our own objects skips the generated classes' extra copy. Tests
 * check this decoder against the real exporter's encoder. Unknown fields are skipped, as
 * protobuf requires.
 */

const WIRE_FIXED64 = 1
const WIRE_LENGTH = 2

/** The wire type each `Span` field is declared with (0 varint, 1 fixed64, 2 bytes, 5 fixed32). */
// prettier-ignore
const SPAN_WIRE_TYPES: readonly (number | undefined)[] = [undefined, 2, 2, 2, 2, 2, 0, 1, 1, 2, 0, 2, 0, 2, 0, 2, 5]

/** int64 as a JS number (exact up to 2^53, like every JSON consumer of it). */
function toNumber(value: Long | number): number {
  if (typeof value === 'number') return value
  return value.high * 4294967296 + (value.low >>> 0)
}

/** Reads a fixed64 nanosecond timestamp as epoch ms without allocating a Long. */
function readNanosAsMs(reader: Reader): number {
  const low = reader.fixed32()
  const high = reader.fixed32()
  return Math.round((high * 4294967296 + low) / 1e6)
}

function endOf(reader: Reader): number {
  const length = reader.uint32()
  return reader.pos + length
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

function readAnyValue(reader: Reader, end: number): AttrValue {
  let value: AttrValue = null
  while (reader.pos < end) {
    const tag = reader.uint32()
    switch (tag >>> 3) {
      case 1:
        value = reader.string()
        break
      case 2:
        value = reader.bool()
        break
      case 3:
        value = toNumber(reader.int64())
        break
      case 4:
        value = reader.double()
        break
      case 5:
        value = readArrayValue(reader, endOf(reader))
        break
      case 6:
        value = readKeyValueList(reader, endOf(reader))
        break
      case 7:
        value = Buffer.from(reader.bytes()).toString('base64')
        break
      default:
        reader.skipType(tag & 7)
    }
  }
  return value
}

function readArrayValue(reader: Reader, end: number): AttrValue[] {
  const values: AttrValue[] = []
  while (reader.pos < end) {
    const tag = reader.uint32()
    if (tag >>> 3 === 1 && (tag & 7) === WIRE_LENGTH)
      values.push(readAnyValue(reader, endOf(reader)))
    else reader.skipType(tag & 7)
  }
  return values
}

function readKeyValueList(reader: Reader, end: number): Attributes {
  const out: Attributes = {}
  while (reader.pos < end) {
    const tag = reader.uint32()
    if (tag >>> 3 === 1 && (tag & 7) === WIRE_LENGTH) readKeyValue(reader, out)
    else reader.skipType(tag & 7)
  }
  return out
}

/** Reads one `KeyValue` into `into`. */
function readKeyValue(reader: Reader, into: Attributes): void {
  const end = endOf(reader)
  let key = ''
  let value: AttrValue = null
  while (reader.pos < end) {
    const tag = reader.uint32()
    if (tag >>> 3 === 1) key = reader.string()
    else if (tag >>> 3 === 2) value = readAnyValue(reader, endOf(reader))
    else reader.skipType(tag & 7)
  }
  if (key !== '') into[key] = value
}

/** Messages with attributes in one field and nothing else we need (Resource). */
function readAttributesOnly(reader: Reader, field: number): Attributes {
  const end = endOf(reader)
  const attributes: Attributes = {}
  while (reader.pos < end) {
    const tag = reader.uint32()
    if (tag >>> 3 === field && (tag & 7) === WIRE_LENGTH) readKeyValue(reader, attributes)
    else reader.skipType(tag & 7)
  }
  return attributes
}

function readScope(reader: Reader): OtlpScope {
  const end = endOf(reader)
  const scope: OtlpScope = { name: '', version: '' }
  while (reader.pos < end) {
    const tag = reader.uint32()
    if (tag >>> 3 === 1) scope.name = reader.string()
    else if (tag >>> 3 === 2) scope.version = reader.string()
    else reader.skipType(tag & 7)
  }
  return scope
}

function readEvent(reader: Reader): OtlpEvent {
  const end = endOf(reader)
  const event: OtlpEvent = { name: '', timeMs: 0, attributes: {} }
  while (reader.pos < end) {
    const tag = reader.uint32()
    const field = tag >>> 3
    if (field === 1 && (tag & 7) === WIRE_FIXED64) event.timeMs = readNanosAsMs(reader)
    else if (field === 2) event.name = reader.string()
    else if (field === 3 && (tag & 7) === WIRE_LENGTH) readKeyValue(reader, event.attributes)
    else reader.skipType(tag & 7)
  }
  return event
}

function readStatus(reader: Reader, span: OtlpSpan): void {
  const end = endOf(reader)
  while (reader.pos < end) {
    const tag = reader.uint32()
    if (tag >>> 3 === 2) span.statusMessage = reader.string()
    else if (tag >>> 3 === 3) span.statusCode = reader.int32()
    else reader.skipType(tag & 7)
  }
}

function readSpanField(reader: Reader, span: OtlpSpan, tag: number): void {
  switch (tag >>> 3) {
    case 1:
      span.traceId = hex(reader.bytes())
      return
    case 2:
      span.spanId = hex(reader.bytes())
      return
    case 4: {
      const parent = hex(reader.bytes())
      span.parentSpanId = parent === '' || /^0+$/.test(parent) ? null : parent
      return
    }
    case 5:
      span.name = reader.string()
      return
    case 6:
      span.kind = OTEL_SPAN_KINDS[reader.int32()] ?? 'unspecified'
      return
    case 7:
      span.startTimeMs = readNanosAsMs(reader)
      return
    case 8:
      span.endTimeMs = readNanosAsMs(reader) || null
      return
    case 9:
      readKeyValue(reader, span.attributes)
      return
    case 11:
      span.events.push(readEvent(reader))
      return
    case 15:
      readStatus(reader, span)
      return
    default:
      reader.skipType(tag & 7)
  }
}

function readSpan(reader: Reader, resource: Attributes, scope: OtlpScope): OtlpSpan {
  const end = endOf(reader)
  const span: OtlpSpan = {
    traceId: '',
    spanId: '',
    parentSpanId: null,
    name: '',
    kind: 'unspecified',
    startTimeMs: 0,
    endTimeMs: null,
    statusCode: 0,
    statusMessage: '',
    attributes: {},
    events: [],
    resource,
    scope,
  }
  while (reader.pos < end) {
    const tag = reader.uint32()
    const expected = SPAN_WIRE_TYPES[tag >>> 3]
    if (expected !== undefined && expected !== (tag & 7)) {
      throw new Error(`span field ${tag >>> 3} has wire type ${tag & 7}, expected ${expected}`)
    }
    readSpanField(reader, span, tag)
  }
  return span
}

function readScopeSpans(reader: Reader, resource: Attributes, into: OtlpSpan[]): void {
  const end = endOf(reader)
  let scope: OtlpScope = { name: '', version: '' }
  const spanStarts: number[] = []
  // scope may follow spans on the wire: note where spans start, read them after the scope
  while (reader.pos < end) {
    const tag = reader.uint32()
    if (tag >>> 3 === 1 && (tag & 7) === WIRE_LENGTH) scope = readScope(reader)
    else if (tag >>> 3 === 2 && (tag & 7) === WIRE_LENGTH) {
      spanStarts.push(reader.pos)
      reader.skipType(WIRE_LENGTH)
    } else reader.skipType(tag & 7)
  }
  for (const start of spanStarts) {
    reader.pos = start
    into.push(readSpan(reader, resource, scope))
  }
  reader.pos = end
}

function readResourceSpans(reader: Reader, into: OtlpSpan[]): void {
  const end = endOf(reader)
  let resource: Attributes = {}
  const scopeStarts: number[] = []
  while (reader.pos < end) {
    const tag = reader.uint32()
    if (tag >>> 3 === 1 && (tag & 7) === WIRE_LENGTH) resource = readAttributesOnly(reader, 1)
    else if (tag >>> 3 === 2 && (tag & 7) === WIRE_LENGTH) {
      scopeStarts.push(reader.pos)
      reader.skipType(WIRE_LENGTH)
    } else reader.skipType(tag & 7)
  }
  for (const start of scopeStarts) {
    reader.pos = start
    readScopeSpans(reader, resource, into)
  }
  reader.pos = end
}

/** Decodes an OTLP/protobuf trace export; a body that is not one is INVALID_INPUT. */
export function decodeOtlpProtobuf(body: Uint8Array): OtlpExport {
  // a Buffer gets protobufjs's native UTF-8 path; a plain Uint8Array its slower JS decoder
  const buffer = Buffer.isBuffer(body)
    ? body
    : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  const reader = protobuf.Reader.create(buffer)
  const spans: OtlpSpan[] = []
  try {
    while (reader.pos < reader.len) {
      const tag = reader.uint32()
      if (tag >>> 3 === 1 && (tag & 7) === WIRE_LENGTH) readResourceSpans(reader, spans)
      else reader.skipType(tag & 7)
    }
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause)
    throw new AppError(
      'INVALID_INPUT',
      `body is not an OTLP protobuf ExportTraceServiceRequest (${detail})`,
      { cause },
    )
  }
  return { spans }
}
