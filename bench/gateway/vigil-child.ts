// Vigil in its own process: the usual server (raw node:http dispatch for /proxy/), plus the
// same gateway mounted as a Fastify route on a second port, to measure what routing costs.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import { startServer, testConfig, tuneServerProcess } from '@vigil/server'

const [fakeUrl, storage, apiKey] = process.argv.slice(2) as [string, 'duckdb' | 'memory', string]
const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-'))
// the process settings `vigil serve` applies
tuneServerProcess()
const server = await startServer(
  testConfig({
    storage,
    dataDir,
    apiKey,
    openaiBaseUrl: fakeUrl,
    anthropicBaseUrl: fakeUrl,
    logLevel: 'warn',
  }),
)
const routed = Fastify()
routed.removeAllContentTypeParsers()
// leave the body unread: the gateway reads and forwards it itself
routed.addContentTypeParser('*', (_request, _payload, done) => done(null))
routed.all('/proxy/*', (request, reply) => {
  void reply.hijack()
  server.app.gateway.handle(request.raw, reply.raw)
})
await routed.listen({ host: '127.0.0.1', port: 0 })
const address = routed.server.address()
const routedUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
process.stdout.write(`${JSON.stringify({ url: server.url, routedUrl })}\n`)
process.on('message', (message) => {
  if (message !== 'flush') return
  // recorded means committed: the CPU of writing a call's span is part of its cost
  void server.app.gateway.flush().then(() => {
    const { rss, heapUsed, external } = process.memoryUsage()
    const mb = (n: number) => Math.round(n / 1048576)
    process.send?.({
      stats: server.app.gateway.stats(server.defaultProjectId),
      memoryMb: { rss: mb(rss), heapUsed: mb(heapUsed), external: mb(external) },
    })
  })
})
process.on('SIGTERM', () => {
  void routed
    .close()
    .then(() => server.close())
    .finally(() => {
      rmSync(dataDir, { recursive: true, force: true })
      process.exit(0)
    })
})
