import { shannonEntropy } from './pii-checksums.js'
import { clampScore, type PiiMatch, type Recognizer } from './pii-match.js'

/** A provider key format: the prefix makes it near-certain, so no context is needed. */
interface KeyPattern {
  detail: string
  pattern: RegExp
  confidence: number
  /** Capture group holding the secret itself (0 = the whole match). */
  group?: number
}

const KEY_PATTERNS: KeyPattern[] = [
  {
    detail: 'private_key',
    pattern:
      /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?(?:-----END \1-----|$)/g,
    confidence: 0.99,
  },
  {
    detail: 'aws_access_key',
    pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AIDA|AROA)[A-Z0-9]{16}\b/g,
    confidence: 0.95,
  },
  {
    detail: 'anthropic_key',
    pattern: /\bsk-ant-[a-z]{2,6}\d{2}-[A-Za-z0-9_-]{32,}/g,
    confidence: 0.97,
  },
  {
    detail: 'openai_key',
    pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}/g,
    confidence: 0.9,
  },
  { detail: 'stripe_key', pattern: /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/g, confidence: 0.95 },
  {
    detail: 'github_token',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{50,})\b/g,
    confidence: 0.97,
  },
  { detail: 'gitlab_token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g, confidence: 0.95 },
  { detail: 'slack_token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, confidence: 0.95 },
  {
    detail: 'slack_webhook',
    pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]{20,}/g,
    confidence: 0.9,
  },
  { detail: 'google_api_key', pattern: /\bAIza[0-9A-Za-z_-]{35}(?![\w-])/g, confidence: 0.95 },
  { detail: 'huggingface_token', pattern: /\bhf_[A-Za-z0-9]{30,}\b/g, confidence: 0.9 },
  { detail: 'npm_token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g, confidence: 0.95 },
  {
    detail: 'sendgrid_key',
    pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g,
    confidence: 0.97,
  },
  {
    detail: 'jwt',
    pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g,
    confidence: 0.9,
  },
  {
    detail: 'url_password',
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s@/]{3,})@/g,
    confidence: 0.95,
    group: 1,
  },
  {
    detail: 'bearer_token',
    pattern: /\bBearer\s+([A-Za-z0-9._~+/-]{20,}=*)/g,
    confidence: 0.85,
    group: 1,
  },
]

// Documentation placeholders ("AKIAIOSFODNN7EXAMPLE", "sk-your-key-here") are not secrets.
const PLACEHOLDER =
  /example|x{4,}|your[_-]|[_-]here|<|\.\.\.|\*{3,}|\$\{|dummy|placeholder|redacted/i

function keyMatches(text: string): PiiMatch[] {
  const out: PiiMatch[] = []
  for (const { detail, pattern, confidence, group = 0 } of KEY_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const secret = m[group] ?? m[0]
      const start = m.index + (group === 0 ? 0 : m[0].indexOf(secret))
      const score = PLACEHOLDER.test(secret) ? confidence * 0.3 : confidence
      const end = start + secret.length
      out.push({ type: 'secret', start, end, text: secret, confidence: clampScore(score), detail })
    }
  }
  return out
}

const KEYWORD =
  /\b(?:api[_ -]?key|apikey|secret(?:[_ -]?key)?|client[_ -]?secret|access[_ -]?key|(?:auth|access|api|refresh|session|bearer)[_ -]?token|token|password|passwd|pwd|passphrase|credentials?|private[_ -]?key|signing[_ -]?key)\b/gi
// Up to a few words (e.g. `is`, `=`, `"`) between the keyword and the value.
const VALUE =
  /^(?:[\s:=>"'`(]|\bis\b|\bwas\b|\bset\b|\bto\b){0,6}([A-Za-z0-9+/_.~!@#$%^&*=-]{6,200})/

function looksSecret(value: string, keyword: string): number {
  if (PLACEHOLDER.test(value) || /^[a-z]+$/.test(value) || /^[A-Z][a-z]+$/.test(value)) return 0
  const isPassword = /pass|pwd/i.test(keyword)
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length
  if (isPassword) return classes >= 2 && value.length >= 6 ? 0.75 : 0
  if (value.length < 16 || classes < 2) return 0
  const entropy = shannonEntropy(value)
  return entropy >= 3.3 ? 0.75 : 0
}

/** High-entropy values right after words such as key, secret, token or password. */
function keywordMatches(text: string): PiiMatch[] {
  const out: PiiMatch[] = []
  for (const k of text.matchAll(KEYWORD)) {
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
