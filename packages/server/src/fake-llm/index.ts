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
