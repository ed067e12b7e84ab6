import type { ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'

/** A whole JSON (or scripted text) response. */
export interface JsonReply {
  readonly kind: 'json'
  readonly status: number
  /** A string is sent verbatim, anything else as JSON. */
  readonly body: unknown
  readonly headers?: Readonly<Record<string, string>>
  /** How many deltas the content would have streamed in: a non-streamed reply takes as long. */
  readonly pieces?: number
}

/** A server-sent-event stream, already framed: preamble, content deltas, closing events. */
export interface StreamReply {
  readonly kind: 'stream'
  readonly head: readonly string[]
  readonly body: readonly string[]
  readonly tail: readonly string[]
  readonly headers?: Readonly<Record<string, string>>
}

/** What an endpoint answers. */
export type Reply = JsonReply | StreamReply

/** The scripted timing and failure of one response. */
export interface Timing {
  readonly latencyMs: number
  readonly ttftMs: number
  readonly chunkDelayMs: number
  readonly dropAfterChunks: number | undefined
}

/** No waiting, no failure: for answers about the request itself (auth, validation). */
export const IMMEDIATE: Timing = {
  latencyMs: 0,
  ttftMs: 0,
  chunkDelayMs: 0,
  dropAfterChunks: undefined,
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
}

/** Writes a reply with the scripted delays; a drop destroys the socket mid-body. */
export async function sendReply(res: ServerResponse, reply: Reply, timing: Timing): Promise<void> {
  if (reply.kind === 'json') return sendJson(res, reply, timing)
  return sendStream(res, reply, timing)
}

async function sendJson(res: ServerResponse, reply: JsonReply, timing: Timing): Promise<void> {
  const pieces = reply.pieces ?? 0
  const generation = pieces > 0 ? timing.ttftMs + timing.chunkDelayMs * (pieces - 1) : 0
  if (!(await wait(res, timing.latencyMs + generation))) return
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body)
  const json = typeof reply.body !== 'string' || looksLikeJson(reply.body)
  const length = Buffer.byteLength(text)
  res.writeHead(reply.status, {
    'content-type': json ? 'application/json' : 'text/plain; charset=utf-8',
    'content-length': length,
    ...reply.headers,
  })
  if (pieces > 0 && timing.dropAfterChunks !== undefined) {
    res.write(Buffer.from(text).subarray(0, length >> 1))
    drop(res)
    return
  }
  // a string lets node send headers and body in one write
  res.end(text)
}

async function sendStream(res: ServerResponse, reply: StreamReply, timing: Timing): Promise<void> {
  if (!(await wait(res, timing.latencyMs))) return
  res.writeHead(200, { ...SSE_HEADERS, ...reply.headers })
  const { head, body, tail } = reply
  const cut = timing.dropAfterChunks
  const sent = cut === undefined ? body.length : Math.min(cut, body.length)
  if (timing.ttftMs === 0 && timing.chunkDelayMs === 0) {
    // nothing to wait for: one write keeps the per-request cost to a single syscall
    const frames = [...head, ...body.slice(0, sent)]
    if (cut !== undefined) {
      res.write(frames.join(''))
      drop(res)
      return
    }
    res.end(frames.join('') + tail.join(''))
    return
  }
  if (head.length > 0) res.write(head.join(''))
  for (let i = 0; i < sent; i += 1) {
    if (!(await wait(res, i === 0 ? timing.ttftMs : timing.chunkDelayMs))) return
    res.write(body[i])
  }
  if (cut !== undefined) drop(res)
  else res.end(tail.join(''))
}

/** Waits, then says whether the client is still there to answer. */
async function wait(res: ServerResponse, ms: number): Promise<boolean> {
  // writing to a response whose client has gone would raise an unhandled 'error' event
  if (ms > 0) await sleep(ms)
  return !res.destroyed
}

/** Closes the socket without finishing the HTTP message: the client sees a broken response. */
function drop(res: ServerResponse): void {
  const socket = res.socket
  if (socket === null) return
  // flush what was written, then close; no terminating chunk is ever sent
  socket.destroySoon()
}

function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0]
  return first === '{' || first === '['
}
