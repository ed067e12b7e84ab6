import { makeSpan } from '@vigil/core/testing'
import { describe, expect, it } from 'vitest'
import { detectCorrection, userCorrectionEvaluator } from './user-correction.js'

const question = 'How do I export a table to CSV in PostgreSQL?'

describe('detectCorrection', () => {
  it('finds explicit corrections, rephrasings and regenerations', () => {
    expect(detectCorrection(question, "That's wrong, COPY needs superuser.")?.kind).toBe('explicit')
    expect(detectCorrection(question, 'No, I meant from psql on my laptop.')?.kind).toBe('explicit')
    expect(
      detectCorrection(question, 'Actually it has to run without superuser rights.')?.kind,
    ).toBe('explicit')
    expect(detectCorrection(question, 'It still doesnt work, same error.')?.kind).toBe('explicit')
    expect(
      detectCorrection(question, 'How can I export a PostgreSQL table as a CSV file?')?.kind,
    ).toBe('rephrase')
    expect(detectCorrection(question, question)?.kind).toBe('regenerate')
  })

  it('does not flag thanks, new requests or "no problem"', () => {
    for (const next of [
      'Thanks, that worked! Now how do I import one?',
      'Actually, can you also show how to gzip it?',
      'No worries, and how do I schedule it nightly?',
      'Great. What about MySQL?',
    ]) {
      expect(detectCorrection(question, next), next).toBeNull()
    }
  })
})

describe('userCorrectionEvaluator', () => {
  const config = userCorrectionEvaluator.configSchema.parse({})
  const span = makeSpan({ input: [{ role: 'user', content: question }] })

  it('reads the next turns of the session', async () => {
    const next = makeSpan({
      input: [
        { role: 'user', content: question },
        { role: 'assistant', content: 'Use COPY.' },
        { role: 'user', content: "that's not what I asked" },
      ],
    })
    expect(
      await userCorrectionEvaluator.evaluate(span, config, { now: 0, sessionFollowUps: [next] }),
    ).toMatchObject({
      scores: [
        {
          name: 'user_correction',
          value: true,
          metadata: { signals: [{ kind: 'explicit', turn: 1 }] },
        },
      ],
    })
  })

  it('skips a span with no follow-up turns', async () => {
    expect(await userCorrectionEvaluator.evaluate(span, config, { now: 0 })).toMatchObject({
      status: 'skipped',
    })
  })
})
