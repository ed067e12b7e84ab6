import { normalizeUsage, type UsageMap } from '@vigil/core'
import { num, record } from './shape.js'

/**
 * OpenAI usage in any of its API shapes (chat/completions `prompt_tokens`…, Responses
 * `input_tokens`…). Prompt counts include cached tokens and completion counts include
 * reasoning tokens, so both are subtracted to get disjoint buckets.
 */
export function openAiUsage(value: unknown): UsageMap | undefined {
  const u = record(value)
  if (u === undefined) return undefined
  const input = num(u['prompt_tokens']) ?? num(u['input_tokens'])
  const output = num(u['completion_tokens']) ?? num(u['output_tokens'])
  if (input === undefined && output === undefined) return undefined
  const inDetails = record(u['prompt_tokens_details']) ?? record(u['input_tokens_details'])
  const outDetails = record(u['completion_tokens_details']) ?? record(u['output_tokens_details'])
  return normalizeUsage({
    input,
    output,
    cacheRead: num(inDetails?.['cached_tokens']),
    reasoning: num(outDetails?.['reasoning_tokens']),
    inputIncludesCache: true,
    outputIncludesReasoning: true,
  })
}

/** The message of an OpenAI error body (`{ error: { message } }`). */
export function openAiErrorMessage(body: unknown): string | undefined {
  const error = record(record(body)?.['error'])
  const message = error?.['message']
  return typeof message === 'string' ? message : undefined
}
