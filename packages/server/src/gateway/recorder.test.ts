import type { IngestResponse, SpanInput } from '@vigil/core'
import { describe, expect, it } from 'vitest'
import type { Capture } from './capture.js'
import { createRecorder } from './recorder.js'

const capture = (projectId: string, n: number) =>
  ({ projectId, spanId: `s${n}` }) as unknown as Capture
const span = (c: Capture): SpanInput => ({
  traceId: 't',
  spanId: c.spanId,
  name: 'x',
  startTime: 0,
  input: 'prompt',
  output: 'answer',
})
const accepted = (spans: SpanInput[]): IngestResponse => ({
  accepted: spans.length,
  rejected: 0,
  results: spans.map((s, index) => ({ type: 'span', index, id: s.spanId, status: 'accepted' })),
})

describe('recorder', () => {
  it('writes captures in batches per project, and flush waits for them', async () => {
    const writes: [string, string[]][] = []
    const recorder = createRecorder({
      build: (c) => Promise.resolve(span(c)),
      ingest: (projectId, spans) => {
        writes.push([projectId, spans.map((s) => s.spanId)])
        return Promise.resolve(accepted(spans))
      },
      problem: () => undefined,
      delayMs: 1000,
    })
    for (let i = 0; i < 5; i += 1) recorder.enqueue(capture(i % 2 === 0 ? 'a' : 'b', i))
    await recorder.flush()
    expect(writes.flatMap(([, ids]) => ids).sort()).toEqual(['s0', 's1', 's2', 's3', 's4'])
    expect(
      writes.every(([p, ids]) => ids.every((id) => (Number(id[1]) % 2 === 0) === (p === 'a'))),
    ).toBe(true)
    expect(recorder.stats('a')).toEqual({ recorded: 3, dropped: 0, failed: 0, rejected: 0 })
  })

  it('starts recording before the delay is up once eagerCount captures wait', async () => {
    const written: string[] = []
    let wrote: () => void = () => undefined
    const first = new Promise<void>((resolve) => (wrote = resolve))
    const recorder = createRecorder({
      build: (c) => Promise.resolve(span(c)),
      ingest: (_projectId, spans) => {
        written.push(...spans.map((s) => s.spanId))
        wrote()
        return Promise.resolve(accepted(spans))
      },
      problem: () => undefined,
      delayMs: 3_600_000,
      eagerCount: 3,
    })
    recorder.enqueue(capture('p', 0))
    recorder.enqueue(capture('p', 1))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(written).toEqual([])
    recorder.enqueue(capture('p', 2))
    // no flush(): the third capture alone starts the write, an hour before the timer
    await first
    await recorder.flush()
    expect(written.sort()).toEqual(['s0', 's1', 's2'])
  })

  it('drops and counts when the queue is full, and counts storage failures (fail-open)', async () => {
    const problems: string[] = []
    const recorder = createRecorder({
      build: (c) => Promise.resolve(span(c)),
      ingest: () => Promise.reject(new Error('storage down')),
      problem: (message) => problems.push(message),
      maxQueued: 3,
      delayMs: 1000,
    })
    for (let i = 0; i < 5; i += 1) recorder.enqueue(capture('p', i))
    await recorder.flush()
    expect(recorder.stats('p')).toEqual({ recorded: 0, dropped: 2, failed: 3, rejected: 0 })
    expect(problems).toContain('storage did not record gateway calls')
  })

  it('records a span that does not validate again without its content', async () => {
    const seen: SpanInput[][] = []
    const recorder = createRecorder({
      build: (c) => Promise.resolve(span(c)),
      ingest: (_projectId, spans) => {
        seen.push(spans)
        if (seen.length > 1) return Promise.resolve(accepted(spans))
        return Promise.resolve({
          accepted: 0,
          rejected: 1,
          results: [
            {
              type: 'span',
              index: 0,
              id: 's0',
              status: 'rejected',
              errors: [{ path: 'spans[0].input', message: 'too deep' }],
            },
          ],
        })
      },
      problem: () => undefined,
      delayMs: 0,
    })
    recorder.enqueue(capture('p', 0))
    await recorder.flush()
    expect(seen[1]![0]).toMatchObject({
      spanId: 's0',
      metadata: { gateway: { contentDropped: 'spans[0].input: too deep' } },
    })
    expect(seen[1]![0]!.input).toBeUndefined()
    expect(recorder.stats('p')).toEqual({ recorded: 1, dropped: 0, failed: 0, rejected: 1 })
  })
})
