import type { IncomingHttpHeaders } from 'node:http'
import { LIMITS, type TraceFields } from '@vigil/core'

/** The prefix of every header the gateway reads for itself and never forwards. */
export const VIGIL_HEADER_PREFIX = 'x-vigil-'
const PROPERTY_PREFIX = 'x-vigil-property-'
const MAX_PROPERTIES = 64

/** What the app asked Vigil not to store. */
export interface OmitContent {
  request: boolean
  response: boolean
}

/** Who and what a call is for, from the `x-vigil-*` headers. */
export interface Attribution {
  fields: TraceFields
  /** `x-vigil-property-<name>` values by name. */
  properties: Record<string, string>
  omit: OmitContent
}

const FIELD_HEADERS: readonly [header: string, field: Exclude<keyof TraceFields, 'tags'>][] = [
  ['x-vigil-user-id', 'userId'],
  ['x-vigil-session-id', 'sessionId'],
  ['x-vigil-feature', 'feature'],
  ['x-vigil-prompt', 'promptName'],
  ['x-vigil-prompt-version', 'promptVersion'],
  ['x-vigil-environment', 'environment'],
  ['x-vigil-release', 'release'],
]

/** One header's value; repeated headers are joined as HTTP says they may be. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  if (value === undefined) return undefined
  const text = (Array.isArray(value) ? value.join(',') : value).trim()
  return text.length > 0 ? text : undefined
}

/** Cut to the span schema's limit, so an over-long header never costs the whole record. */
function short(value: string): string {
  return value.length > LIMITS.shortText ? value.slice(0, LIMITS.shortText) : value
}

/** A client-chosen trace id when it is usable as one, else undefined. */
export function clientTraceId(headers: IncomingHttpHeaders): string | undefined {
  const value = headerValue(headers, 'x-vigil-trace-id')
  return value !== undefined && value.length <= LIMITS.idLength ? value : undefined
}

/** `x-vigil-omit: request|response|both` (comma lists and `all`/`none` accepted). */
export function parseOmit(value: string | undefined): OmitContent {
  const words = (value ?? '').toLowerCase().split(/[\s,]+/)
  const all = words.includes('both') || words.includes('all')
  return {
    request: all || words.includes('request'),
    response: all || words.includes('response'),
  }
}

/** Reads the attribution headers; values are trimmed and cut to the span limits. */
export function parseAttribution(headers: IncomingHttpHeaders): Attribution {
  const fields: TraceFields = {}
  for (const [header, field] of FIELD_HEADERS) {
    const value = headerValue(headers, header)
    if (value !== undefined) fields[field] = short(value)
  }
  const tags = headerValue(headers, 'x-vigil-tags')
  if (tags !== undefined) {
    const list = tags
      .split(',')
      .map((t) => short(t.trim()))
      .filter((t) => t.length > 0)
    fields.tags = [...new Set(list)].slice(0, LIMITS.tags)
  }
  const properties: Record<string, string> = {}
  let count = 0
  for (const name in headers) {
    if (!name.startsWith(PROPERTY_PREFIX) || count >= MAX_PROPERTIES) continue
    const key = short(name.slice(PROPERTY_PREFIX.length))
    const value = headerValue(headers, name)
    if (key.length > 0 && value !== undefined) {
      properties[key] = value.length > LIMITS.shortText * 4 ? value.slice(0, 1024) : value
      count += 1
    }
  }
  return { fields, properties, omit: parseOmit(headerValue(headers, 'x-vigil-omit')) }
}
