// The fake provider in its own process, so it does not share the gateway's event loop.
import { startFakeLlm } from '@vigil/server'

const fake = await startFakeLlm({ maxRecordedRequests: 0 })
process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`)
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)))
