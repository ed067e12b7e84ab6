// Child process for resilience.test.ts: argv = [endpoint, mode]. `idle` records and returns
// (the process must exit although retries are pending); `flush` awaits flush() (the process
// must stay until it is done) and prints the stats.
import { createVigil } from '../src/index.js'

const [endpoint = '', mode = 'idle'] = process.argv.slice(2)
const vigil = createVigil({ endpoint, apiKey: 'k', onError: () => {}, initialBackoffMs: 2000 })
vigil.trace('from-child', () => 'done')
if (mode === 'flush') {
  await vigil.flush(10_000)
  process.stdout.write(`${JSON.stringify(vigil.stats())}\n`)
}
