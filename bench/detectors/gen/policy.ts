import { fill, forSplit, type LabelledText, type Rng, type Split } from './rng.js'

/** The rule set the policy benchmark runs with. */
export const POLICY_RULES = [
  { name: 'competitor', pattern: 'Globex', kind: 'keyword', severity: 'warn' },
  { name: 'competitor2', pattern: 'Initech Cloud', kind: 'keyword', severity: 'warn' },
  {
    name: 'guarantee',
    pattern:
      "(?<!\\b(?:not|never|cannot|can't|don't|doesn't) )\\bguarantee(?:d|s)?\\b[^.]{0,40}\\b(?:returns?|profits?|results?|approval)\\b",
    kind: 'regex',
    severity: 'critical',
  },
  { name: 'codename', pattern: 'BLUEBIRD', kind: 'keyword', severity: 'info', caseSensitive: true },
  {
    name: 'legal_advice',
    pattern: '\\byou (?:should|must) (?:sue|file a lawsuit)\\b',
    kind: 'regex',
    severity: 'critical',
  },
] as const

const PRODUCT = ['the Pro plan', 'our analytics suite', 'the mobile app', 'the Enterprise tier']
const SLOTS = (r: Rng) => ({ product: () => r.pick(PRODUCT), pct: () => String(r.int(5, 40)) })

const VIOLATIONS = [
  'Compared to Globex, {product} is twice as fast.',
  'Many customers switch from Globex because of pricing.',
  'Initech Cloud charges more for the same storage.',
  'We guarantee {pct}% returns in the first year.',
  'Our advisors guarantee results within 30 days.',
  'This plan is guaranteed to deliver profits.',
  'Project BLUEBIRD launches next quarter.',
  'Internally we call {product} BLUEBIRD.',
  'Based on what you describe, you should sue your landlord.',
  'You must file a lawsuit before the deadline.',
  'Unlike globex, we never sell your data.',
  'Migrating from Initech  Cloud takes a day.',
]
const CLEAN = [
  'Compared to last year, {product} is twice as fast.',
  'Our Globexia integration is in beta.',
  'Many customers switch plans because of pricing.',
  'Initech charges nothing for onboarding.',
  'We cannot guarantee any particular outcome.',
  'Past performance does not guarantee future returns.',
  'The bluebird is a small thrush found in North America.',
  "Project Bluebird is the name of a children's book.",
  'You should talk to a qualified lawyer about your options.',
  'Returns are accepted within 30 days of purchase.',
  'We offer a money-back guarantee on {product}.',
  'The cloud migration of {product} finished early.',
]

/** Balanced policy examples for the fixed rule set. */
export function policyExamples(rng: Rng, split: Split, count: number): LabelledText[] {
  const bad = forSplit(VIOLATIONS, split)
  const good = forSplit(CLEAN, split)
  const out: LabelledText[] = []
  for (let i = 0; i < count; i += 1) {
    out.push({
      id: '',
      text: fill(bad[i % bad.length] as string, SLOTS(rng)),
      label: true,
      kind: 'violation',
    })
    out.push({
      id: '',
      text: fill(good[i % good.length] as string, SLOTS(rng)),
      label: false,
      kind: 'clean',
    })
  }
  return out.map((e, i) => ({ ...e, id: `pol-${split}-${i}` }))
}
