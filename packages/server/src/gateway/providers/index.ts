import type { ProviderPlugin } from '../provider.js'
import { anthropicProvider } from './anthropic.js'
import { openaiProvider } from './openai.js'

/** The providers the gateway speaks out of the box. */
export const BUILTIN_PROVIDERS: readonly ProviderPlugin[] = [openaiProvider, anthropicProvider]

export { anthropicProvider, openaiProvider }
