/**
 * A fake LLM provider: a real HTTP server speaking OpenAI's (`/v1/chat/completions`,
 * `/v1/completions`, `/v1/embeddings`, `/v1/responses`, `/v1/models`) and Anthropic's
 * (`/v1/messages`, `/v1/models` with `anthropic-version`) wire formats, streaming included, with
 * behaviour scripted at start (`options.script`) and per request (`x-fake-*` headers, see
 * `SCRIPT_HEADERS`). Point OpenAI clients at `${url}/v1` and Anthropic clients at `url`.
 */
export { startFakeLlm, type FakeLlm, type FakeLlmOptions } from './server.js'
export { runFakeLlmCommand, type FakeLlmCommandIo } from './cli.js'
export type {
  FakeLlmScript,
  ReplyRule,
  ScriptedError,
  ScriptedToolCall,
  VerdictRule,
} from './script.js'
export { DEFAULT_REPLY } from './script.js'
export { SCRIPT_HEADERS } from './script-headers.js'
export type { RecordedRequest } from './recorder.js'
export { DEFAULT_MODELS } from './models.js'
export type { TokenCounting } from './tokens.js'
