import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { acceptAll, closedPort, errorLog, startStub } from '../test/harness.js'
import { createVigil } from './index.js'

const run = promisify(execFile)
const CHILD = fileURLToPath(new URL('../test/exit-check.ts', import.meta.url))
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url))

let stub: Awaited<ReturnType<typeof startStub>> | undefined
afterEach(async () => {
  await stub?.close()
  stub = undefined
})

describe('when Vigil is unreachable or misconfigured', () => {
  it('keeps the host working, counts what it could not send, and reports it', async () => {
    const log = errorLog()
    const vigil = createVigil({
      endpoint: `http://127.0.0.1:${await closedPort()}`,
      apiKey: 'k',
      onError: log.onError,
      maxQueueSize: 5,
      maxBatchSize: 5,
      maxRetries: 1,
      initialBackoffMs: 5,
    })
    const values: number[] = []
    for (let i = 0; i < 20; i++) values.push(vigil.trace(`t${i}`, () => i))
    expect(values).toEqual([...Array(20).keys()])
    await vigil.flush(5000)
    const stats = vigil.stats()
    expect(stats).toMatchObject({ sent: 0, failed: 5, dropped: 15, queued: 0, retries: 1 })
    expect(log.errors.map((e) => e.code)).toContain('UNAVAILABLE')
    await vigil.shutdown()
  })

  it('never throws for a bad endpoint or a missing key, and counts every item as dropped', async () => {
    const log = errorLog()
    const vigil = createVigil({ endpoint: 'not a url', apiKey: '', onError: log.onError })
    expect(vigil.trace('t', () => 'ok')).toBe('ok')
    expect(vigil.feedback('0af7651916cd43dd8448eb211c80319c', { kind: 'copy' })).toMatch(/^fb_/)
    await vigil.flush()
    await vigil.shutdown()
    expect(vigil.stats()).toMatchObject({ dropped: 2, sent: 0 })
    expect(log.errors.map((e) => e.code)).toEqual(['INVALID_INPUT', 'UNAUTHORIZED'])
  })

  it('survives an onError that throws', async () => {
    const vigil = createVigil({
      endpoint: 'nope',
      apiKey: 'k',
      onError: () => {
        throw new Error('sink exploded')
      },
    })
    expect(vigil.trace('t', () => 1)).toBe(1)
    expect(vigil.feedback('t', { kind: 'thumbs' })).toBeUndefined()
    await vigil.shutdown()
  })

  it('retries a 503 after its Retry-After and sends the same batch again', async () => {
    stub = await startStub((n, request) =>
      n === 0 ? { status: 503, headers: { 'retry-after': '0' } } : acceptAll(request),
    )
    const vigil = createVigil({ endpoint: stub.url, apiKey: 'k', onError: () => {} })
    vigil.trace('retried', () => undefined)
    await vigil.flush()
    expect(vigil.stats()).toMatchObject({ sent: 1, retries: 1, failed: 0 })
    expect(stub.requests).toHaveLength(2)
    expect(stub.requests[1]!.body).toEqual(stub.requests[0]!.body)
    await vigil.shutdown()
  })

  it('makes flush and shutdown idempotent and safe to call in any order', async () => {
    stub = await startStub((_n, request) => acceptAll(request))
    const vigil = createVigil({ endpoint: stub.url, apiKey: 'k', onError: () => {} })
    vigil.trace('once', () => undefined)
    await Promise.all([vigil.flush(), vigil.shutdown(), vigil.shutdown()])
    await vigil.shutdown()
    await vigil.flush()
    expect(vigil.stats()).toMatchObject({ sent: 1, dropped: 0 })
    expect(stub.requests).toHaveLength(1)
  })
})

describe('the host process', () => {
  it('exits on its own although retries are pending (timers are unref()d)', async () => {
    const started = performance.now()
    await run(TSX, [CHILD, `http://127.0.0.1:${await closedPort()}`, 'idle'], { timeout: 20_000 })
    // six retries from 2 s would take over a minute if the timers held the process
    expect(performance.now() - started).toBeLessThan(15_000)
  })

  it('stays alive while it awaits flush(), through a Retry-After wait', async () => {
    stub = await startStub((n, request) =>
      n === 0 ? { status: 503, headers: { 'retry-after': '1' } } : acceptAll(request),
    )
    const { stdout } = await run(TSX, [CHILD, stub.url, 'flush'], { timeout: 20_000 })
    expect(JSON.parse(stdout)).toMatchObject({ sent: 1, retries: 1 })
  })
})
