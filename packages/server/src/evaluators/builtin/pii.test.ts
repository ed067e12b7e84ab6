import { makeSpan } from '@vigil/core/testing'
import { describe, expect, it } from 'vitest'
import { detectPii, piiEvaluator, redactPii } from './pii.js'
import { ibanValid, luhnValid, ssnValid } from './pii-checksums.js'

const types = (text: string) => detectPii(text).map((m) => m.type)

describe('checksums', () => {
  it('Luhn, IBAN mod-97 and SSN issuance rules', () => {
    expect(luhnValid('4111111111111111')).toBe(true)
    expect(luhnValid('4111111111111112')).toBe(false)
    expect(ibanValid('DE89 3704 0044 0532 0130 00')).toBe(true)
    expect(ibanValid('DE89 3704 0044 0532 0130 01')).toBe(false)
    expect(ibanValid('GB82WEST12345698765432')).toBe(true)
    expect(ssnValid('536228841')).toBe(true)
    for (const bad of [
      '000228841',
      '666228841',
      '912228841',
      '536008841',
      '536220000',
      '123456789',
    ]) {
      expect(ssnValid(bad)).toBe(false)
    }
  })
})

describe('detectPii', () => {
  it('finds each entity type with its range and text', () => {
    const text = 'Mail jane.roe@example.org or call +1 (415) 555-2671.'
    const [email, phone] = detectPii(text)
    expect(email).toMatchObject({ type: 'email', text: 'jane.roe@example.org' })
    expect(text.slice(email!.start, email!.end)).toBe('jane.roe@example.org')
    expect(phone).toMatchObject({ type: 'phone', text: '+1 (415) 555-2671' })
    expect(types('Card 4111 1111 1111 1111 exp 12/27')).toEqual(['credit_card'])
    expect(types('IBAN: DE89 3704 0044 0532 0130 00')).toEqual(['iban'])
    expect(types('SSN 536-22-8841')).toEqual(['us_ssn'])
    expect(types('login from 203.0.113.45 and 2001:db8::8a2e:370:7334')).toEqual([
      'ip_address',
      'ip_address',
    ])
    expect(types('client ip fe80::1ff:fe23:4567:890a connected')).toEqual(['ip_address'])
    expect(types('host 2001:db8:85a3:0:0:8a2e:370:7334')).toEqual(['ip_address'])
  })

  it('finds secrets: provider keys, JWTs, private keys, passwords in URLs, keyword values', () => {
    const secrets = [
      'AKIAZ3MHXB6KQ2PLJ4TR',
      'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFU',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----',
      'postgres://app:S3cr3tPw@db:5432/x',
      'api_key = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"',
    ]
    for (const s of secrets) expect(types(s)).toEqual(['secret'])
  })

  it('skips hard negatives', () => {
    const negatives = [
      'Order #4155552671 shipped on 2024-03-15.',
      'The test number 4111 1111 1111 1112 fails the Luhn check.',
      'Reference 4539 1488 0343 6467 on your invoice.',
      'SSN-like 666-12-3456 and 123-45-6789 are never issued.',
      'Upgrade to version 1.2.3.4; localhost is 127.0.0.1.',
      'Use the docs key AKIAIOSFODNN7EXAMPLE and icon@2x.png.',
      'The password must be at least 12 characters.',
      'Meeting at 10:30:45 in room 1204.',
    ]
    for (const text of negatives) expect(detectPii(text), text).toEqual([])
  })

  it('context words raise a bare number above the threshold', () => {
    expect(types('4155552671')).toEqual([])
    expect(types('my cell is 4155552671')).toEqual(['phone'])
    expect(types('536228841')).toEqual([])
    expect(types('social security number 536228841')).toEqual(['us_ssn'])
  })
})

describe('redactPii', () => {
  it('replaces each match with its type, optionally only some types', () => {
    const text = 'Write to a.b@example.com, card 4111-1111-1111-1111.'
    expect(redactPii(text)).toBe('Write to [EMAIL], card [CREDIT_CARD].')
    expect(redactPii(text, ['email'])).toBe('Write to [EMAIL], card 4111-1111-1111-1111.')
  })
})

describe('piiEvaluator', () => {
  it('scores input and output with ranges but without the PII itself', async () => {
    const span = makeSpan({
      input: [{ role: 'user', content: 'My email is sam@example.com' }],
      output: 'Thanks, noted.',
    })
    const config = piiEvaluator.configSchema.parse({})
    const outcome = await piiEvaluator.evaluate(span, config, { now: 0 })
    expect(outcome.status).toBe('scored')
    if (outcome.status !== 'scored') return
    const [input, output] = outcome.scores
    expect(input).toMatchObject({ name: 'pii.input', value: true })
    expect(JSON.stringify(input?.metadata)).not.toContain('sam@example.com')
    expect(output).toMatchObject({ name: 'pii.output', value: false })
  })
})
