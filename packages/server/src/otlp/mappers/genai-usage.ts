import type { UsageMap } from '@vigil/core'
import type { AttributeReader } from '../attributes.js'
import { usageIfAny } from './usage.js'

/**
 * Every `gen_ai.usage.*` spelling, current first. The GenAI conventions say input tokens
 * include cache reads and writes and output tokens include reasoning, so those subsets are
 * subtracted; older and vendor spellings (OpenLLMetry < 0.5, Lunary) follow the same rule.
 */
export function readGenAiUsage(attrs: AttributeReader): UsageMap | undefined {
  const usage = usageIfAny({
    input: attrs.firstNumber(['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens']),
    output: attrs.firstNumber(['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens']),
    cacheRead: attrs.firstNumber([
      'gen_ai.usage.cache_read.input_tokens',
      'gen_ai.usage.cache_read_input_tokens',
      'gen_ai.usage.prompt_tokens_cached',
    ]),
    cacheWrite: attrs.firstNumber([
      'gen_ai.usage.cache_creation.input_tokens',
      'gen_ai.usage.cache_creation_input_tokens',
    ]),
    reasoning: attrs.firstNumber([
      'gen_ai.usage.reasoning.output_tokens',
      'gen_ai.usage.reasoning_tokens',
    ]),
    inputIncludesCache: true,
    outputIncludesReasoning: true,
  })
  // totals are derived; keeping them would only invite double counting downstream
  attrs.drop('gen_ai.usage.total_tokens', 'llm.usage.total_tokens')
  return usage
}
