import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorLog, getTrace, startVigil, TEST_KEY, type RunningServer } from '../test/harness.js'
import { createVigil, type Vigil } from './index.js'

let server: RunningServer
let vigil: Vigil
const log = errorLog()

beforeAll(async () => {
  server = await startVigil()
  vigil = createVigil({
    endpoint: server.url,
    apiKey: TEST_KEY,
    defaults: { environment: 'test', release: 'r1' },
    onError: log.onError,
  })
})

afterAll(async () => {
  await vigil.shutdown()
  await server.close()
})

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('trace, span and generation', () => {
  it('nests calls into one tree with attribution on every span', async () => {
    const traceId = await vigil.trace(
      'handle-request',
      async (root) => {
        await vigil.span(
          'retrieve',
          async (s) => {
            await pause(2)
            s.update({
              input: 'where is my order?',
              context: [{ content: 'orders ship in 2 days' }],
            })
          },
          { kind: 'retrieval' },
        )
        vigil.span('sync-step', (s) => expect(vigil.activeSpan()?.spanId).toBe(s.spanId))
        expect(vigil.activeSpan()?.spanId).toBe(root.spanId)
        await vigil.generation('answer', async (g) => {
          await vigil.span('tool', () => pause(1), { kind: 'tool', feature: 'tools' })
          g.update({ model: 'gpt-test', output: 'In 2 days.', usage: { input: 10, output: 4 } })
        })
        return root.traceId
      },
      { userId: 'u1', sessionId: 's1', tags: ['a'], promptName: 'support', promptVersion: '3' },
    )
    expect(traceId).toMatch(/^[0-9a-f]{32}$/)
    await vigil.flush()

    const { status, body } = await getTrace(server, traceId)
    expect(status).toBe(200)
    const byName = Object.fromEntries(body.spans.map((s: any) => [s.name, s]))
    const root = byName['handle-request']
    expect(root.parentSpanId).toBeNull()
    expect(root.spanId).toMatch(/^[0-9a-f]{16}$/)
    expect(byName['retrieve'].parentSpanId).toBe(root.spanId)
    expect(byName['sync-step'].parentSpanId).toBe(root.spanId)
    expect(byName['answer'].parentSpanId).toBe(root.spanId)
    expect(byName['tool'].parentSpanId).toBe(byName['answer'].spanId)
    expect(body.tree).toEqual([
      {
        spanId: root.spanId,
        children: expect.arrayContaining([
          { spanId: byName['retrieve'].spanId, children: [] },
          {
            spanId: byName['answer'].spanId,
            children: [{ spanId: byName['tool'].spanId, children: [] }],
          },
        ]),
      },
    ])
    for (const span of body.spans) {
      expect(span).toMatchObject({
        userId: 'u1',
        sessionId: 's1',
        environment: 'test',
        release: 'r1',
        promptName: 'support',
        promptVersion: '3',
        status: 'ok',
      })
    }
    expect(byName['tool'].feature).toBe('tools')
    expect(byName['retrieve']).toMatchObject({ kind: 'retrieval', input: 'where is my order?' })
    expect(byName['retrieve'].context[0].content).toBe('orders ship in 2 days')
    expect(byName['answer']).toMatchObject({
      kind: 'generation',
      model: 'gpt-test',
      output: 'In 2 days.',
      usage: { input: 10, output: 4 },
    })
    expect(byName['retrieve'].durationMs).toBeGreaterThanOrEqual(1)
    expect(root.durationMs).toBeGreaterThanOrEqual(byName['retrieve'].durationMs)
  })

  it('returns what the function returns, sync or async, and keeps the promise it returned', async () => {
    expect(vigil.trace('sync', () => 'value')).toBe('value')
    const promise = Promise.resolve(7)
    expect(vigil.trace('same-promise', () => promise)).toBe(promise)
    await expect(vigil.span('async', () => Promise.resolve({ n: 1 }))).resolves.toEqual({ n: 1 })
  })

  it('records errors and rethrows the very same error, sync and async', async () => {
    class HostError extends Error {
      code = 'E_HOST'
    }
    const syncError = new HostError('sync boom')
    const asyncError = new HostError('async boom')
    let syncTrace = ''
    let asyncTrace = ''
    expect(() =>
      vigil.trace('sync-fail', (t) => {
        syncTrace = t.traceId
        throw syncError
      }),
    ).toThrow(syncError)
    await expect(
      vigil.trace('async-fail', async (t) => {
        asyncTrace = t.traceId
        await pause(1)
        throw asyncError
      }),
    ).rejects.toBe(asyncError)
    await vigil.flush()
    const sync: any = (await getTrace(server, syncTrace)).body.spans[0]
    expect(sync).toMatchObject({ status: 'error', statusMessage: 'sync boom' })
    expect(sync.metadata['error.type']).toBe('HostError')
    const failed = (await getTrace(server, asyncTrace)).body.spans[0]
    expect(failed).toMatchObject({ status: 'error', statusMessage: 'async boom' })
  })

  it('applies withAttributes and setAttributes to the spans that follow', async () => {
    const traceId = await vigil.withAttributes({ userId: 'outer', feature: 'chat' }, () =>
      vigil.trace('attributed', async (t) => {
        t.setAttributes({ sessionId: 'late-session' })
        await vigil.withAttributes({ userId: 'inner' }, () => vigil.span('inner', async () => {}))
        return t.traceId
      }),
    )
    await vigil.flush()
    const spans = (await getTrace(server, traceId)).body.spans
    const byName = Object.fromEntries(spans.map((s: any) => [s.name, s]))
    expect(byName['attributed']).toMatchObject({
      userId: 'outer',
      feature: 'chat',
      sessionId: 'late-session',
    })
    expect(byName['inner']).toMatchObject({
      userId: 'inner',
      feature: 'chat',
      sessionId: 'late-session',
    })
  })

  it('keeps a span whose metadata cannot be serialized', async () => {
    const cyclic: Record<string, unknown> = { big: 10n }
    cyclic['self'] = cyclic
    const throwing = {
      toJSON: () => {
        throw new Error('no json for you')
      },
    }
    const ids = vigil.trace('odd-metadata', (t) => {
      t.update({ metadata: { cyclic } })
      vigil.span('throwing-metadata', (s) => s.update({ metadata: { throwing } }))
      return t.traceId
    })
    await vigil.flush()
    const spans = (await getTrace(server, ids)).body.spans
    const byName = Object.fromEntries(spans.map((s: any) => [s.name, s]))
    expect(byName['odd-metadata'].metadata.cyclic).toEqual({ big: '10', self: '[Circular]' })
    expect(byName['throwing-metadata'].metadata['vigil.unserializable']).toMatch(
      /not be serialized/,
    )
    expect(log.errors.some((e) => /not serializable/.test(e.message))).toBe(true)
  })

  it('stores feedback and scores as scores of the trace', async () => {
    const traceId = vigil.trace('answered', (t) => {
      t.update({ output: 'The capital of France is Paris.' })
      return t.traceId
    })
    await vigil.flush()
    expect(vigil.feedback(traceId, { kind: 'thumbs', value: 'up', comment: 'nice' })).toMatch(
      /^fb_/,
    )
    vigil.feedback(traceId, { kind: 'rating', value: 4 })
    vigil.feedback(traceId, { kind: 'correction', correction: 'Paris, France.' })
    vigil.feedback(traceId, { kind: 'regenerate' })
    vigil.feedback(traceId, { kind: 'edit', finalText: 'The capital of France is Paris!' })
    expect(vigil.score(traceId, { name: 'helpfulness', value: 0.9, source: 'human' })).toMatch(
      /^sc_/,
    )
    await vigil.flush()
    const scores = (await getTrace(server, traceId)).body.scores
    const byName = Object.fromEntries(scores.map((s: any) => [s.name, s]))
    expect(byName['feedback.thumbs']).toMatchObject({
      source: 'user',
      dataType: 'boolean',
      value: 1,
      explanation: 'nice',
    })
    expect(byName['feedback.rating']).toMatchObject({ value: 4 })
    expect(byName['feedback.correction']).toMatchObject({ explanation: 'Paris, France.' })
    expect(byName['feedback.regenerate']).toMatchObject({ value: 1 })
    // the span was stored before the edit arrived, so the server measured the distance
    expect(byName['feedback.edit']).toMatchObject({ value: 1 })
    expect(byName['helpfulness']).toMatchObject({ value: 0.9, source: 'human' })
  })

  it('reports a span the server rejects on its own (207) and does not resend it', async () => {
    const before = { errors: log.errors.length, stats: vigil.stats() }
    const ids = vigil.trace('fine', (t) => {
      vigil.span('too-many-tags', () => undefined, {
        tags: Array.from({ length: 100 }, (_, i) => `t${i}`),
      })
      return t.traceId
    })
    await vigil.flush()
    const after = vigil.stats()
    expect(after.rejected - before.stats.rejected).toBe(1)
    expect(after.sent - before.stats.sent).toBe(1)
    const reported = log.errors.slice(before.errors)
    expect(reported).toHaveLength(1)
    expect(reported[0]!.code).toBe('INVALID_INPUT')
    expect(reported[0]!.details.issues![0]!.path).toMatch(/^spans\[\d+\]\.tags$/)
    expect((await getTrace(server, ids)).body.spans.map((s) => s.name)).toEqual(['fine'])
  })

  it('records what the host passed, not what it changed afterwards', async () => {
    const metadata = { step: 1 }
    const messages = [{ role: 'user', content: 'first' }]
    const tags = ['before']
    const traceId = vigil.trace(
      'snapshot',
      (t) => {
        t.update({ metadata, input: messages, usage: { input: 1, output: 1 } })
        return t.traceId
      },
      { tags },
    )
    metadata.step = 2
    messages[0]!.content = 'changed'
    messages.push({ role: 'assistant', content: 'later' })
    tags.push('after')
    await vigil.flush()
    const [span] = (await getTrace(server, traceId)).body.spans
    expect(span).toMatchObject({
      metadata: { step: 1 },
      input: [{ role: 'user', content: 'first' }],
      tags: ['before'],
    })
  })

  it('leaves inputs and outputs out when captureContent is false', async () => {
    const quiet = createVigil({ endpoint: server.url, apiKey: TEST_KEY, captureContent: false })
    const traceId = quiet.trace('private', (t) => {
      t.update({ input: 'secret question', output: 'secret answer', model: 'm1' })
      return t.traceId
    })
    await quiet.shutdown()
    const [span] = (await getTrace(server, traceId)).body.spans
    expect(span).toMatchObject({ input: null, output: null, model: 'm1' })
  })

  it('records and wraps nothing when disabled, still running the host code', async () => {
    const off = createVigil({ endpoint: 'not even a url', apiKey: '', enabled: false })
    const client = { chat: { completions: { create: () => 'answer' } } }
    expect(off.wrapOpenAI(client)).toBe(client)
    expect(off.trace('t', (t) => t.traceId)).toMatch(/^[0-9a-f]{32}$/)
    expect(off.feedback('t', { kind: 'copy' })).toBeUndefined()
    await off.shutdown()
    expect(off.stats()).toMatchObject({ sent: 0, dropped: 0, queued: 0 })
  })

  it('does not wrap a client it already wrapped', () => {
    const client = { chat: { completions: { create: () => Promise.resolve({}) } } }
    const once = vigil.wrapOpenAI(client)
    expect(vigil.wrapOpenAI(once)).toBe(once)
  })

  it('refuses invalid feedback through onError, without throwing', () => {
    const before = log.errors.length
    expect(vigil.feedback('t', { kind: 'thumbs' })).toBeUndefined()
    expect(vigil.score('t', { name: '', value: 1 })).toBeUndefined()
    expect(log.errors.slice(before).map((e) => e.code)).toEqual(['INVALID_INPUT', 'INVALID_INPUT'])
  })
})
