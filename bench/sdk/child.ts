// The fake provider or Vigil in its own process, so neither shares the measured client's
// event loop or CPU counters. argv: `fake` | `vigil <apiKey>`; prints {url} on its first line.
import { startFakeLlm, startServer, testConfig } from '@vigil/server'

const [role, apiKey] = process.argv.slice(2)
const running =
  role === 'fake'
    ? await startFakeLlm({ maxRecordedRequests: 0 })
    : await startServer(testConfig({ apiKey, storage: 'memory', logLevel: 'warn' }))
process.stdout.write(`${JSON.stringify({ url: running.url })}\n`)
process.on('SIGTERM', () => void running.close().then(() => process.exit(0)))
