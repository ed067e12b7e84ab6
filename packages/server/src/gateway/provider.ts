import { AppError, type JsonValue, type SpanIo, type UsageMap } from '@vigil/core'

/** A JSON object from an untrusted body. */
export type JsonRecord = Record<string, unknown>

/** One server-sent event, stamped with when its last byte reached the gateway. */
export interface SseEvent {
  readonly event: string | undefined
  readonly data: string
  /** Milliseconds since the request reached the gateway. */
  readonly atMs: number
}

/** What a request body says about the call. */
export interface RequestFacts {
  model?: string | undefined
  /** Parameters worth slicing by (temperature, tools, response_format, …); never content. */
  params?: Record<string, JsonValue> | undefined
  input?: SpanIo | undefined
}

/** What a response (whole or streamed) says about the call. */
export interface ResponseFacts {
  model?: string | undefined
  output?: SpanIo | undefined
  finishReason?: string | undefined
  /** Disjoint buckets (normalizeUsage); absent when the provider sent none. */
  usage?: UsageMap | undefined
  /** Streams: when the first content arrived, ms since the request reached the gateway. */
  ttftMs?: number | undefined
  /** The provider's own error message (error body, or an error event mid-stream). */
  error?: string | undefined
  metadata?: Record<string, JsonValue> | undefined
}

/** One API of a provider the gateway understands (chat completions, messages, …). */
export interface Operation {
  /** Span name suffix, e.g. `chat.completions`. */
  readonly name: string
  readonly kind: 'generation' | 'embedding'
  parseRequest(body: JsonRecord): RequestFacts
  parseResponse(body: JsonRecord): ResponseFacts
  parseStream(events: readonly SseEvent[]): ResponseFacts
}

/** A provider the gateway proxies: a value in the registry, never an `if` in the proxy. */
export interface ProviderPlugin {
  /** The path segment after /proxy/ and the span's `provider`. */
  readonly name: string
  /**
   * Headers besides Authorization that carry this provider's key. When one is present, a
   * Bearer token is Vigil's key (and is not forwarded).
   */
  readonly keyHeaders: readonly string[]
  /** The operation for a method and upstream path (query removed); undefined: a generic call. */
  operationFor(method: string, path: string): Operation | undefined
  /** The message of an error body in this provider's shape. */
  errorMessage(body: unknown): string | undefined
}

/** Provider plug-ins by name. */
export type ProviderRegistry = ReadonlyMap<string, ProviderPlugin>

/** Builds the registry; a duplicate name is a programming error. */
export function createProviderRegistry(plugins: readonly ProviderPlugin[]): ProviderRegistry {
  const registry = new Map<string, ProviderPlugin>()
  for (const plugin of plugins) {
    if (registry.has(plugin.name))
      throw new AppError('INTERNAL', `duplicate gateway provider ${plugin.name}`)
    registry.set(plugin.name, plugin)
  }
  return registry
}
