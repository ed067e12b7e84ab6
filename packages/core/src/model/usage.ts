/**
 * Token usage as a map of disjoint buckets: `input`, `output`, `cache_read`, `cache_write`,
 * `reasoning`, and any provider-specific extras (`input_audio`, …). Buckets never overlap, so
 * pricing each bucket once prices every token once.
 */
export type UsageMap = Record<string, number>

/** Cost in USD by the same buckets as the usage map, plus `total`. */
export type CostMap = Record<string, number>

/** What providers report, in their own overlapping terms. */
export interface RawUsage {
  /** Prompt tokens as reported; may include cached and cache-write tokens (see flags). */
  input?: number | undefined
  /** Completion tokens as reported; may include reasoning tokens (see flag). */
  output?: number | undefined
  cacheRead?: number | undefined
  cacheWrite?: number | undefined
  reasoning?: number | undefined
  /** OpenAI-style: prompt_tokens already contains cached tokens. */
  inputIncludesCache?: boolean | undefined
  /** OpenAI-style: completion_tokens already contains reasoning tokens. */
  outputIncludesReasoning?: boolean | undefined
  extras?: Record<string, number> | undefined
}

function nonNegative(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : 0
}

/** Turns a provider's overlapping counts into disjoint buckets (subsets subtracted). */
export function normalizeUsage(raw: RawUsage): UsageMap {
  const cacheRead = nonNegative(raw.cacheRead)
  const cacheWrite = nonNegative(raw.cacheWrite)
  const reasoning = nonNegative(raw.reasoning)
  let input = nonNegative(raw.input)
  let output = nonNegative(raw.output)
  if (raw.inputIncludesCache) {
    input = Math.max(0, input - cacheRead - cacheWrite)
  }
  if (raw.outputIncludesReasoning) {
    output = Math.max(0, output - reasoning)
  }
  const usage: UsageMap = { input, output }
  if (cacheRead > 0) usage['cache_read'] = cacheRead
  if (cacheWrite > 0) usage['cache_write'] = cacheWrite
  if (reasoning > 0) usage['reasoning'] = reasoning
  for (const [key, value] of Object.entries(raw.extras ?? {})) {
    if (nonNegative(value) > 0) usage[key] = value
  }
  return usage
}

/** Sum of all buckets except `total` (which some callers keep for display). */
export function totalTokens(usage: UsageMap): number {
  let sum = 0
  for (const [key, value] of Object.entries(usage)) {
    if (key !== 'total') sum += value
  }
  return sum
}

/** Tokens the model read (input plus cache buckets). */
export function promptTokens(usage: UsageMap): number {
  return (usage['input'] ?? 0) + (usage['cache_read'] ?? 0) + (usage['cache_write'] ?? 0)
}

/** Tokens the model wrote (output plus reasoning). */
export function completionTokens(usage: UsageMap): number {
  return (usage['output'] ?? 0) + (usage['reasoning'] ?? 0)
}
