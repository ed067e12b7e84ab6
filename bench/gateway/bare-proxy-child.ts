// The floor for any gateway: a Node process that forwards each request to the provider over an
// undici Pool and pipes the answer back, recording nothing. Its added latency is the cost of
// one more process hop on this machine, which no gateway running as its own process avoids.
import { createServer } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { Pool } from 'undici'

const upstream = new URL(process.argv[2]!)
const pool = new Pool(upstream.origin, { connections: 64 })

const server = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    pool
      .request({
        method: 'POST',
        path: req.url ?? '/',
        headers: {
          'content-type': req.headers['content-type'] ?? 'application/json',
          authorization: req.headers['authorization'] ?? '',
        },
        body: Buffer.concat(chunks),
      })
      .then(async (up) => {
        res.writeHead(up.statusCode, {
          'content-type': String(up.headers['content-type'] ?? 'application/json'),
        })
        await pipeline(up.body, res)
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(502)
        res.end()
      })
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`)
})
process.on('SIGTERM', () => server.close(() => void pool.close().then(() => process.exit(0))))
