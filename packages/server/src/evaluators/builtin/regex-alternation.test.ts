import { describe, expect, it } from 'vitest'
import { byFirstChar, escapeRegex } from './regex-alternation.js'

describe('byFirstChar', () => {
  it('groups terms by first character and keeps their order inside a group', () => {
    expect(byFirstChar(['idiot', 'imbecile', 'moron', 'i'])).toBe('i(?:diot|mbecile|)|m(?:oron)')
  })

  it('finds the same matches as the plain alternation', () => {
    const terms = ['shut your mouth', 'shut up', 'sk-ant-', 'sk-', 'a.b', 'x']
    const plain = new RegExp(terms.map(escapeRegex).join('|'), 'g')
    const grouped = new RegExp(byFirstChar(terms), 'g')
    const text = 'shut up, shut your mouth: sk-ant-1 sk-2 a.b axb x'
    expect(text.match(grouped)).toEqual(text.match(plain))
  })

  it('builds each character with the given piece', () => {
    const stretched = new RegExp(`^(?:${byFirstChar(['fuck', 'fuk'], (ch) => `${ch}+`)})$`)
    expect(stretched.test('ffuuuck')).toBe(true)
    expect(stretched.test('fck')).toBe(false)
  })
})
