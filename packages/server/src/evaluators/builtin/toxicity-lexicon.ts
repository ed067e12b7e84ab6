import {
  englishDataset,
  englishRecommendedTransformers,
  RegExpMatcher,
  type MatchPayload,
} from 'obscenity'
import terms from './toxicity-terms.json' with { type: 'json' }
import { execAll } from './exec-all.js'
import { byFirstChar, escapeRegex } from './regex-alternation.js'

/** What a toxic span is: the categories the detector reports. */
export const TOXICITY_CATEGORIES = [
  'threat',
  'identity_hate',
  'insult',
  'profanity',
  'sexual',
] as const
/** One of {@link TOXICITY_CATEGORIES}. */
export type ToxicityCategory = (typeof TOXICITY_CATEGORIES)[number]

/** A lexicon hit before the use/mention and target checks. */
export interface LexiconHit {
  category: ToxicityCategory
  /** `noun` and `adjective` insults count only when aimed at someone. */
  form: 'noun' | 'adjective' | 'phrase' | 'term'
  term: string
  start: number
  end: number
}

const escape = (s: string): string => escapeRegex(s).replace(/ /g, '\\s+')

/** Longest terms first, so "shut your mouth" wins over "shut up" where both could match. */
const alternation = (list: readonly string[]): string =>
  byFirstChar(
    [...list].sort((a, b) => b.length - a.length),
    escape,
  )

const GROUP = `(?:${alternation(terms.identityGroups)})`
const GROUP_HATE = [
  `\\b(?:all\\s+)?${GROUP}\\s+(?:are|r)\\s+(?:all\\s+|just\\s+|nothing but\\s+|such\\s+|a bunch of\\s+|filthy\\s+|dirty\\s+)*(?:${alternation(terms.dehumanizing)})\\b`,
  `\\b${GROUP}\\s+(?:should|must|need to|ought to|deserve to)\\s+(?:all\\s+)?be\\s+(?:${alternation(terms.eliminationVerbs)})\\b`,
  `\\b(?:i|we)\\s+(?:hate|despise|loathe|can't stand|cannot stand)\\s+(?:all\\s+|the\\s+|those\\s+|these\\s+)?${GROUP}\\b`,
].join('|')

/** Each lexicon part, as a capturing group of one regex: one scan finds them all. */
const PARTS: Array<{ hit: Pick<LexiconHit, 'category' | 'form'>; source: string }> = [
  {
    hit: { category: 'threat', form: 'phrase' },
    source: terms.threats.map((t) => `(?:${t})`).join('|'),
  },
  { hit: { category: 'identity_hate', form: 'phrase' }, source: GROUP_HATE },
  {
    hit: { category: 'insult', form: 'phrase' },
    source: `\\b(?:${alternation(terms.insultPhrases)})\\b`,
  },
  {
    hit: { category: 'identity_hate', form: 'term' },
    source: `\\b(?:${alternation(terms.slurs)})(?:e?s)?\\b`,
  },
  {
    hit: { category: 'insult', form: 'noun' },
    source: `\\b(?:${alternation(terms.insultNouns)})(?:e?s)?\\b`,
  },
  {
    hit: { category: 'insult', form: 'adjective' },
    source: `\\b(?:${alternation(terms.insultAdjectives)})\\b`,
  },
]
// Every part starts at a word boundary; testing it once up front skips the rest mid-word.
// Numbered groups, not named ones: V8 builds a `groups` object for each match of a regex with
// named groups, which cost more than the scan on insult-heavy text.
const LEXICON = new RegExp(`\\b(?:${PARTS.map((p) => `(${p.source})`).join('|')})`, 'gi')

/** How many capturing groups a regex source has. */
const groupCount = (source: string): number => (new RegExp(`${source}|`).exec('')?.length ?? 1) - 1

/** Index of each part's group in a LEXICON match (a part's own groups come after it). */
const PART_GROUP: number[] = []
let nextGroup = 1
for (const part of PARTS) {
  PART_GROUP.push(nextGroup)
  nextGroup += 1 + groupCount(part.source)
}

/** Hits from Vigil's own lists: insults, slurs, group hate and threats. */
export function lexiconHits(text: string): LexiconHit[] {
  const hits: LexiconHit[] = []
  for (const m of execAll(LEXICON, text)) {
    const i = PART_GROUP.findIndex((group) => m[group] !== undefined)
    const part = PARTS[i]
    if (part === undefined) continue
    const { category, form } = part.hit
    hits.push({
      category,
      form,
      term: m[0].toLowerCase(),
      start: m.index,
      end: m.index + m[0].length,
    })
  }
  return hits
}

const matcher = new RegExpMatcher({
  ...englishDataset.build(),
  ...englishRecommendedTransformers,
})

const OBSCENITY_CATEGORY = new Map<string, ToxicityCategory | 'mild'>()
for (const [category, words] of Object.entries(terms.obscenityCategories)) {
  for (const word of words) OBSCENITY_CATEGORY.set(word, category as ToxicityCategory | 'mild')
}

// obscenity costs ≈75 µs per call plus ≈0.4 ms per KB, so it only sees the tokens that could
// hide a listed word: a strong stem anywhere in a word ("bullshit"), an ambiguous short word
// only as a whole word ("ass" would flag "class", "anal" "analysis"), a letter–digit–letter
// token (leetspeak), or Latin mixed with Greek or Cyrillic (confusables). Letters may repeat.
const stemPiece = (ch: string): string => (ch === ' ' ? '\\s*' : `${ch}+`)
const SUBSTRING_STEMS = (
  'fuck fuk fck shit cunt bitch biatch whore slut twat wank bastard bollock nigg jizz blowjob ' +
  'handjob gangbang dildo masturb deepthroat fellati ejacul chingchong africoon arabush boonga ' +
  'bestial buttplug doggystyle hentai lubejob felch fisting'
).split(' ')
const WORD_STEMS = (
  'ass tit tits titties cum sex anal abo scat cock dick turd rape coon porn balls boob anus ' +
  'semen prick cuck dyke negro retard orgy orgies hooker incest penis fag faggot kike chink ' +
  'abeed spastic tranny trannie vagina orgasm'
).split(' ')
// Grouped by first letter; no stem repeats its first letter second, so a shared `f+` matches
// what each stem's own `f+` did.
const SUBSTRING = new RegExp(byFirstChar(SUBSTRING_STEMS, stemPiece), 'gi')
const WORDS = new RegExp(
  `\\b(?:${byFirstChar(WORD_STEMS, stemPiece)}|double penetration|finger bang|jerk off)(?:s|es|ed|ing|y|ies|ish|head|hole|sucker|shot)?\\b`,
  'gi',
)
const LEET = /\b[a-z]+[0-9$!*|]+[a-z][a-z0-9$!*|]*/gi
const LEET_HINT = /[a-z][0-9$!*|]+[a-z]/i
const CONFUSABLE = /[a-z][\u0370-\u03ff\u0400-\u04ff]|[\u0370-\u03ff\u0400-\u04ff][a-z]/gi
const NON_ASCII = /[\u0080-\uffff]/
// The stems with repeatable letters ("f+u+c+k+") cost more than plain ones, so one pass over
// the lowercased text decides whether the full regex runs: a plain stem, or a letter three
// times in a row (a stretched word). Spelled out, the triples avoid a slow backreference.
const TRIPLES = [...'abcdefghijklmnopqrstuvwxyz'].map((ch) => ch.repeat(3))
const SUBSTRING_GATE = new RegExp(byFirstChar([...TRIPLES, ...SUBSTRING_STEMS]))

function suspects(text: string): RegExpExecArray[] {
  const found = execAll(WORDS, text)
  if (SUBSTRING_GATE.test(text.toLowerCase())) found.push(...execAll(SUBSTRING, text))
  if (LEET_HINT.test(text)) found.push(...execAll(LEET, text))
  if (NON_ASCII.test(text)) found.push(...execAll(CONFUSABLE, text))
  return found.sort((x, y) => x.index - y.index)
}

function suspectWindows(text: string): Array<[number, number]> {
  const windows: Array<[number, number]> = []
  for (const m of suspects(text)) {
    let start = m.index
    let end = m.index + m[0].length
    while (start > 0 && !/\s/.test(text[start - 1] ?? ' ')) start -= 1
    while (end < text.length && !/\s/.test(text[end] ?? ' ')) end += 1
    const last = windows[windows.length - 1]
    if (last !== undefined && start <= last[1] + 1) last[1] = Math.max(last[1], end)
    else windows.push([start, end])
  }
  return windows
}

function obscenityWord(match: MatchPayload): string {
  const metadata = englishDataset.getPayloadWithPhraseMetadata(match).phraseMetadata
  return metadata?.originalWord ?? ''
}

// Windows are joined into one string for a single obscenity call (its fixed cost dominates);
// a blank line between them keeps a match from spanning two windows.
const JOIN = '\n\n'

/** Hits from the obscenity dataset (leetspeak and confusables resolved), categorised. */
export function obscenityHits(text: string): LexiconHit[] {
  const windows = suspectWindows(text)
  if (windows.length === 0) return []
  const offsets: Array<[joinedStart: number, textStart: number]> = []
  let joined = ''
  for (const [from, to] of windows) {
    if (joined.length > 0) joined += JOIN
    offsets.push([joined.length, from])
    joined += text.slice(from, to)
  }
  const toText = (i: number): number => {
    let base: [number, number] = [0, 0]
    for (const o of offsets) if (o[0] <= i) base = o
    return base[1] + (i - base[0])
  }
  const hits: LexiconHit[] = []
  for (const match of matcher.getAllMatches(joined, true)) {
    const word = obscenityWord(match)
    const category = OBSCENITY_CATEGORY.get(word)
    if (category === undefined || category === 'mild') continue
    const start = toText(match.startIndex)
    if (hits.some((h) => h.start === start && h.term === word)) continue
    hits.push({ category, form: 'term', term: word, start, end: toText(match.endIndex) + 1 })
  }
  return hits
}
