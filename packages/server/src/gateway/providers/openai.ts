import type { Operation, ProviderPlugin } from '../provider.js'
import { chatCompletions } from './openai-chat.js'
import { completions, embeddings } from './openai-legacy.js'
import { openAiErrorMessage } from './openai-usage.js'
import { responses } from './openai-responses.js'

// by path suffix, so Azure-style paths (/openai/deployments/<name>/chat/completions) match too
const OPERATIONS: readonly [suffix: string, operation: Operation][] = [
  ['/chat/completions', chatCompletions],
  ['/completions', completions],
  ['/embeddings', embeddings],
  ['/responses', responses],
]

/** OpenAI and OpenAI-compatible APIs (vLLM, Ollama, LiteLLM, Azure-style deployments). */
export const openaiProvider: ProviderPlugin = {
  name: 'openai',
  keyHeaders: ['api-key'],
  operationFor(method, path) {
    if (method !== 'POST') return undefined
    for (const [suffix, operation] of OPERATIONS) {
      if (path.endsWith(suffix)) return operation
    }
    return undefined
  },
  errorMessage: openAiErrorMessage,
}
