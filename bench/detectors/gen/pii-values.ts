import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'
import type { Rng } from './rng.js'

const FIRST = [
  'jane',
  'omar',
  'li',
  'sofia',
  'mateo',
  'priya',
  'lukas',
  'amara',
  'noah',
  'yuki',
  'chloe',
  'ivan',
  'fatima',
  'ben',
  'elena',
  'kwame',
]
const LAST = [
  'roe',
  'haddad',
  'wei',
  'rossi',
  'garcia',
  'patel',
  'schmidt',
  'okafor',
  'miller',
  'tanaka',
  'dubois',
  'petrov',
  'khan',
  'oconnor',
  'novak',
  'mensah',
]
const DOMAINS = [
  'example.com',
  'gmail.com',
  'acme-corp.io',
  'mail.example.co.uk',
  'uni-hamburg.de',
  'outlook.com',
  'proton.me',
  'fastmail.fm',
  'company.org',
  'health.example.net',
]

/** An email address in one of several real-world shapes. */
export function email(rng: Rng): string {
  const f = rng.pick(FIRST)
  const l = rng.pick(LAST)
  const local = rng.pick([
    `${f}.${l}`,
    `${f}${l[0]}`,
    `${f[0]}${l}${rng.int(1, 99)}`,
    `${f}_${l}`,
    `${f}.${l}+${rng.pick(['news', 'work', 'shop'])}`,
    `${l}.${f}`,
  ])
  return `${local}@${rng.pick(DOMAINS)}`
}

const US_AREAS = [
  '212',
  '213',
  '312',
  '415',
  '617',
  '202',
  '206',
  '303',
  '305',
  '404',
  '503',
  '512',
  '602',
  '646',
  '702',
  '718',
  '773',
  '818',
  '917',
  '919',
  '650',
  '408',
  '510',
  '347',
  '720',
  '615',
  '704',
  '857',
]

function valid(raw: string, region: string): boolean {
  return parsePhoneNumberFromString(raw, region as CountryCode)?.isValid() ?? false
}

function usNumber(rng: Rng): [string, string, string] {
  for (;;) {
    const exchange = `${rng.int(2, 9)}${rng.digits(2)}`
    if (exchange === '555' || exchange.endsWith('11')) continue
    const parts: [string, string, string] = [rng.pick(US_AREAS), exchange, rng.digits(4)]
    if (valid(parts.join(''), 'US')) return parts
  }
}

/** A formatted phone number (US and several other regions), valid in its numbering plan. */
export function phone(rng: Rng): string {
  const region = rng.pick(['US', 'US', 'US', 'GB', 'DE', 'FR', 'IN', 'AU'])
  if (region === 'US') {
    const [a, e, l] = usNumber(rng)
    return rng.pick([
      `(${a}) ${e}-${l}`,
      `${a}-${e}-${l}`,
      `${a}.${e}.${l}`,
      `+1 ${a} ${e} ${l}`,
      `+1-${a}-${e}-${l}`,
      `+1 (${a}) ${e}-${l}`,
    ])
  }
  for (;;) {
    const candidate = rng.pick(INTERNATIONAL[region] ?? [])(rng)
    if (valid(candidate, region)) return candidate
  }
}

const INTERNATIONAL: Record<string, Array<(rng: Rng) => string>> = {
  GB: [
    (r) => `+44 20 7${r.digits(3)} ${r.digits(4)}`,
    (r) => `020 8${r.digits(3)} ${r.digits(4)}`,
    (r) => `+44 7${r.pick(['4', '5', '7', '8', '9'])}${r.digits(2)} ${r.digits(6)}`,
    (r) => `0161 ${r.int(2, 9)}${r.digits(2)} ${r.digits(4)}`,
  ],
  DE: [
    (r) => `+49 30 ${r.int(2, 9)}${r.digits(7)}`,
    (r) => `+49 151 ${r.digits(8)}`,
    (r) => `089 ${r.int(2, 9)}${r.digits(6)}`,
  ],
  FR: [
    (r) => `+33 1 ${r.digits(2)} ${r.digits(2)} ${r.digits(2)} ${r.digits(2)}`,
    (r) => `06 ${r.digits(2)} ${r.digits(2)} ${r.digits(2)} ${r.digits(2)}`,
  ],
  IN: [(r) => `+91 9${r.digits(4)} ${r.digits(5)}`, (r) => `+91 8${r.digits(4)} ${r.digits(5)}`],
  AU: [
    (r) => `+61 2 ${r.int(8, 9)}${r.digits(3)} ${r.digits(4)}`,
    (r) => `04${r.digits(2)} ${r.digits(3)} ${r.digits(3)}`,
  ],
}

/** A 10-digit US number with no formatting at all. */
export function barePhone(rng: Rng): string {
  return usNumber(rng).join('')
}

function luhnDigit(body: string): string {
  let sum = 0
  for (let i = 0; i < body.length; i += 1) {
    let d = Number(body[body.length - 1 - i])
    if (i % 2 === 0) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return String((10 - (sum % 10)) % 10)
}

/** Card digits with a valid Luhn check digit for a real brand prefix. */
export function cardDigits(rng: Rng): string {
  const [prefix, length] = rng.pick<[string, number]>([
    ['4', 16],
    ['4', 16],
    [`5${rng.int(1, 5)}`, 16],
    [rng.pick(['34', '37']), 15],
    ['6011', 16],
    [`22${rng.int(21, 72)}`, 16],
  ])
  const body = prefix + rng.digits(length - prefix.length - 1)
  return body + luhnDigit(body)
}

/** A card number formatted as people write it. */
export function card(rng: Rng): string {
  return formatCard(rng, cardDigits(rng))
}

/** Groups card digits with spaces, dashes or nothing (Amex 4-6-5). */
export function formatCard(rng: Rng, digits: string): string {
  const sep = rng.pick([' ', ' ', '-', ''])
  if (digits.length === 15)
    return [digits.slice(0, 4), digits.slice(4, 10), digits.slice(10)].join(sep)
  return digits.match(/.{1,4}/g)?.join(sep) ?? digits
}

/** The same digits with the last one changed, so the Luhn check fails. */
export function badCard(rng: Rng): string {
  const good = cardDigits(rng)
  const last = Number(good[good.length - 1])
  return formatCard(rng, good.slice(0, -1) + String((last + rng.int(1, 9)) % 10))
}

const BBAN: Record<string, (r: Rng) => string> = {
  DE: (r) => r.digits(18),
  GB: (r) => r.pick(['NWBK', 'BARC', 'LOYD', 'HBUK', 'MIDL']) + r.digits(14),
  FR: (r) => r.digits(23),
  NL: (r) => r.pick(['ABNA', 'INGB', 'RABO', 'TRIO']) + r.digits(10),
  ES: (r) => r.digits(20),
  IT: (r) => r.pick(['X', 'A', 'K']) + r.digits(22),
  BE: (r) => r.digits(12),
  CH: (r) => r.digits(17),
  AT: (r) => r.digits(16),
  PL: (r) => r.digits(24),
}

function mod97(numeric: string): number {
  let remainder = 0
  for (const ch of numeric) remainder = (remainder * 10 + Number(ch)) % 97
  return remainder
}

const toDigits = (s: string): string =>
  [...s].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join('')

/** IBAN characters (no spaces) with correct check digits, or wrong ones when `broken`. */
export function ibanRaw(rng: Rng, broken = false): string {
  const country = rng.pick(Object.keys(BBAN))
  const bban = (BBAN[country] as (r: Rng) => string)(rng)
  const check = 98 - mod97(toDigits(`${bban}${country}00`))
  const digits = broken ? (check + rng.int(1, 50)) % 97 || 3 : check
  return `${country}${String(digits).padStart(2, '0')}${bban}`
}

/** An IBAN, printed in groups of four or compact. */
export function iban(rng: Rng, broken = false): string {
  const raw = ibanRaw(rng, broken)
  return rng.chance(0.6) ? (raw.match(/.{1,4}/g)?.join(' ') ?? raw) : raw
}

/** SSN digits that satisfy the issuance rules. */
export function ssnDigits(rng: Rng): string {
  for (;;) {
    const area = rng.int(1, 899)
    if (area === 666) continue
    const digits = `${String(area).padStart(3, '0')}${String(rng.int(1, 99)).padStart(2, '0')}${String(rng.int(1, 9999)).padStart(4, '0')}`
    if (!['078051120', '219099999'].includes(digits)) return digits
  }
}

/** An SSN as AAA-GG-SSSS. */
export function ssn(rng: Rng): string {
  const d = ssnDigits(rng)
  return `${d.slice(0, 3)}-${d.slice(3, 5)}-${d.slice(5)}`
}

/** A public or private IPv4 address, or an IPv6 address. */
export function ip(rng: Rng): string {
  const kind = rng.int(0, 5)
  if (kind === 0) return `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`
  if (kind === 1) return `192.168.${rng.int(0, 255)}.${rng.int(1, 254)}`
  if (kind === 2) {
    const hex = () => rng.int(0, 65535).toString(16)
    return rng.pick([
      `2a00:1450:${hex()}:${hex()}::${hex()}`,
      `2001:db8:${hex()}:${hex()}:${hex()}:${hex()}:${hex()}:${hex()}`,
      `fe80::${hex()}:${hex()}:${hex()}:${hex()}`,
    ])
  }
  return `${rng.pick([8, 23, 34, 45, 52, 66, 81, 93, 104, 142, 151, 185, 198, 203, 212])}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const rand = (rng: Rng, n: number, alphabet = ALNUM): string =>
  Array.from({ length: n }, () => alphabet[rng.int(0, alphabet.length - 1)]).join('')
const b64url = (s: string): string => Buffer.from(s).toString('base64url')

/** A secret in one of the shapes people paste: provider keys, tokens, private keys, passwords. */
export function secret(rng: Rng): string {
  const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
  const kinds: Array<() => string> = [
    () => `AKIA${rand(rng, 16, upper)}`,
    () => `ghp_${rand(rng, 36)}`,
    () => `sk-proj-${rand(rng, 48)}`,
    () => `sk_live_${rand(rng, 24)}`,
    () => `xoxb-${rng.digits(11)}-${rng.digits(12)}-${rand(rng, 24)}`,
    () => `AIza${rand(rng, 35)}`,
    () => `glpat-${rand(rng, 20)}`,
    () => `hf_${rand(rng, 34)}`,
    () => `sk-ant-api03-${rand(rng, 40)}`,
    () =>
      `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(`{"sub":"${rng.digits(6)}","name":"${rng.pick(FIRST)}"}`)}.${rand(rng, 43)}`,
    () =>
      `-----BEGIN ${rng.pick(['RSA ', 'EC ', 'OPENSSH ', ''])}PRIVATE KEY-----\n${rand(rng, 64)}\n${rand(rng, 64)}\n-----END ${'$1'}PRIVATE KEY-----`,
  ]
  const made = rng.pick(kinds)()
  // Private-key blocks end with the same label they begin with.
  const label = /BEGIN (.*)PRIVATE KEY/.exec(made)?.[1] ?? ''
  return made.replace('$1', label)
}

/** A password or hex key that only its surrounding words mark as secret. */
export function keywordSecret(rng: Rng): string {
  return rng.pick([
    () => rand(rng, 32, '0123456789abcdef'),
    () => `${rand(rng, 6)}${rng.pick(['!', '#', '$', '%'])}${rng.digits(3)}${rand(rng, 3)}`,
    () => rand(rng, 40, ALNUM + '/+'),
  ])()
}
