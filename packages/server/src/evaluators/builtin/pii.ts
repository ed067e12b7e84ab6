import type { Evaluator, EvalScore, JsonValue, Span } from '@vigil/core'
import { z } from 'zod'
import { PII_TYPES, type PiiMatch, type PiiType, type Recognizer } from './pii-match.js'
import {
  findCards,
  findEmails,
  findIbans,
  findIps,
  findPhones,
  findSsns,
} from './pii-recognizers.js'
import { findSecrets } from './pii-secrets.js'
import { targetText, type TextTarget } from './span-text.js'

export { PII_TYPES, type PiiMatch, type PiiType } from './pii-match.js'

/** Options for {@link detectPii}. */
export interface DetectPiiOptions {
  /** Only these types (default: all). */
  types?: readonly PiiType[]
  /** Drop matches below this confidence (default 0.5). */
  minConfidence?: number
  /** Region for phone numbers without a country code (default `US`). */
  defaultCountry?: string
  /** Further phone regions, tried when a number is formatted or has a context word. */
  phoneRegions?: readonly string[]
}

/** Regions Presidio's phone recognizer tries by default, plus a few large ones. */
export const DEFAULT_PHONE_REGIONS = ['GB', 'DE', 'FR', 'IN', 'CA', 'BR', 'AU', 'IL', 'ES', 'IT']

const RECOGNIZERS: Record<PiiType, Recognizer> = {
  email: findEmails,
  phone: findPhones,
  credit_card: findCards,
  iban: findIbans,
  us_ssn: findSsns,
  ip_address: findIps,
  secret: findSecrets,
}

// On overlap the more specific recognizer wins when scores tie (a card is not also a phone).
const PRIORITY: Record<PiiType, number> = {
  secret: 7,
  iban: 6,
  credit_card: 5,
  email: 4,
  us_ssn: 3,
  ip_address: 2,
  phone: 1,
}

function resolveOverlaps(matches: PiiMatch[]): PiiMatch[] {
  const ranked = [...matches].sort(
    (a, b) =>
      b.confidence - a.confidence ||
      PRIORITY[b.type] - PRIORITY[a.type] ||
      b.end - b.start - (a.end - a.start),
  )
  const kept: PiiMatch[] = []
  for (const m of ranked) {
    if (kept.every((k) => m.end <= k.start || m.start >= k.end)) kept.push(m)
  }
  return kept.sort((a, b) => a.start - b.start)
}

/** Finds PII and secrets in a text: non-overlapping matches, in text order. */
export function detectPii(text: string, options: DetectPiiOptions = {}): PiiMatch[] {
  const types = options.types ?? PII_TYPES
  const minConfidence = options.minConfidence ?? 0.5
  const recognizerOptions = {
    defaultCountry: options.defaultCountry ?? 'US',
    phoneRegions: options.phoneRegions ?? DEFAULT_PHONE_REGIONS,
  }
  const all: PiiMatch[] = []
  for (const type of types) {
    for (const m of RECOGNIZERS[type](text, recognizerOptions)) {
      if (m.confidence >= minConfidence) all.push(m)
    }
  }
  return resolveOverlaps(all)
}

/** Replaces PII with a placeholder per type, e.g. `[EMAIL]`, `[CREDIT_CARD]`. */
export function redactPii(text: string, types?: readonly PiiType[]): string {
  const matches = detectPii(text, types ? { types } : {})
  let out = ''
  let at = 0
  for (const m of matches) {
    out += `${text.slice(at, m.start)}[${m.type.toUpperCase()}]`
    at = m.end
  }
  return out + text.slice(at)
}

const piiConfigSchema = z.object({
  targets: z
    .array(z.enum(['input', 'output']))
    .min(1)
    .default(['input', 'output']),
  types: z.array(z.enum(PII_TYPES)).min(1).optional(),
  minConfidence: z.number().min(0).max(1).default(0.5),
  defaultCountry: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .default('US'),
  phoneRegions: z.array(z.string().regex(/^[A-Z]{2}$/)).default(DEFAULT_PHONE_REGIONS),
})
/** Configuration of the PII evaluator. */
export type PiiConfig = z.output<typeof piiConfigSchema>

function piiScore(span: Span, target: TextTarget, config: PiiConfig): EvalScore | null {
  const text = targetText(span, target)
  if (text.length === 0) return null
  const matches = detectPii(text, config)
  // Ranges and types only: the score must not become a second copy of the PII it reports.
  const found: JsonValue[] = matches.map((m) => ({
    type: m.type,
    start: m.start,
    end: m.end,
    confidence: m.confidence,
    ...(m.detail === undefined ? {} : { detail: m.detail }),
  }))
  const types = [...new Set(matches.map((m) => m.type))]
  return {
    name: `pii.${target}`,
    value: matches.length > 0,
    explanation: matches.length > 0 ? `found ${types.join(', ')}` : 'no PII found',
    metadata: { count: matches.length, types, matches: found },
  }
}

/** Evaluator: PII and secrets in the input and output, with character ranges for redaction. */
export const piiEvaluator: Evaluator<PiiConfig> = {
  kind: 'pii',
  version: '1',
  configSchema: piiConfigSchema,
  evaluate(span, config) {
    const scores = config.targets
      .map((target) => piiScore(span, target, config))
      .filter((s): s is EvalScore => s !== null)
    return Promise.resolve(
      scores.length > 0 ? { status: 'scored', scores } : { status: 'skipped', reason: 'no text' },
    )
  },
}
