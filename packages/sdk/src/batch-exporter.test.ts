import { AppError } from '@vigil/core'
import { describe, expect, it } from 'vitest'
import type { QueueItem } from './batch-body.js'
import { BatchExporter, type ExporterLimits } from './batch-exporter.js'
import type { SendOutcome, Transport } from './transport.js'

const LIMITS: ExporterLimits = {
  maxQueueSize: 100,
  maxQueueBytes: 1_000_000,
  maxBatchSize: 10,
  maxBatchBytes: 100_000,
  flushIntervalMs: 60_000,
  maxRetries: 3,
  initialBackoffMs: 1,
  maxBackoffMs: 5,
}

const span = (n: number): QueueItem => ({ type: 'span', json: `{"spanId":"s${n}"}` })

/** A transport answering from a script; `hang` never answers. */
function fakeTransport(answer: (n: number, json: string) => SendOutcome | 'hang') {
  const sent: string[] = []
  let closed = 0
  const transport: Transport = {
    send(json) {
      sent.push(json)
      const outcome = answer(sent.length - 1, json)
      return outcome === 'hang' ? new Promise(() => {}) : Promise.resolve(outcome)
    },
    close: () => {
      closed += 1
    },
  }
  return { transport, sent, closed: () => closed }
}

const ok: SendOutcome = { kind: 'accepted', response: null }
const retry = (retryAfterMs?: number): SendOutcome => ({
  kind: 'retry',
  error: new AppError('UNAVAILABLE', 'down'),
  retryAfterMs,
})

function make(answer: Parameters<typeof fakeTransport>[0], limits: Partial<ExporterLimits> = {}) {
  const fake = fakeTransport(answer)
  const errors: AppError[] = []
  const exporter = new BatchExporter({
    transport: fake.transport,
    sink: (e) => errors.push(e),
    limits: { ...LIMITS, ...limits },
    random: () => 0.5,
  })
  return { exporter, errors, ...fake }
}

describe('BatchExporter', () => {
  it('holds at most maxQueueSize items and counts the rest as dropped, reporting once', async () => {
    const { exporter, errors } = make(() => 'hang', { maxQueueSize: 3 })
    for (let i = 0; i < 10; i++) exporter.enqueue(span(i))
    expect(exporter.stats()).toMatchObject({ queued: 3, dropped: 7, sent: 0 })
    expect(errors).toHaveLength(1)
    expect(errors[0]!.message).toMatch(/queue full/)
    await exporter.shutdown(10)
  })

  it('bounds the queue by bytes too', async () => {
    const { exporter } = make(() => 'hang', { maxQueueBytes: 40 })
    for (let i = 0; i < 5; i++) exporter.enqueue(span(i))
    expect(exporter.stats()).toMatchObject({ queued: 2, dropped: 3 })
    await exporter.shutdown(10)
  })

  it('sends in batches of maxBatchSize and maxBatchBytes, in order', async () => {
    const { exporter, sent } = make(() => ok, { maxBatchSize: 2 })
    for (let i = 0; i < 5; i++) exporter.enqueue(span(i))
    await exporter.flush(1000)
    expect(sent.map((b) => (JSON.parse(b) as { spans: unknown[] }).spans.length)).toEqual([2, 2, 1])
    expect(JSON.parse(sent[0]!)).toEqual({ spans: [{ spanId: 's0' }, { spanId: 's1' }] })
    expect(exporter.stats()).toMatchObject({ sent: 5, queued: 0 })

    const bytes = make(() => ok, { maxBatchBytes: 29 })
    for (let i = 0; i < 3; i++) bytes.exporter.enqueue(span(i))
    await bytes.exporter.flush(1000)
    expect(bytes.sent).toHaveLength(3)
  })

  it('sends a full batch without waiting for the interval', async () => {
    const { exporter, sent } = make(() => ok, { maxBatchSize: 2 })
    exporter.enqueue(span(1))
    exporter.enqueue(span(2))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(sent).toHaveLength(1)
    await exporter.shutdown(100)
  })

  it('sends steady traffic in full batches, leaving a partial one for the timer', async () => {
    const { exporter, sent, transport } = make(() => ok, { maxBatchSize: 10 })
    const send = transport.send.bind(transport)
    transport.send = (json) => new Promise((resolve) => setTimeout(() => resolve(send(json)), 20))
    for (let i = 0; i < 10; i++) exporter.enqueue(span(i))
    await new Promise((resolve) => setTimeout(resolve, 5))
    for (let i = 10; i < 13; i++) exporter.enqueue(span(i))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(sent).toHaveLength(1)
    expect(exporter.stats()).toMatchObject({ sent: 10, queued: 3 })
    await exporter.flush(1000)
    expect(sent).toHaveLength(2)
    expect(exporter.stats()).toMatchObject({ sent: 13, queued: 0 })
  })

  it('never puts edit feedback in the same request as spans', async () => {
    const { exporter, sent } = make(() => ok)
    exporter.enqueue(span(1))
    exporter.enqueue({ type: 'feedback', json: '{"kind":"edit"}', afterSpans: true })
    exporter.enqueue({ type: 'score', json: '{"name":"x"}' })
    await exporter.flush(1000)
    expect(sent).toEqual([
      '{"spans":[{"spanId":"s1"}]}',
      '{"scores":[{"name":"x"}],"feedback":[{"kind":"edit"}]}',
    ])
  })

  it('retries with backoff, then counts the batch as failed and reports it', async () => {
    const { exporter, errors, sent } = make(() => retry(), { maxRetries: 2 })
    exporter.enqueue(span(1))
    await exporter.flush(1000)
    expect(sent).toHaveLength(3)
    expect(exporter.stats()).toMatchObject({ failed: 1, retries: 2, sent: 0, queued: 0 })
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/gave up on 1 items after 2 retries/),
    ])
  })

  it('waits as long as Retry-After says before the next attempt', async () => {
    const { exporter, sent } = make((n) => (n === 0 ? retry(150) : ok))
    exporter.enqueue(span(1))
    const started = performance.now()
    await exporter.flush(2000)
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
    expect(sent).toHaveLength(2)
    expect(exporter.stats()).toMatchObject({ sent: 1, retries: 1 })
  })

  it('does not retry a refused batch, and counts items rejected one by one', async () => {
    const refused = make(() => ({
      kind: 'rejected',
      error: new AppError('UNAUTHORIZED', 'bad key'),
    }))
    refused.exporter.enqueue(span(1))
    await refused.exporter.flush(1000)
    expect(refused.sent).toHaveLength(1)
    expect(refused.exporter.stats()).toMatchObject({ rejected: 1, retries: 0 })
    expect(refused.errors[0]!.code).toBe('UNAUTHORIZED')

    const partial = make(() => ({
      kind: 'partial',
      response: {
        accepted: 1,
        rejected: 1,
        results: [
          { type: 'span', index: 0, id: 's0', status: 'accepted' },
          {
            type: 'span',
            index: 1,
            id: 's1',
            status: 'rejected',
            errors: [{ path: 'spans[1].startTime', message: 'bad' }],
          },
        ],
      },
    }))
    partial.exporter.enqueue(span(0))
    partial.exporter.enqueue(span(1))
    await partial.exporter.flush(1000)
    expect(partial.sent).toHaveLength(1)
    expect(partial.exporter.stats()).toMatchObject({ sent: 1, rejected: 1 })
    expect(partial.errors[0]!.message).toMatch(
      /rejected 1 of 2 items .*span s1: spans\[1\]\.startTime bad/,
    )
    expect(partial.errors[0]!.details.issues).toEqual([
      { path: 'spans[1].startTime', message: 'bad' },
    ])
  })

  it('gives up a flush at its timeout; shutdown is idempotent and drops what is left', async () => {
    const { exporter, errors, closed } = make(() => 'hang')
    exporter.enqueue(span(1))
    exporter.enqueue(span(2))
    const started = performance.now()
    await exporter.flush(50)
    expect(performance.now() - started).toBeLessThan(1000)
    const first = exporter.shutdown(50)
    expect(exporter.shutdown(50)).toBe(first)
    await first
    expect(closed()).toBe(1)
    expect(exporter.stats()).toMatchObject({ queued: 0, dropped: 2 })
    exporter.enqueue(span(3))
    exporter.enqueue(span(4))
    expect(exporter.stats().dropped).toBe(4)
    expect(errors.filter((e) => /after shutdown/.test(e.message))).toHaveLength(1)
  })

  it('resolves flush at once when there is nothing to send', async () => {
    const { exporter, sent } = make(() => ok)
    await exporter.flush(1000)
    expect(sent).toHaveLength(0)
  })
})
