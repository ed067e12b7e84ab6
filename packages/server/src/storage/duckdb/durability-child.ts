/**
 * Child process of durability.integration.test.ts: appends one batch, says "committed" once
 * `append` has resolved, then waits to be killed with SIGKILL.
 *
 *   tsx durability-child.ts <database path> <span count>
 */
import { spanInputSchema, toSpan } from '@vigil/core'
import { openDuckDbStorage } from './index.js'

const [path, count] = process.argv.slice(2)
if (!path || !count) throw new Error('usage: durability-child.ts <path> <count>')

// a large checkpoint threshold keeps the batch in the WAL only: what must survive is the commit
const storage = await openDuckDbStorage({ path, checkpointThreshold: '1GB' })
const spans = Array.from({ length: Number(count) }, (_, i) =>
  toSpan(
    spanInputSchema.parse({
      traceId: `kill-${i % 10}`,
      spanId: `s${i}`,
      name: 'chat',
      startTime: Date.UTC(2026, 10, 2) + i,
      input: [{ role: 'user', content: `question ${i}` }],
      output: [{ role: 'assistant', content: `answer ${i}` }],
    }),
    { projectId: 'p1', now: Date.now(), source: 'api' },
  ),
)
await storage.events.append({ spans, scores: [] })
process.stdout.write('committed\n')
setInterval(() => undefined, 60_000)
