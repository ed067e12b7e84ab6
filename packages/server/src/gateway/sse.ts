import { StringDecoder } from 'node:string_decoder'
import type { SseEvent } from './provider.js'

/**
 * Parses a server-sent-event stream from the chunks as they arrived, stamping each event with
 * the arrival time of the chunk that completed it. Runs after the response, off its path.
 */
export function parseSse(chunks: readonly Buffer[], times: readonly number[]): SseEvent[] {
  const decoder = new StringDecoder('utf8')
  const events: SseEvent[] = []
  let pending = ''
  let event: string | undefined
  let data: string[] = []

  const field = (line: string) => {
    if (line.startsWith(':')) return
    const colon = line.indexOf(':')
    const name = colon < 0 ? line : line.slice(0, colon)
    let value = colon < 0 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (name === 'data') data.push(value)
    else if (name === 'event') event = value
  }
  const feed = (text: string, atMs: number) => {
    pending += text
    let start = 0
    for (let end = lineEnd(pending, start); end >= 0; end = lineEnd(pending, start)) {
      const line = pending.slice(start, end)
      start = end + (pending.charCodeAt(end) === 13 && pending.charCodeAt(end + 1) === 10 ? 2 : 1)
      if (line !== '') field(line)
      else {
        if (data.length > 0) events.push({ event, data: data.join('\n'), atMs })
        event = undefined
        data = []
      }
    }
    pending = pending.slice(start)
  }

  chunks.forEach((chunk, i) => feed(decoder.write(chunk), times[i] ?? 0))
  // a stream cut before its final blank line still delivered its last event
  const rest = decoder.end()
  if (rest.length > 0 || pending.length > 0 || data.length > 0)
    feed(`${rest}\n\n`, times.at(-1) ?? 0)
  return events
}

/** Index of the next line terminator (LF, CRLF or CR); -1 when the line may still continue. */
function lineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i += 1) {
    const c = text.charCodeAt(i)
    if (c === 10) return i
    // a CR at the very end may be the first half of a CRLF split across chunks
    if (c === 13) return i + 1 < text.length ? i : -1
  }
  return -1
}
