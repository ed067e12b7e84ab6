import { AppError } from '@vigil/core'
import {
  OTEL_SPAN_KINDS,
  type Attributes,
  type AttrValue,
  type OtlpEvent,
  type OtlpExport,
  type OtlpScope,
  type OtlpSpan,
} from './types.js'

/*
 * OTLP/JSON per the spec: lowerCamelCase keys, hex ids, 64-bit integers as strings or numbers,
 * enums as integers. Also accepted, because real senders do it: snake_case keys (the protobuf
 * JSON mapping allows both), enum names, and base64 ids (protobuf's default for bytes).
 */

type Json = Record<string, unknown>

function fail(path: string, message: string): never {
  throw new AppError('INVALID_INPUT', `invalid OTLP/JSON at ${path}: ${message}`, {
    details: { issues: [{ path, message }] },
  })
}

function field(obj: Json, camel: string, snake: string): unknown {
  return obj[camel] ?? obj[snake]
}

function asObject(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(path, 'expected an object')
  return value as Json
}

function asArray(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) fail(path, 'expected an array (OTLP lists are JSON arrays)')
  return value
}

function asString(value: unknown, path: string): string {
  if (value === undefined || value === null) return ''
  if (typeof value !== 'string') fail(path, 'expected a string')
  return value
}

function nanosToMs(value: unknown, path: string): number {
  if (value === undefined || value === null || value === '') return 0
  const n = typeof value === 'string' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) fail(path, 'expected unix nanoseconds')
  return Math.round(n / 1e6)
}

function toHexId(value: unknown, bytes: number, path: string): string {
  const text = asString(value, path)
  if (text.length === bytes * 2) return text.toLowerCase()
  if (text.length > 0 && text.length === Math.ceil(bytes / 3) * 4) {
    const decoded = Buffer.from(text, 'base64')
    if (decoded.length === bytes) return decoded.toString('hex')
  }
  return text
}

function enumValue(value: unknown, names: readonly string[], prefix: string): number {
  if (typeof value === 'number') return value
  if (typeof value === 'string') {
    const index = names.indexOf(value.replace(prefix, '').toLowerCase())
    return index >= 0 ? index : Number(value) || 0
  }
  return 0
}

function anyValue(value: unknown, path: string): AttrValue {
  if (value === undefined || value === null) return null
  const v = asObject(value, path)
  const s = field(v, 'stringValue', 'string_value')
  if (s !== undefined) return asString(s, `${path}.stringValue`)
  const b = field(v, 'boolValue', 'bool_value')
  if (b !== undefined) return b === true || b === 'true'
  const i = field(v, 'intValue', 'int_value')
  if (i !== undefined) return Number(i)
  const d = field(v, 'doubleValue', 'double_value')
  if (d !== undefined) return Number(d)
  const arr = field(v, 'arrayValue', 'array_value')
  if (arr !== undefined) {
    const values = asArray(
      asObject(arr, `${path}.arrayValue`)['values'],
      `${path}.arrayValue.values`,
    )
    return values.map((item, n) => anyValue(item, `${path}.arrayValue.values[${n}]`))
  }
  const kv = field(v, 'kvlistValue', 'kvlist_value')
  if (kv !== undefined)
    return attributes(asObject(kv, `${path}.kvlistValue`)['values'], `${path}.kvlistValue.values`)
  const bytes = field(v, 'bytesValue', 'bytes_value')
  if (bytes !== undefined) return asString(bytes, `${path}.bytesValue`)
  return null
}

function attributes(value: unknown, path: string): Attributes {
  const out: Attributes = {}
  asArray(value, path).forEach((item, n) => {
    const kv = asObject(item, `${path}[${n}]`)
    const key = asString(kv['key'], `${path}[${n}].key`)
    if (key !== '') out[key] = anyValue(kv['value'], `${path}[${n}].value`)
  })
  return out
}

function event(value: unknown, path: string): OtlpEvent {
  const e = asObject(value, path)
  return {
    name: asString(e['name'], `${path}.name`),
    timeMs: nanosToMs(field(e, 'timeUnixNano', 'time_unix_nano'), `${path}.timeUnixNano`),
    attributes: attributes(e['attributes'], `${path}.attributes`),
  }
}

function span(
  value: unknown,
  path: string,
  context: { resource: Attributes; scope: OtlpScope },
): OtlpSpan {
  const s = asObject(value, path)
  const status =
    s['status'] === undefined || s['status'] === null ? {} : asObject(s['status'], `${path}.status`)
  const parent = toHexId(field(s, 'parentSpanId', 'parent_span_id'), 8, `${path}.parentSpanId`)
  const end = nanosToMs(
    field(s, 'endTimeUnixNano', 'end_time_unix_nano'),
    `${path}.endTimeUnixNano`,
  )
  return {
    traceId: toHexId(field(s, 'traceId', 'trace_id'), 16, `${path}.traceId`),
    spanId: toHexId(field(s, 'spanId', 'span_id'), 8, `${path}.spanId`),
    parentSpanId: parent === '' || /^0+$/.test(parent) ? null : parent,
    name: asString(s['name'], `${path}.name`),
    kind: OTEL_SPAN_KINDS[enumValue(s['kind'], OTEL_SPAN_KINDS, 'SPAN_KIND_')] ?? 'unspecified',
    startTimeMs: nanosToMs(
      field(s, 'startTimeUnixNano', 'start_time_unix_nano'),
      `${path}.startTimeUnixNano`,
    ),
    endTimeMs: end === 0 ? null : end,
    statusCode: enumValue(status['code'], ['unset', 'ok', 'error'], 'STATUS_CODE_'),
    statusMessage: asString(status['message'], `${path}.status.message`),
    attributes: attributes(s['attributes'], `${path}.attributes`),
    events: asArray(s['events'], `${path}.events`).map((e, n) => event(e, `${path}.events[${n}]`)),
    resource: context.resource,
    scope: context.scope,
  }
}

function scopeSpans(
  value: unknown,
  at: { path: string; resource: Attributes },
  into: OtlpSpan[],
): void {
  const { path, resource } = at
  const ss = asObject(value, path)
  const rawScope = ss['scope'] ?? ss['instrumentationLibrary']
  const scopeObj =
    rawScope === undefined || rawScope === null ? {} : asObject(rawScope, `${path}.scope`)
  const scope = {
    name: asString(scopeObj['name'], `${path}.scope.name`),
    version: asString(scopeObj['version'], `${path}.scope.version`),
  }
  asArray(ss['spans'], `${path}.spans`).forEach((s, n) => {
    into.push(span(s, `${path}.spans[${n}]`, { resource, scope }))
  })
}

/** Parses an OTLP/JSON trace export (already JSON-parsed); a wrong shape is INVALID_INPUT. */
export function parseOtlpJson(body: unknown): OtlpExport {
  const root = asObject(body, 'body')
  const spans: OtlpSpan[] = []
  asArray(field(root, 'resourceSpans', 'resource_spans'), 'resourceSpans').forEach((rs, i) => {
    const path = `resourceSpans[${i}]`
    const r = asObject(rs, path)
    const res =
      r['resource'] === undefined || r['resource'] === null
        ? {}
        : asObject(r['resource'], `${path}.resource`)
    const resource = attributes(res['attributes'], `${path}.resource.attributes`)
    const list = field(r, 'scopeSpans', 'scope_spans') ?? r['instrumentationLibrarySpans']
    asArray(list, `${path}.scopeSpans`).forEach((ss, j) => {
      scopeSpans(ss, { path: `${path}.scopeSpans[${j}]`, resource }, spans)
    })
  })
  return { spans }
}
