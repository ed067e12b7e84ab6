import type { Evaluator, Span } from '@vigil/core'
import { distance } from 'fastest-levenshtein'
import { z } from 'zod'
import { lastUserText } from './span-text.js'
import { contentWords, jaccard, stem } from './words.js'

/** How a later user turn showed the answer missed. */
export type CorrectionKind = 'explicit' | 'rephrase' | 'regenerate'

/** One signal found in a follow-up turn. */
export interface CorrectionSignal {
  kind: CorrectionKind
  evidence: string
}

const EXPLICIT: RegExp[] = [
  /\b(?:that'?s|this is|that is|it'?s|you'?re|you are|your (?:answer|code|response|solution) is|the answer is|this answer is)\s+(?:still\s+|just\s+|completely\s+|totally\s+|all\s+)?(?:not (?:right|correct|true|accurate|it|what i (?:asked|meant|wanted|said|need))|wrong|incorrect|inaccurate|false|mistaken|outdated|made up|nonsense|a hallucination|hallucinated)\b/,
  /^(?:no|nope|nah|wrong|incorrect|not quite|not really)\b(?!\s+(?:worries|problem|thanks|thank|need|rush|hurry|big deal|prob|that's (?:fine|great|perfect)))[\s,.!]/,
  /\b(?:i meant|what i meant|i was asking|i asked (?:for|about|you)|i didn'?t (?:ask|say|mean|want)|i did not (?:ask|say|mean|want)|not what i (?:asked|meant|wanted|said|was looking for)|i was talking about|i'?m talking about)\b/,
  /^actually,?\s+(?!(?:can|could|would|will|please|thanks|thank|that (?:works|worked|helped)|it (?:works|worked)|great|perfect|one more|also|another|let'?s|let me|how|what|why|while|i (?:also|have another|'?d like|want to add))\b)/,
  /\b(?:doesn'?t|does not|didn'?t|did not|won'?t|still (?:doesn'?t|does not|don'?t|isn'?t|won'?t)) (?:work|compile|run|help|answer|make sense|fix (?:it|the|anything)|solve)\b|\bstill (?:broken|failing|not working|wrong|getting the same|the same|crashes|crashing)\b|\bsame (?:error|problem|issue|result)\b/,
  /\byou (?:misunderstood|misread|got (?:it|that|this) wrong|are wrong|'re wrong|made (?:a|an) (?:mistake|error)|missed the point|didn'?t (?:answer|read|understand)|ignored)\b/,
  /\b(?:try again|wrong answer|please re-?read|read (?:my|the) question again|that didn'?t answer|are you sure|that can'?t be right|that doesn'?t (?:seem|look) right|double[- ]check|check again|that'?s not how|this is not how)\b/,
  /\b(?:regenerate|give me (?:a )?(?:different|another) (?:answer|response|version)|answer (?:it )?again)\b/,
]

// Thanks and praise at the start mean the answer landed, whatever follows.
const POSITIVE =
  /^(?:thanks|thank you|thx|great|perfect|awesome|nice|cool|excellent|brilliant|that works|it works|it worked|worked|got it|makes sense|ok(?:ay)? thanks|love it|exactly|yes|yep|correct)\b/

const normalize = (t: string): string =>
  t.toLowerCase().replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim()
const stems = (t: string): Set<string> => new Set(contentWords(t).map(stem))

/** Compares one earlier user message with the next one the same user sent. */
export function detectCorrection(previous: string, followUp: string): CorrectionSignal | null {
  const a = normalize(previous)
  const b = normalize(followUp)
  if (b.length === 0) return null
  if (a === b) return { kind: 'regenerate', evidence: 'same message sent again' }
  const positive = POSITIVE.test(b)
  for (const re of EXPLICIT) {
    const m = re.exec(b)
    if (m !== null && !(positive && re !== EXPLICIT[0]))
      return { kind: 'explicit', evidence: m[0].trim() }
  }
  if (positive) return null
  const lexical = jaccard(stems(a), stems(b))
  const edit = 1 - distance(a, b) / Math.max(a.length, b.length)
  if ((lexical >= 0.4 && stems(a).size >= 3) || edit >= 0.8) {
    return { kind: 'rephrase', evidence: `similarity ${Math.max(lexical, edit).toFixed(2)}` }
  }
  return null
}

const correctionConfigSchema = z.object({
  /** How many later turns of the session to look at. */
  lookahead: z.number().int().min(1).max(10).default(2),
})
/** Configuration of the user-correction evaluator. */
export type UserCorrectionConfig = z.output<typeof correctionConfigSchema>

function followUpSignals(span: Span, followUps: readonly Span[], config: UserCorrectionConfig) {
  const question = lastUserText(span)
  if (question === null) return null
  const signals: Array<CorrectionSignal & { turn: number }> = []
  followUps.slice(0, config.lookahead).forEach((next, i) => {
    const text = lastUserText(next)
    const signal = text === null ? null : detectCorrection(question, text)
    if (signal !== null) signals.push({ ...signal, turn: i + 1 })
  })
  return signals
}

/** Evaluator: did the user correct, rephrase or regenerate after this answer? */
export const userCorrectionEvaluator: Evaluator<UserCorrectionConfig> = {
  kind: 'user_correction',
  version: '1',
  configSchema: correctionConfigSchema,
  evaluate(span, config, ctx) {
    const followUps = (ctx.sessionFollowUps ?? []).filter((s) => s.kind === 'generation')
    if (followUps.length === 0)
      return Promise.resolve({ status: 'skipped', reason: 'no follow-up turns' })
    const signals = followUpSignals(span, followUps, config)
    if (signals === null) return Promise.resolve({ status: 'skipped', reason: 'no user message' })
    const first = signals[0]
    return Promise.resolve({
      status: 'scored',
      scores: [
        {
          name: 'user_correction',
          value: first !== undefined,
          explanation: first
            ? `${first.kind} in turn ${first.turn}: ${first.evidence}`
            : 'no correction',
          metadata: {
            signals: signals.map((s) => ({ kind: s.kind, turn: s.turn, evidence: s.evidence })),
          },
        },
      ],
    })
  },
}
