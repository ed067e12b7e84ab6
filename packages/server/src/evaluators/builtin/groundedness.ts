import { messageText, type Evaluator, type Span } from '@vigil/core'
import { z } from 'zod'
import { inputMessages, lastUserText, targetText } from './span-text.js'
import { STOPWORDS, stem } from './words.js'

/** How much of an answer the sources support, lexically. */
export interface GroundednessResult {
  /** 1 − unsupportedShare: 1 when every content word, number and name is in the sources. */
  score: number
  /** Weighted share of answer items (content words 1, numbers and names 2) not in the sources. */
  unsupportedShare: number
  items: number
  unsupported: string[]
}

// Words answers use to talk about the sources or the reader, not to make claims.
const FRAME_WORDS = new Set(
  (
    'answer question based according context document documents source sources provided ' +
    'information info mention mentioned mentions state states stated say says said following ' +
    'note please help hope helps however additionally summary overall sure certainly example ' +
    'examples include includes including like specific specifically available currently ' +
    'regarding related given using used use need needs make makes made know let see find ' +
    'found get got want able thing things something anything way ways case also really quite ' +
    'good great best better important detail details general generally typically usually ' +
    'simply actually basically indeed first second third finally next steps step'
  ).split(' '),
)

const TOKEN = /\d+(?:[.,]\d+)*%?|[\p{L}][\p{L}'’-]*/gu
const TOKEN_ASCII = /\d+(?:[.,]\d+)*%?|[A-Za-z][A-Za-z'-]*/g
const NON_ASCII = /[\u0080-\uffff]/
// Answer words under three letters never count, so ASCII answers skip them in the regex.
const ANSWER_TOKEN_ASCII = /\d+(?:[.,]\d+)*%?|[A-Za-z][A-Za-z'-]{2,}/g
// The Unicode-aware regex is several times slower; most text is ASCII. `match` builds no
// match objects; a token's position, when needed, is found again with indexOf (see below).
const tokens = (text: string, ascii: RegExp = TOKEN_ASCII): string[] =>
  text.match(NON_ASCII.test(text) ? TOKEN : ascii) ?? []

interface Item {
  key: string
  kind: 'word' | 'number' | 'name'
}

function normalizeNumber(raw: string): string {
  const plain = raw.replace(/%$/, '').replace(/,(?=\d{3}\b)/g, '')
  const value = Number(plain.replace(',', '.'))
  return Number.isFinite(value) ? String(value) : plain
}

/** What one token, as spelled, contributes; the vocabulary repeats across spans, so it is cached. */
interface TokenInfo {
  number: boolean
  /** Starts with a capital letter. */
  capital: boolean
  /** The normalised number, or the stem of the lowercased word. */
  key: string
  /** Whether it counts in an answer: not a stopword, frame word or word under three letters. */
  counts: boolean
}

const tokenCache = new Map<string, TokenInfo>()
function tokenInfo(raw: string): TokenInfo {
  let info = tokenCache.get(raw)
  if (info === undefined) {
    const first = raw.charCodeAt(0)
    if (first >= 48 && first <= 57) {
      info = { number: true, capital: false, key: normalizeNumber(raw), counts: true }
    } else {
      const lower = raw.toLowerCase()
      const counts = lower.length >= 3 && !STOPWORDS.has(lower) && !FRAME_WORDS.has(lower)
      info = { number: false, capital: raw[0] !== lower[0], key: stem(lower), counts }
    }
    if (tokenCache.size > 50_000) tokenCache.clear()
    tokenCache.set(raw, info)
  }
  return info
}

/** Whether only spaces or a list bullet stand between `index` and a sentence end. */
function startsSentence(text: string, index: number): boolean {
  for (let i = index - 1; i >= 0; i -= 1) {
    const ch = text[i] ?? ''
    if (ch === ' ' || ch === '\t' || ch === '-' || ch === '*' || ch === '•' || ch === '"') continue
    return ch === '.' || ch === '!' || ch === '?' || ch === ':' || ch === '\n'
  }
  return true
}

function answerItems(text: string): Item[] {
  const items = new Map<string, Item>()
  let end = 0
  for (const raw of tokens(text, ANSWER_TOKEN_ASCII)) {
    // Only non-token characters (no letter or digit) and words too short to match lie between
    // two tokens, and this token cannot start in either, so its next occurrence after the
    // previous token is where it was matched.
    const index = text.indexOf(raw, end)
    end = index + raw.length
    const info = tokenInfo(raw)
    if (info.number) {
      items.set(`#${info.key}`, { key: info.key, kind: 'number' })
      continue
    }
    if (!info.counts) continue
    const kind = info.capital && !startsSentence(text, index) ? 'name' : 'word'
    if (kind === 'name' || !items.has(info.key)) items.set(info.key, { key: info.key, kind })
  }
  return [...items.values()]
}

function supportSets(sources: readonly string[]): { stems: Set<string>; numbers: Set<string> } {
  const stems = new Set<string>()
  const numbers = new Set<string>()
  for (const source of sources) {
    for (const raw of tokens(source)) {
      const info = tokenInfo(raw)
      if (info.number) numbers.add(info.key)
      else stems.add(info.key)
    }
  }
  return { stems, numbers }
}

/** Lexical groundedness of an answer in its sources (a cheap pre-filter for a judge). */
export function groundedness(answer: string, sources: readonly string[]): GroundednessResult {
  const items = answerItems(answer)
  const { stems, numbers } = supportSets(sources)
  let total = 0
  let missing = 0
  const unsupported: string[] = []
  for (const item of items) {
    const weight = item.kind === 'word' ? 1 : 2
    total += weight
    const supported = item.kind === 'number' ? numbers.has(item.key) : stems.has(item.key)
    if (!supported) {
      missing += weight
      unsupported.push(item.key)
    }
  }
  const share = total === 0 ? 0 : Math.round((missing / total) * 1000) / 1000
  return {
    score: Math.round((1 - share) * 1000) / 1000,
    unsupportedShare: share,
    items: items.length,
    unsupported,
  }
}

/**
 * Where the grounding comes from: retrieved documents, else (gateway-only traffic) the system
 * and earlier messages of the prompt (tool results included). The user's question supports an answer but grounds
 * nothing on its own.
 */
export function groundingSources(span: Span): { sources: string[]; question: string | null } {
  const question = lastUserText(span)
  const docs = (span.context ?? []).map((d) => d.content).filter((c) => c.trim().length > 0)
  if (docs.length > 0) return { sources: docs, question }
  const messages = inputMessages(span)
  const lastUser = messages.map((m) => m.role).lastIndexOf('user')
  // Every other message grounds: system prompt, earlier turns, tool results.
  const others = messages.filter((_, i) => i !== lastUser)
  return { sources: others.map(messageText).filter((t) => t.trim().length > 0), question }
}

const groundednessConfigSchema = z.object({
  /** Unsupported share above which the `hallucination` score is true. */
  threshold: z.number().min(0).max(1).default(0.35),
  /** Answers with fewer content items are skipped: too short to judge. */
  minItems: z.number().int().min(1).default(4),
})
/** Configuration of the groundedness evaluator. */
export type GroundednessConfig = z.output<typeof groundednessConfigSchema>

/** Evaluator: share of the answer not supported by the retrieved or prompt context. */
export const groundednessEvaluator: Evaluator<GroundednessConfig> = {
  kind: 'groundedness',
  version: '1',
  configSchema: groundednessConfigSchema,
  evaluate(span, config) {
    const answer = targetText(span, 'output')
    const { sources, question } = groundingSources(span)
    if (sources.length === 0)
      return Promise.resolve({ status: 'skipped', reason: 'no grounding context' })
    const result = groundedness(answer, question === null ? sources : [...sources, question])
    if (result.items < config.minItems) {
      return Promise.resolve({ status: 'skipped', reason: 'answer too short to judge' })
    }
    const metadata = {
      unsupportedShare: result.unsupportedShare,
      items: result.items,
      unsupported: result.unsupported.slice(0, 25),
      sources: (span.context ?? []).length > 0 ? 'context' : 'prompt',
    }
    const flagged = result.unsupportedShare > config.threshold
    return Promise.resolve({
      status: 'scored',
      scores: [
        { name: 'groundedness', value: result.score, metadata },
        {
          name: 'hallucination',
          value: flagged,
          explanation: `${Math.round(result.unsupportedShare * 100)}% of the answer is not in the sources`,
        },
      ],
    })
  },
}
