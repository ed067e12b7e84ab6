// Preload for Portkey's OSS gateway in the benchmark.
// 1. Its build calls serve({ fetch, port }) without a hostname, so it would bind every
//    interface: every listen() goes to 127.0.0.1 instead.
// 2. On Node, 1.15.x answers 500 to every streamed call: it appends headers to the fetch
//    Response, whose headers are immutable (Portkey-AI/gateway#1550, #1389). As the proposed
//    fix (#1551) does, streamed responses are re-wrapped in a Response with mutable headers;
//    whole (non-streamed) responses are left untouched.
import net from 'node:net'

const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  const [first, second] = args
  if (typeof first === 'object' && first !== null) args[0] = { ...first, host: '127.0.0.1' }
  else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof second === 'string') args[1] = '127.0.0.1'
    else args.splice(1, 0, '127.0.0.1')
  }
  return listen.apply(this, args)
}
const originalFetch = globalThis.fetch
globalThis.fetch = async function (...args) {
  const response = await originalFetch.apply(this, args)
  const type = response.headers.get('content-type') ?? ''
  if (!type.startsWith('text/event-stream')) return response
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: new Headers(response.headers),
  })
}
