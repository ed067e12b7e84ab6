import { distance } from 'fastest-levenshtein'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../main.js'
import { call, startTestServer } from '../testing.js'

let server: RunningServer
const OUTPUT = 'Open Settings, then Security, then Reset password.'

beforeAll(async () => {
  server = await startTestServer()
  const span = {
    traceId: 'fb-trace',
    spanId: 'answer',
    name: 'chat',
    kind: 'generation',
    startTime: Date.now(),
    input: 'How do I reset my password?',
    output: [{ role: 'assistant', content: OUTPUT }],
  }
  await call(server, { method: 'POST', url: '/api/v1/ingest', body: { spans: [span] } })
})
afterAll(async () => {
  await server.close()
})

const feedback = (body: Record<string, unknown>) =>
  call(server, { method: 'POST', url: '/api/v1/feedback', body: { traceId: 'fb-trace', ...body } })

describe('POST /api/v1/feedback', () => {
  it('stores every kind of feedback as a user score', async () => {
    const sent = [
      { feedbackId: 'f-up', kind: 'thumbs', value: 'up' },
      { feedbackId: 'f-rate', kind: 'rating', value: 2, comment: 'meh' },
      { feedbackId: 'f-fix', kind: 'correction', correction: 'Use the Account page instead.' },
      { feedbackId: 'f-regen', kind: 'regenerate' },
      { feedbackId: 'f-copy', kind: 'copy' },
      { feedbackId: 'f-quit', kind: 'abandon', userId: 'u-9' },
    ]
    for (const body of sent) expect((await feedback(body)).statusCode).toBe(200)
    const scores = (await call(server, { method: 'GET', url: '/api/v1/traces/fb-trace' })).json()
      .scores as { scoreId: string; name: string; source: string }[]
    const byId = Object.fromEntries(scores.map((s) => [s.scoreId, s]))
    expect(byId['f-up']).toMatchObject({
      name: 'feedback.thumbs',
      source: 'user',
      dataType: 'boolean',
      value: 1,
    })
    expect(byId['f-rate']).toMatchObject({
      name: 'feedback.rating',
      dataType: 'numeric',
      value: 2,
      explanation: 'meh',
    })
    expect(byId['f-fix']).toMatchObject({
      name: 'feedback.correction',
      explanation: 'Use the Account page instead.',
    })
    expect(byId['f-regen']).toMatchObject({ name: 'feedback.regenerate', value: 1 })
    expect(byId['f-copy']).toMatchObject({ name: 'feedback.copy', value: 1 })
    expect(byId['f-quit']).toMatchObject({ name: 'feedback.abandon', metadata: { userId: 'u-9' } })
  })

  it('stores the text the user kept and its edit distance to the recorded output', async () => {
    const finalText = 'Open Settings, then Privacy, then Reset password.'
    const res = await feedback({ feedbackId: 'f-edit', kind: 'edit', spanId: 'answer', finalText })
    expect(res.statusCode).toBe(200)
    const scores = (await call(server, { method: 'GET', url: '/api/v1/traces/fb-trace' })).json()
      .scores
    const edit = scores.find((s: { scoreId: string }) => s.scoreId === 'f-edit')
    expect(edit).toMatchObject({
      name: 'feedback.edit',
      value: distance(OUTPUT, finalText),
      metadata: { finalText },
    })
    expect(edit.value).toBeGreaterThan(0)
  })

  it('stores a retried submission once and rejects incomplete feedback with field paths', async () => {
    await feedback({ feedbackId: 'f-once', kind: 'copy' })
    await feedback({ feedbackId: 'f-once', kind: 'copy' })
    const scores = (await call(server, { method: 'GET', url: '/api/v1/traces/fb-trace' })).json()
      .scores
    expect(scores.filter((s: { scoreId: string }) => s.scoreId === 'f-once')).toHaveLength(1)
    const missing = await feedback({ kind: 'thumbs' })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().results[0].errors[0].path).toBe('feedback[0].value')
    expect((await feedback({ kind: 'rating', value: 'great' })).statusCode).toBe(400)
    expect((await feedback({ kind: 'edit' })).statusCode).toBe(400)
    expect((await feedback({ kind: 'shrug' })).statusCode).toBe(400)
  })
})
