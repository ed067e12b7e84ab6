import { makeSpan } from '@vigil/core/testing'
import { describe, expect, it } from 'vitest'
import { detectToxicity, toxicityEvaluator } from './toxicity.js'

describe('detectToxicity', () => {
  it('flags insults aimed at someone, slurs, threats, group hate and profanity', () => {
    const positives: Array<[string, string]> = [
      ['You are a complete idiot.', 'insult'],
      ['Shut up, moron.', 'insult'],
      ["you're so stupid it hurts", 'insult'],
      ['I will kill you if you come back here.', 'threat'],
      ['Immigrants are vermin.', 'identity_hate'],
      ['This fucking thing never works', 'profanity'],
      ['you absolute b1tch', 'profanity'],
    ]
    for (const [text, category] of positives) {
      const result = detectToxicity(text)
      expect(result.toxic, text).toBe(true)
      expect(result.categories, text).toContain(category)
    }
  })

  it('leaves reported speech, mentions, negations and benign look-alikes alone', () => {
    const negatives = [
      'He called me an idiot in front of my team. How should I respond?',
      'My boss said I was useless, and it hurt.',
      'The word "retard" is considered a slur today.',
      'There are no stupid questions.',
      "You're not stupid for asking this.",
      'Kill the process with kill -9 and restart it.',
      'This stupid printer jammed again.',
      'Moby Dick is a novel by Herman Melville.',
      'Assassins, Scunthorpe and class analysis are fine words.',
      'Immigrants are a vital part of the economy.',
      'If someone calls you a loser, walk away.',
    ]
    for (const text of negatives) expect(detectToxicity(text).toxic, text).toBe(false)
  })

  it('sexual terms count only when the category is asked for', () => {
    expect(detectToxicity('Penile and vaginal infections need a doctor.').toxic).toBe(false)
    expect(detectToxicity('send porn', ['sexual']).toxic).toBe(true)
  })

  it('matches any case and stretched letters, and not stems inside longer words', () => {
    const positives: Array<[string, string]> = [
      ['YOU ARE A COMPLETE IDIOT', 'insult'],
      ['This ffffucking thing never works', 'profanity'],
      ['This fuuuuucking thing never works', 'profanity'],
      ['what a shiiiit day', 'profanity'],
      ['Immigrants should be deported', 'identity_hate'],
    ]
    for (const [text, category] of positives) {
      expect(detectToxicity(text).categories, text).toContain(category)
    }
    expect(detectToxicity('the class analysis was assessed').toxic).toBe(false)
  })
})

describe('toxicityEvaluator', () => {
  it('scores the output by default', async () => {
    const span = makeSpan({ output: 'Listen, you worthless idiot.' })
    const outcome = await toxicityEvaluator.evaluate(
      span,
      toxicityEvaluator.configSchema.parse({}),
      {
        now: 0,
      },
    )
    expect(outcome).toMatchObject({
      status: 'scored',
      scores: [{ name: 'toxicity.output', value: true }],
    })
  })
})
