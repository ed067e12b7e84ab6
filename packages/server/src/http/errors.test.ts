import { readFileSync } from 'node:fs'
import { ERROR_CODES } from '@vigil/core'
import { describe, expect, it } from 'vitest'
import { HTTP_STATUS } from './errors.js'

describe('error codes', () => {
  it('documents every code with its HTTP status in docs/errors.md, and nothing else', () => {
    const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8')
    const rows = [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [
      m[1],
      Number(m[2]),
    ])
    const expected = ERROR_CODES.map((code) => [code, HTTP_STATUS[code]])
    expect(rows).toEqual(expected)
  })
})
