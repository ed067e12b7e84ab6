export { createApp, VERSION, type AppDeps } from './app.js'
export { DEFAULT_PORT, parseConfig, testConfig, type Config } from './config.js'
export { runServeCommand, startServer, tuneServerProcess, type RunningServer } from './main.js'
export { openStorage } from './storage/index.js'
export { createKeyService, createProject, hashKey } from './projects/index.js'
export {
  runFakeLlmCommand,
  startFakeLlm,
  type FakeLlm,
  type FakeLlmOptions,
} from './fake-llm/index.js'
