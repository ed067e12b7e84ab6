import type { ResolvedScript } from './script.js'

/** Token counts of one response in provider-neutral terms. */
export interface TokenUsage {
  /** All prompt tokens, cached and cache-written ones included. */
  readonly input: number
  /** All completion tokens, reasoning included. */
  readonly output: number
  readonly cacheRead: number
  readonly cacheWrite: number
  readonly reasoning: number
}

/**
 * Combines counted tokens with the scripted cache and reasoning counts, keeping the providers'
 * invariants: cached tokens are part of the prompt, reasoning tokens part of the completion.
 */
export function usageOf(
  script: ResolvedScript,
  counted: { input: number; output: number },
): TokenUsage {
  const cacheRead = script.cachedTokens
  const cacheWrite = script.cacheWriteTokens
  return {
    // at least one uncached token, as every real request has
    input: Math.max(counted.input, cacheRead + cacheWrite + 1),
    output: counted.output + script.reasoningTokens,
    cacheRead,
    cacheWrite,
    reasoning: script.reasoningTokens,
  }
}

/** Chat Completions `usage`. */
export function chatUsage(u: TokenUsage): Record<string, unknown> {
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    prompt_tokens_details: { cached_tokens: u.cacheRead, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: u.reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  }
}

/** Responses API `usage`. */
export function responsesUsage(u: TokenUsage): Record<string, unknown> {
  return {
    input_tokens: u.input,
    input_tokens_details: { cached_tokens: u.cacheRead },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: u.reasoning },
    total_tokens: u.input + u.output,
  }
}

/** Anthropic `usage`: `input_tokens` counts only the uncached part of the prompt. */
export function anthropicUsage(u: TokenUsage): Record<string, unknown> {
  return {
    input_tokens: Math.max(0, u.input - u.cacheRead - u.cacheWrite),
    cache_creation_input_tokens: u.cacheWrite,
    cache_read_input_tokens: u.cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: u.cacheWrite, ephemeral_1h_input_tokens: 0 },
    output_tokens: u.output,
    service_tier: 'standard',
  }
}
