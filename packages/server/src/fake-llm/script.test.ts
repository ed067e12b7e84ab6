import { describe, expect, it } from 'vitest'
import { createRequestLog, type RecordedRequest } from './recorder.js'
import { resolveScript, type Prompt } from './script.js'
import { parseScriptHeaders } from './script-headers.js'
import { splitText } from './sse.js'

const prompt = (lastUser: string): Prompt => ({
  lastUser,
  all: lastUser,
  afterToolResult: false,
  messageCount: 1,
})

describe('script layering', () => {
  it('start script < matching rule < request headers', () => {
    const base = {
      reply: 'base',
      latencyMs: 5,
      rules: [{ match: 'refund', reply: 'rule', ttftMs: 7 }],
    }
    expect(resolveScript(base, undefined, prompt('hello'))).toMatchObject({
      reply: 'base',
      latencyMs: 5,
      ttftMs: 0,
    })
    expect(resolveScript(base, undefined, prompt('a REFUND'))).toMatchObject({
      reply: 'rule',
      ttftMs: 7,
    })
    const headers = parseScriptHeaders({ 'x-fake-reply': 'header', 'x-fake-latency-ms': '9' })
    if (!headers.ok) throw new Error(headers.message)
    expect(resolveScript(base, headers.script, prompt('refund'))).toMatchObject({
      reply: 'header',
      latencyMs: 9,
      ttftMs: 7,
    })
  })
})

describe('parseScriptHeaders', () => {
  it('reads every single-value header', () => {
    const parsed = parseScriptHeaders({
      'x-fake-chunks': '3',
      'x-fake-chunk-delay-ms': '2',
      'x-fake-usage': 'off',
      'x-fake-hang': 'true',
      'x-fake-drop-after-chunks': '1',
      'x-fake-cache-write-tokens': '12',
      'x-fake-tool-call': 'lookup',
      'x-fake-verdict': 'PASS',
      'x-fake-verdict-reasons': 'fine',
      'x-fake-error-status': '529',
      'x-fake-retry-after': '3',
    })
    expect(parsed).toEqual({
      ok: true,
      script: {
        chunks: 3,
        chunkDelayMs: 2,
        usage: false,
        hang: true,
        dropAfterChunks: 1,
        cacheWriteTokens: 12,
        toolCall: { name: 'lookup' },
        verdicts: [{ match: '', choice: 'PASS', reasons: 'fine' }],
        error: { status: 529, retryAfterSeconds: 3 },
      },
    })
    expect(parseScriptHeaders({ 'x-fake-tool-call': 'off' })).toEqual({
      ok: true,
      script: { toolCall: false },
    })
  })

  it('rejects what it cannot read, naming the header', () => {
    expect(parseScriptHeaders({ 'x-fake-latency-ms': 'soon' })).toEqual({
      ok: false,
      message: 'x-fake-latency-ms must be a number',
    })
    expect(parseScriptHeaders({ 'x-fake-script': '{' })).toMatchObject({ ok: false })
    const badRule = parseScriptHeaders({ 'x-fake-script': '{"rules":[{"match":"(","reply":"x"}]}' })
    expect(badRule).toEqual({
      ok: false,
      message: 'x-fake-script: script.rules[0].match is not a valid regular expression',
    })
  })
})

describe('splitText', () => {
  it('cuts per word by default and evenly by code point when counted', () => {
    expect(splitText('one two  three', undefined)).toEqual(['one', ' two', '  three'])
    expect(splitText('ab😀cd', 2)).toEqual(['ab', '😀cd'])
    expect(splitText('ab😀cd', 5).join('|')).toBe('a|b|😀|c|d')
    expect(splitText('', undefined)).toEqual([''])
  })
})

describe('request log', () => {
  it('is a ring of the newest entries, oldest first', () => {
    const log = createRequestLog(2)
    const entry = (path: string) => ({ path }) as RecordedRequest
    log.add(entry('/a'))
    log.add(entry('/b'))
    log.add(entry('/c'))
    expect(log.list().map((r) => r.path)).toEqual(['/b', '/c'])
    log.clear()
    expect(log.list()).toEqual([])
    const off = createRequestLog(0)
    off.add(entry('/a'))
    expect(off.list()).toEqual([])
  })
})
