import { makeSpan } from '@vigil/core/testing'
import { describe, expect, it } from 'vitest'
import { detectRefusal, refusalEvaluator } from './refusal.js'

describe('detectRefusal', () => {
  it('flags refusals', () => {
    const refusals = [
      "I'm sorry, but I can't help with that.",
      'As an AI language model, I cannot browse the internet.',
      "I won't be able to write that essay for you.",
      'That request goes against my guidelines.',
      'I must respectfully decline to provide instructions for that.',
      "I don't have access to real-time stock prices. Please check a financial website.",
    ]
    for (const text of refusals) expect(detectRefusal(text).refused, text).toBe(true)
  })

  it('does not flag polite partial answers or look-alike phrases', () => {
    const answers = [
      "I'm sorry to hear that! Here's how to fix it: open Settings and reset the cache.",
      "I can't stress enough how important backups are.",
      "Unfortunately, the API doesn't support batch deletes, but you can loop over the ids.",
      "I can't be certain, but the likely cause is a stale lockfile.",
      "I can't provide a diagnosis, but here are some general tips: rest, drink plenty of water, and take paracetamol as the package says. If the fever lasts more than three days or goes above 39 degrees, please see a doctor, and call emergency services if you have trouble breathing.",
    ]
    for (const text of answers) expect(detectRefusal(text).refused, text).toBe(false)
    expect(detectRefusal(answers[4]!).kind).toBe('partial')
  })

  it('reads curly apostrophes and capitals, and needs enough help words for a partial answer', () => {
    expect(detectRefusal('I’M SORRY, BUT I CAN’T HELP WITH THAT.').refused).toBe(true)
    expect(detectRefusal("I can't provide a diagnosis, but here are two tips: rest.").kind).toBe(
      'full',
    )
  })
})

describe('refusalEvaluator', () => {
  it('counts an empty output cut by the content filter, skips other empty outputs', async () => {
    const ctx = { now: 0 }
    const filtered = makeSpan({ output: '', finishReason: 'content_filter' })
    expect(await refusalEvaluator.evaluate(filtered, {}, ctx)).toMatchObject({
      scores: [{ name: 'refusal', value: true }],
    })
    const empty = makeSpan({ output: '' })
    expect(await refusalEvaluator.evaluate(empty, {}, ctx)).toMatchObject({ status: 'skipped' })
  })
})
