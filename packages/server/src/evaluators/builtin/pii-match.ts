import { execAll } from './exec-all.js'

/** Kinds of PII and secrets the offline recognizers find. */
export const PII_TYPES = [
  'email',
  'phone',
  'credit_card',
  'iban',
  'us_ssn',
  'ip_address',
  'secret',
] as const
/** One of {@link PII_TYPES}. */
export type PiiType = (typeof PII_TYPES)[number]

/** One finding; `start`/`end` are a half-open range into the scanned text. */
export interface PiiMatch {
  type: PiiType
  start: number
  end: number
  text: string
  /** 0–1, Presidio-style: the recognizer's base score, validated and moved by context words. */
  confidence: number
  /** The sub-kind when there is one, e.g. `aws_access_key` for a secret. */
  detail?: string
}

/** Options every recognizer receives. */
export interface RecognizerOptions {
  /** Region for numbers written without a country code (ISO 3166-1 alpha-2). */
  defaultCountry: string
  /** Further regions tried for formatted numbers or numbers with a context word. */
  phoneRegions: readonly string[]
}

/** A recognizer scans the whole text and returns its candidate matches. */
export type Recognizer = (text: string, options: RecognizerOptions) => PiiMatch[]

const BEFORE = 48
const AFTER = 24

function lastIndex(window: string, cues: RegExp): number {
  let last = -1
  for (const m of execAll(cues, window)) last = m.index
  return last
}

/**
 * Which context words stand nearest before a match (or just after it): +1 for a positive cue
 * ("phone", "card"), −1 for a negative one ("order #", "version"), 0 for none.
 */
export function contextCue(
  text: string,
  range: { start: number; end: number },
  cues: { positive: RegExp; negative?: RegExp },
): -1 | 0 | 1 {
  const before = text.slice(Math.max(0, range.start - BEFORE), range.start).toLowerCase()
  const pos = lastIndex(before, cues.positive)
  const neg = cues.negative ? lastIndex(before, cues.negative) : -1
  if (pos >= 0 || neg >= 0) return pos > neg ? 1 : -1
  const after = text.slice(range.end, range.end + AFTER).toLowerCase()
  return lastIndex(after, cues.positive) >= 0 ? 1 : 0
}

/** Clamps a score to [0, 1] and rounds it for stable output. */
export function clampScore(score: number): number {
  return Math.round(Math.min(1, Math.max(0, score)) * 100) / 100
}
