import { isIPv6 } from 'node:net'
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'
import { ibanValid, luhnValid, ssnValid } from './pii-checksums.js'
import { clampScore, contextCue, type PiiMatch, type Recognizer } from './pii-match.js'
import { execAll } from './exec-all.js'

const EMAIL =
  /(?<![\w.+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/g
// "icon@2x.png" and "logo@3x.webp" are asset names, not addresses.
const FILE_TLDS = /\.(?:png|jpe?g|gif|svg|webp|avif|ico|js|ts|css|json|md)$/i

/** Email addresses; asset names such as `icon@2x.png` are skipped. */
export const findEmails: Recognizer = (text) => {
  const out: PiiMatch[] = []
  if (!text.includes('@')) return out
  for (const m of execAll(EMAIL, text)) {
    if (FILE_TLDS.test(m[0]) || m[0].includes('..')) continue
    out.push({
      type: 'email',
      start: m.index,
      end: m.index + m[0].length,
      text: m[0],
      confidence: 0.9,
    })
  }
  return out
}

const PHONE_CANDIDATE = /(?<![\w/#=@$€£%.,:+-])\+?\(?\d[\d ().-]{5,20}\d(?![\w@/%-]|[.,]\d)/g
const DATE_LIKE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})(?!\d)/
// Digits inside an IBAN-shaped code ("AT41 4578 3531 …" with a bad checksum) are not a card
// or a phone number.
const IBAN_PREFIX = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4})* ?$/
const inIbanShape = (text: string, start: number): boolean =>
  IBAN_PREFIX.test(text.slice(Math.max(0, start - 40), start))

// ###-##-#### is the SSN layout, and an identifier after "social security" is not a phone.
const SSN_SHAPE = /^\d{3}-\d{2}-\d{4}$/
// Four dotted groups are an IP address or a netmask, not a phone.
const DOTTED_QUAD = /^\d{1,3}(?:\.\d{1,3}){3}$/
// A US ZIP+4 code (94105-1234) has the digit count of some regions' phone numbers.
const ZIP_PLUS_4 = /^\d{5}-\d{4}$/
const NOT_PHONE = /\b(?:ssn|social security|social sec|taxpayer|tax id|routing)\b/i
const PHONE_CUES = {
  positive:
    /\b(?:phone|tel|telephone|call|cell|mobile|mob|fax|whatsapp|text me|sms|reach (?:me|us|him|her)|dial|contact|hotline|(?:my|your|his|her|their|our) number)\b|☎/g,
  negative:
    /\b(?:order|invoice|ticket|ref|reference|tracking|account|acct|id|sku|serial|isbn|po|case|confirmation|transaction|booking|receipt|policy|claim|batch|build|version|part)\b|#|№/g,
}

function validIn(raw: string, region: string): boolean {
  return parsePhoneNumberFromString(raw, region as CountryCode)?.isValid() ?? false
}

/**
 * Phone numbers: a cheap candidate regex, then libphonenumber validation (default region
 * first, the other regions only when the number is formatted or has a context word), then
 * context words ("call" raises, "order #" lowers).
 */
export const findPhones: Recognizer = (text, options) => {
  const out: PiiMatch[] = []
  for (const m of execAll(PHONE_CANDIDATE, text)) {
    const raw = m[0]
    const digits = raw.replace(/\D/g, '')
    if (digits.length < 7 || digits.length > 15 || DATE_LIKE.test(raw)) continue
    if (SSN_SHAPE.test(raw) || DOTTED_QUAD.test(raw) || ZIP_PLUS_4.test(raw)) continue
    if (inIbanShape(text, m.index)) continue
    const range = { start: m.index, end: m.index + raw.length }
    if (NOT_PHONE.test(text.slice(Math.max(0, range.start - 48), range.start))) continue
    const formatted = raw.startsWith('+') || /\d[ ().-]+\d/.test(raw)
    const cue = contextCue(text, range, PHONE_CUES)
    let base = 0.4
    if (!validIn(raw, options.defaultCountry)) {
      // Almost any digit string is valid somewhere; other regions need more evidence.
      if (raw.startsWith('+') || cue < 0 || (!formatted && cue === 0)) continue
      if (!options.phoneRegions.some((region) => validIn(raw, region))) continue
      base = 0.3
    }
    const score = base + (formatted ? 0.25 : 0) + cue * (cue > 0 ? 0.35 : 0.45)
    out.push({ type: 'phone', ...range, text: raw, confidence: clampScore(score) })
  }
  return out
}

const CARD_CANDIDATE = /(?<![\w.,-])\d(?:[ -]?\d){11,18}(?![\w-]|[.,]\d)/g
const CARD_CUES = {
  positive:
    /\b(?:card|credit|debit|visa|mastercard|master card|amex|american express|discover|jcb|diners|maestro|unionpay|cc|cvv|expir\w*|pan|payment|pay with|charged?)\b/g,
  negative:
    /\b(?:order|invoice|tracking|ticket|account|acct|id|isbn|serial|ref|reference|imei|transaction|shipment)\b|#/g,
}

/** Whether the number starts like a real card brand and has that brand's length. */
function knownBrand(digits: string): boolean {
  const n = digits.length
  const p2 = Number(digits.slice(0, 2))
  const p4 = Number(digits.slice(0, 4))
  if (digits.startsWith('4')) return n === 13 || n === 16 || n === 19
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16
  if (p2 === 34 || p2 === 37) return n === 15
  if (p4 === 6011 || p2 === 65 || (p4 >= 6440 && p4 <= 6499)) return n >= 16 && n <= 19
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19
  if (p2 === 36 || p2 === 38 || (p4 >= 3000 && p4 <= 3059)) return n >= 14 && n <= 19
  if (p2 === 62) return n >= 16 && n <= 19
  return false
}

/** Payment card numbers: 13–19 digits, consistent separators, Luhn, brand prefix, context. */
export const findCards: Recognizer = (text) => {
  const out: PiiMatch[] = []
  for (const m of execAll(CARD_CANDIDATE, text)) {
    const raw = m[0]
    const separators = new Set(raw.replace(/\d/g, ''))
    const digits = raw.replace(/\D/g, '')
    if (separators.size > 1 || digits.length < 13 || !luhnValid(digits)) continue
    if (inIbanShape(text, m.index)) continue
    if (/^(\d)\1+$/.test(digits)) continue
    const range = { start: m.index, end: m.index + raw.length }
    const cue = contextCue(text, range, CARD_CUES)
    const base = knownBrand(digits) ? 0.8 : 0.3
    const score = base + cue * (cue > 0 ? 0.35 : 0.45)
    out.push({ type: 'credit_card', ...range, text: raw, confidence: clampScore(score) })
  }
  return out
}

const IBAN_CANDIDATE = /(?<![\w-])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,32}/g

/** IBANs: country length and mod-97; the candidate is cut at the country's length. */
export const findIbans: Recognizer = (text) => {
  const out: PiiMatch[] = []
  for (const m of execAll(IBAN_CANDIDATE, text)) {
    const found = longestValidIban(m[0])
    if (found === null) continue
    const start = m.index
    const end = start + found.length
    if (/[\w]/.test(text[end] ?? ' ')) continue
    out.push({ type: 'iban', start, end, text: found, confidence: 0.95 })
  }
  return out
}

function longestValidIban(candidate: string): string | null {
  for (let end = candidate.length; end >= 15; end -= 1) {
    const slice = candidate.slice(0, end)
    if (slice.endsWith(' ')) continue
    if (ibanValid(slice)) return slice
  }
  return null
}

const SSN_CANDIDATE = /(?<![\w-])(\d{3})([- .]?)(\d{2})\2(\d{4})(?![\w-]|[.,]\d)/g
const SSN_CUES = {
  positive: /\b(?:ssn|ssns|social security|social sec|soc sec|ss no|taxpayer|tin|itin)\b|\bss#/g,
  negative: /\b(?:order|invoice|tracking|ticket|account|acct|id|ref|routing|zip|phone|tel)\b/g,
}
const SSN_BASE: Record<string, number> = { '-': 0.6, ' ': 0.4, '.': 0.3, '': 0.2 }

/** US social security numbers: issuance rules, delimiter strength, and context words. */
export const findSsns: Recognizer = (text) => {
  const out: PiiMatch[] = []
  for (const m of execAll(SSN_CANDIDATE, text)) {
    const digits = `${m[1]}${m[3]}${m[4]}`
    if (!ssnValid(digits)) continue
    const range = { start: m.index, end: m.index + m[0].length }
    const cue = contextCue(text, range, SSN_CUES)
    const score = (SSN_BASE[m[2] ?? ''] ?? 0.2) + cue * 0.4
    out.push({ type: 'us_ssn', ...range, text: m[0], confidence: clampScore(score) })
  }
  return out
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)'
const IPV4 = new RegExp(`(?<![\\w.-])(?:${OCTET}\\.){3}${OCTET}(?![\\w-]|\\.\\d)`, 'g')
const IPV6_CANDIDATE =
  /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:(?<=:)\d{1,3}(?:\.\d{1,3}){3})?(?![\w:])/g
const IP_CUES = {
  positive:
    /\b(?:ip|ips|ipv4|ipv6|address|addr|host|server|client|from|source|src|dst|gateway|subnet|connected|login|logged)\b/g,
  negative:
    /\b(?:version|ver|v|release|build|section|chapter|firmware|semver|sdk|node|python|oid|step)\b|§/g,
}
// Every IPv6 candidate has two colons with at most four hex digits between them; prose with
// a colon or two rarely does, and this is far cheaper than the candidate regex.
const IPV6_HINT = /:[0-9A-Fa-f]{0,4}:/
// Loopback, unspecified and netmask values identify nobody.
const NON_PERSONAL_V4 = /^(?:127\.|0\.0\.0\.0$|255\.|169\.254\.)/

/** IPv4 and IPv6 addresses; loopback, netmasks and version-like numbers score low. */
export const findIps: Recognizer = (text) => {
  const out: PiiMatch[] = []
  for (const m of execAll(IPV4, text)) {
    const range = { start: m.index, end: m.index + m[0].length }
    const cue = contextCue(text, range, IP_CUES)
    const score = NON_PERSONAL_V4.test(m[0]) ? 0.2 : 0.65 + cue * 0.3
    out.push({ type: 'ip_address', ...range, text: m[0], confidence: clampScore(score) })
  }
  const v6 = IPV6_HINT.test(text) ? execAll(IPV6_CANDIDATE, text) : []
  for (const m of v6) {
    const groups = m[0].split(':').filter((g) => g.length > 0)
    if (groups.length < 3 || !isIPv6(m[0])) continue
    const range = { start: m.index, end: m.index + m[0].length }
    const cue = contextCue(text, range, IP_CUES)
    out.push({ type: 'ip_address', ...range, text: m[0], confidence: clampScore(0.7 + cue * 0.3) })
  }
  return out
}
