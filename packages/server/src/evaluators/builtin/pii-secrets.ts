import { shannonEntropy } from './pii-checksums.js'
import { clampScore, type PiiMatch, type Recognizer } from './pii-match.js'
import { execAll } from './exec-all.js'

/** A provider key format: the prefix makes it near-certain, so no context is needed. */
interface KeyPattern {
  detail: string
  /** Literal substrings one of which must occur; checked with includes() before the regex. */
  hints: readonly string[]
  pattern: RegExp
  confidence: number
  /** Capture group holding the secret itself (0 = the whole match). */
  group?: number
}

const KEY_PATTERNS: KeyPattern[] = [
  {
    detail: 'private_key',
    hints: ['-----BEGIN'],
    pattern:
      /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?(?:-----END \1-----|$)/g,
    confidence: 0.99,
  },
  {
    detail: 'aws_access_key',
    hints: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'AIDA', 'AROA'],
    pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AIDA|AROA)[A-Z0-9]{16}\b/g,
    confidence: 0.95,
  },
  {
    detail: 'anthropic_key',
    hints: ['sk-ant-'],
    pattern: /\bsk-ant-[a-z]{2,6}\d{2}-[A-Za-z0-9_-]{32,}/g,
    confidence: 0.97,
  },
  {
    detail: 'openai_key',
    hints: ['sk-'],
    pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}/g,
    confidence: 0.9,
  },
  {
    detail: 'stripe_key',
    hints: ['k_live_', 'k_test_'],
    pattern: /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/g,
    confidence: 0.95,
  },
  {
    detail: 'github_token',
    hints: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{50,})\b/g,
    confidence: 0.97,
  },
  {
    detail: 'gitlab_token',
    hints: ['glpat-'],
    pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g,
    confidence: 0.95,
  },
  {
    detail: 'slack_token',
    hints: ['xox'],
    pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
    confidence: 0.95,
  },
  {
    detail: 'slack_webhook',
    hints: ['hooks.slack.com'],
    pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]{20,}/g,
    confidence: 0.9,
  },
  {
    detail: 'google_api_key',
    hints: ['AIza'],
    pattern: /\bAIza[0-9A-Za-z_-]{35}(?![\w-])/g,
    confidence: 0.95,
  },
  {
    detail: 'huggingface_token',
    hints: ['hf_'],
    pattern: /\bhf_[A-Za-z0-9]{30,}\b/g,
    confidence: 0.9,
  },
  { detail: 'npm_token', hints: ['npm_'], pattern: /\bnpm_[A-Za-z0-9]{36}\b/g, confidence: 0.95 },
  {
    detail: 'sendgrid_key',
    hints: ['SG.'],
    pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g,
    confidence: 0.97,
  },
  {
    detail: 'jwt',
    hints: ['eyJ'],
    pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g,
    confidence: 0.9,
  },
  {
    detail: 'url_password',
    hints: ['://'],
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s@/]{3,})@/g,
    confidence: 0.95,
    group: 1,
  },
  {
    detail: 'bearer_token',
    hints: ['Bearer'],
    pattern: /\bBearer\s+([A-Za-z0-9._~+/-]{20,}=*)/g,
    confidence: 0.85,
    group: 1,
  },
]

// Documentation placeholders ("AKIAIOSFODNN7EXAMPLE", "sk-your-key-here") are not secrets.
const PLACEHOLDER =
  /example|x{4,}|your[_-]|[_-]here|<|\.\.\.|\*{3,}|\$\{|dummy|placeholder|redacted/i

// One pass over the text for every hint: most texts have none, and then no pattern runs.
const ANY_HINT = new RegExp(
  KEY_PATTERNS.flatMap((k) => k.hints)
    .map((h) => h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
)

function keyMatches(text: string): PiiMatch[] {
  const out: PiiMatch[] = []
  if (!ANY_HINT.test(text)) return out
  for (const { detail, hints, pattern, confidence, group = 0 } of KEY_PATTERNS) {
    if (!hints.some((h) => text.includes(h))) continue
    for (const m of execAll(pattern, text)) {
      const secret = m[group] ?? m[0]
      const start = m.index + (group === 0 ? 0 : m[0].indexOf(secret))
      const score = PLACEHOLDER.test(secret) ? confidence * 0.3 : confidence
      const end = start + secret.length
      out.push({ type: 'secret', start, end, text: secret, confidence: clampScore(score), detail })
    }
  }
  return out
}

// Env-style names count too (DB_PASSWORD=, AWS_SECRET_ACCESS_KEY=), hence no \b before.
const KEYWORD_HINT = /key|secret|token|pass|pwd|credential/i
const KEYWORD =
  /(?<![a-z0-9])(?:api[_ -]?key|apikey|secret(?:[_ -]?key)?|client[_ -]?secret|access[_ -]?key|(?:auth|access|api|refresh|session|bearer)[_ -]?token|token|password|passwd|pwd|passphrase|credentials?|private[_ -]?key|signing[_ -]?key)(?![a-z0-9])/gi
// Up to a few words (e.g. `is`, `=`, `"`) between the keyword and the value.
const VALUE =
  /^(?:[\s:=>"'`(]|\bis\b|\bwas\b|\bset\b|\bto\b){0,6}([A-Za-z0-9+/_.~!@#$%^&*=-]{6,200})/

function looksSecret(value: string, keyword: string): number {
  if (PLACEHOLDER.test(value) || /^[a-z]+$/.test(value) || /^[A-Z][a-z]+$/.test(value)) return 0
  const isPassword = /pass|pwd/i.test(keyword)
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length
  if (isPassword) return classes >= 2 && value.length >= 6 ? 0.75 : 0
  // A shorter value counts when it mixes at least three character classes.
  if (value.length >= 12 && classes >= 3) return 0.75
  if (value.length < 16 || classes < 2) return 0
  return shannonEntropy(value) >= 3.3 ? 0.75 : 0
}

/** High-entropy values right after words such as key, secret, token or password. */
function keywordMatches(text: string): PiiMatch[] {
  const out: PiiMatch[] = []
  if (!KEYWORD_HINT.test(text)) return out
  for (const k of execAll(KEYWORD, text)) {
    const after = k.index + k[0].length
    const m = VALUE.exec(text.slice(after, after + 240))
    const raw = m?.[1]
    if (m === null || raw === undefined) continue
    const value = raw.replace(/[.,;:)'"`]+$/, '')
    const score = looksSecret(value, k[0])
    if (score === 0) continue
    const start = after + m[0].length - raw.length
    out.push({
      type: 'secret',
      start,
      end: start + value.length,
      text: value,
      confidence: score,
      detail: 'keyword_value',
    })
  }
  return out
}

/** API keys, tokens, private keys and passwords. */
export const findSecrets: Recognizer = (text) => [...keyMatches(text), ...keywordMatches(text)]
