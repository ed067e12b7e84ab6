import { execAll } from './exec-all.js'

/** A half-open character range [start, end). */
export type Range = readonly [start: number, end: number]

const PAIRS: Record<string, string> = { '"': '"', '“': '”', '«': '»', '‘': '’', "'": "'", '`': '`' }
const MAX_QUOTE = 400

function opensQuote(text: string, i: number): boolean {
  const before = i === 0 ? ' ' : (text[i - 1] ?? ' ')
  // An apostrophe inside a word ("don't") is not a quotation mark.
  return !/[\p{L}\p{N}]/u.test(before)
}

function closesQuote(text: string, i: number): boolean {
  const after = text[i + 1] ?? ' '
  return !/[\p{L}\p{N}]/u.test(after)
}

/**
 * Character ranges inside quotation marks (straight, curly, guillemets, backticks), so a
 * detector can tell a mention ("the word 'idiot'") from a use.
 */
export function quotedRanges(text: string): Range[] {
  const ranges: Range[] = []
  let from = 0
  for (const m of execAll(QUOTE_CHARS, text)) {
    const i = m.index
    const close = PAIRS[m[0]]
    if (i < from || close === undefined || !opensQuote(text, i)) continue
    const end = findClose(text, i + 1, close)
    if (end === -1) continue
    ranges.push([i + 1, end])
    from = end + 1
  }
  return ranges
}

const QUOTE_CHARS = /["“«‘'`]/g

function findClose(text: string, from: number, close: string): number {
  const limit = Math.min(text.length, from + MAX_QUOTE)
  for (let j = from; j < limit; j += 1) {
    const ch = text[j]
    if (ch === '\n' && text[j + 1] === '\n') return -1
    if (ch === close && j > from && closesQuote(text, j)) return j
  }
  return -1
}

/** Whether [start, end) lies inside one of the ranges. */
export function isInside(ranges: readonly Range[], start: number, end: number): boolean {
  return ranges.some(([s, e]) => start >= s && end <= e)
}
