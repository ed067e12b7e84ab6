import type { JsonValue, SpanKind, UsageMap } from '@vigil/core'
import type { AttributeReader } from '../attributes.js'
import type { SpanDraft } from '../draft.js'
import { namespacesOf, type OtlpMapper } from '../mapper.js'
import { toIo } from '../messages.js'
import type { AttrValue, OtlpSpan } from '../types.js'
import { costIfAny, usageIfAny } from './usage.js'

const KINDS: Record<string, SpanKind> = {
  generation: 'generation',
  embedding: 'embedding',
  retriever: 'retrieval',
  tool: 'tool',
  agent: 'agent',
  chain: 'chain',
}

type Obj = Record<string, AttrValue>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const num = (v: AttrValue | undefined) =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined

/**
 * `usage_details` keys are the caller's own: Langfuse's disjoint buckets (`input`,
 * `cache_read_input_tokens`, …) are kept as they are; OpenAI-shaped usage (`prompt_tokens`
 * with `prompt_tokens_details`) includes its subsets and has them subtracted.
 */
function toUsage(details: AttrValue | undefined): UsageMap | undefined {
  if (!isObj(details)) return undefined
  const pd = isObj(details['prompt_tokens_details']) ? details['prompt_tokens_details'] : {}
  const cd = isObj(details['completion_tokens_details']) ? details['completion_tokens_details'] : {}
  const openAi =
    details['prompt_tokens'] !== undefined || details['completion_tokens'] !== undefined
  const known = new Set([
    'input',
    'output',
    'total',
    'prompt_tokens',
    'completion_tokens',
    'total_tokens',
  ])
  const extras: Record<string, number> = {}
  const mapped: Record<string, string> = {
    input_cached_tokens: 'cache_read',
    cache_read_input_tokens: 'cache_read',
    input_cache_read: 'cache_read',
    cache_creation_input_tokens: 'cache_write',
    input_cache_creation: 'cache_write',
    output_reasoning_tokens: 'reasoning',
    reasoning_tokens: 'reasoning',
  }
  for (const [key, value] of Object.entries(details)) {
    const n = num(value)
    if (n === undefined || known.has(key)) continue
    const bucket = mapped[key] ?? key
    extras[bucket] = (extras[bucket] ?? 0) + n
  }
  const { cache_read: cacheRead, cache_write: cacheWrite, reasoning, ...rest } = extras
  return usageIfAny({
    input: num(details['input']) ?? num(details['prompt_tokens']),
    output: num(details['output']) ?? num(details['completion_tokens']),
    cacheRead: cacheRead ?? num(pd['cached_tokens']),
    cacheWrite,
    reasoning: reasoning ?? num(cd['reasoning_tokens']),
    inputIncludesCache: openAi,
    outputIncludesReasoning: openAi,
    extras: rest,
  })
}

function readGeneration(attrs: AttributeReader, draft: SpanDraft, span: OtlpSpan): void {
  const p = 'langfuse.observation'
  draft.set('requestModel', attrs.string(`${p}.model.name`))
  const params = attrs.json(`${p}.model.parameters`)
  draft.set('params', isObj(params) ? params : undefined)
  draft.set('usage', toUsage(attrs.json(`${p}.usage_details`)))
  const cost = attrs.json(`${p}.cost_details`)
  if (isObj(cost))
    draft.set(
      'cost',
      costIfAny(Object.fromEntries(Object.entries(cost).map(([k, v]) => [k, num(v)]))),
    )
  const start = attrs.json(`${p}.completion_start_time`)
  const startMs = typeof start === 'string' ? Date.parse(start) : num(start)
  if (startMs !== undefined && Number.isFinite(startMs))
    draft.set('ttftMs', Math.max(0, startMs - span.startTimeMs))
  draft.set('promptName', attrs.firstString([`${p}.prompt.name`, 'langfuse.prompt.name']))
  draft.set('promptVersion', attrs.firstString([`${p}.prompt.version`, 'langfuse.prompt.version']))
}

function readMetadata(attrs: AttributeReader, draft: SpanDraft): void {
  for (const scope of ['langfuse.observation', 'langfuse.trace', 'langfuse']) {
    const whole = attrs.json(`${scope}.metadata`)
    const flat = attrs.takePrefix(`${scope}.metadata`)
    const merged: Record<string, JsonValue> = { ...(isObj(whole) ? whole : {}), ...flat }
    if (Object.keys(merged).length > 0) draft.metadata[scope.replace('langfuse.', '')] = merged
  }
}

/** Langfuse's own attributes (`@langfuse/tracing`, Langfuse's Python SDK), read first. */
export const langfuseMapper: OtlpMapper = {
  name: 'langfuse',
  matches: (span) => span.scope.name.startsWith('langfuse') || namespacesOf(span).has('langfuse'),
  map({ span, attrs, draft }) {
    const type = attrs.string('langfuse.observation.type')?.toLowerCase()
    draft.set('kind', type === undefined ? undefined : (KINDS[type] ?? 'span'))
    readGeneration(attrs, draft, span)
    const output = attrs.json('langfuse.observation.output') ?? attrs.json('langfuse.trace.output')
    draft.set(
      'input',
      toIo(attrs.json('langfuse.observation.input') ?? attrs.json('langfuse.trace.input')),
    )
    draft.set('output', toIo(output, 'assistant'))
    if (attrs.string('langfuse.observation.level') === 'ERROR') draft.failed = true
    draft.set('statusMessage', attrs.string('langfuse.observation.status_message'))
    draft.set('userId', attrs.string('langfuse.user.id'))
    draft.set('sessionId', attrs.string('langfuse.session.id'))
    draft.set('feature', attrs.string('langfuse.trace.name'))
    draft.set('tags', attrs.strings('langfuse.trace.tags') ?? attrs.strings('langfuse.tags'))
    draft.set('environment', attrs.string('langfuse.environment'))
    draft.set('release', attrs.string('langfuse.release'))
    readMetadata(attrs, draft)
    attrs.drop('langfuse.internal.is_app_root')
  },
}
