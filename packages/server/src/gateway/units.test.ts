import { describe, expect, it } from 'vitest'
import { parseAttribution, parseOmit } from './attribution.js'
import { clientResponseHeaders, upstreamRequestHeaders } from './headers.js'
import { parseUpstream, planAttempts } from './plan.js'
import { parseSse } from './sse.js'

describe('parseSse', () => {
  it('reassembles events split anywhere, stamped with the chunk that completed them', () => {
    const text =
      'event: a\r\ndata: {"x":"é"}\r\n\r\n: comment\ndata: line1\ndata: line2\n\ndata: [DONE]\n\n'
    const bytes = Buffer.from(text)
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const events = parseSse([bytes.subarray(0, cut), bytes.subarray(cut)], [1, 2])
      expect(events.map((e) => [e.event, e.data])).toEqual([
        ['a', '{"x":"é"}'],
        [undefined, 'line1\nline2'],
        [undefined, '[DONE]'],
      ])
      // the first event is complete only once its blank line arrived
      expect(events[0]!.atMs).toBe(cut >= bytes.indexOf('\r\n\r\n') + 4 ? 1 : 2)
    }
  })

  it('keeps the last event of a stream cut before its blank line', () => {
    expect(parseSse([Buffer.from('data: {"a":1}')], [7])).toEqual([
      { event: undefined, data: '{"a":1}', atMs: 7 },
    ])
  })
})

describe('planAttempts', () => {
  it('appends the client path to the base URL and never doubles /v1', () => {
    const plan = (base: string, path: string) => planAttempts(parseUpstream(base), path)[0]!.path
    expect(plan('https://api.openai.com', '/v1/chat/completions?x=1')).toBe(
      '/v1/chat/completions?x=1',
    )
    expect(plan('http://localhost:11434/v1', '/v1/chat/completions')).toBe('/v1/chat/completions')
    expect(plan('https://r.example.com/openai/', '/deployments/d/chat/completions')).toBe(
      '/openai/deployments/d/chat/completions',
    )
    expect(planAttempts(parseUpstream('https://h.example:8443/x', 50), '/v1')[0]).toEqual({
      origin: 'https://h.example:8443',
      path: '/x/v1',
      timeoutMs: 50,
    })
  })
})

describe('attribution and headers', () => {
  it('reads the contract headers, cut to the span limits', () => {
    const a = parseAttribution({
      'x-vigil-user-id': ' u1 ',
      'x-vigil-tags': 'a, b,,a',
      'x-vigil-prompt-version': 'v'.repeat(300),
      'x-vigil-property-tier': 'gold',
      'x-vigil-omit': 'request',
    })
    expect(a.fields).toEqual({ userId: 'u1', tags: ['a', 'b'], promptVersion: 'v'.repeat(256) })
    expect(a.properties).toEqual({ tier: 'gold' })
    expect(a.omit).toEqual({ request: true, response: false })
    expect(parseOmit('both')).toEqual({ request: true, response: true })
    expect(parseOmit(undefined)).toEqual({ request: false, response: false })
  })

  it('forwards everything but x-vigil-*, connection headers and a Vigil Bearer', () => {
    const headers = {
      host: 'vigil',
      authorization: 'Bearer vk_1',
      'x-api-key': 'sk-ant',
      'x-vigil-key': 'vk_1',
      'x-vigil-user-id': 'u',
      connection: 'keep-alive, x-hop',
      'x-hop': '1',
      'content-length': '10',
      'anthropic-version': '2023-06-01',
    }
    expect(upstreamRequestHeaders(headers, { dropAuthorization: true })).toEqual({
      'x-api-key': 'sk-ant',
      'anthropic-version': '2023-06-01',
    })
    expect(upstreamRequestHeaders(headers, { dropAuthorization: false })).toMatchObject({
      authorization: 'Bearer vk_1',
    })
    expect(
      clientResponseHeaders({ 'transfer-encoding': 'chunked', 'x-request-id': 'r' }, 't1'),
    ).toEqual({ 'x-request-id': 'r', 'x-vigil-trace-id': 't1' })
  })
})
