/** Word tokens: letters and digits, with inner apostrophes, dots and hyphens kept. */
const WORD = /[\p{L}\p{N}](?:[\p{L}\p{N}]|['’.-](?=[\p{L}\p{N}]))*/gu

const WORD_ASCII = /[a-z0-9](?:[a-z0-9]|['.-](?=[a-z0-9]))*/g
const NON_ASCII = /[\u0080-\uffff]/

/** Lowercased word tokens of a text. */
export function words(text: string): string[] {
  const lower = text.toLowerCase()
  // The Unicode-aware regex is several times slower; most text is ASCII.
  return lower.match(NON_ASCII.test(lower) ? WORD : WORD_ASCII) ?? []
}

/** Function words and filler that carry no claim of their own. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before ' +
    'being below between both but by can could did do does doing down during each either few ' +
    'for from further had has have having he her here hers herself him himself his how however ' +
    'i if in into is it its itself just let me more most my myself no nor not now of off on ' +
    'once only or other our ours ourselves out over own same she should so some such than that ' +
    'the their theirs them themselves then there these they this those through thus to too ' +
    'under until up upon us very was we were what when where which while who whom whose why ' +
    'will with would yes yet you your yours yourself yourselves may might must shall also ' +
    "it’s i’m don’t can’t it's i'm don't can't won't isn't aren't doesn't didn't " +
    "you're that's there's here's let's we're they're i've you've i'll you'll " +
    'per via etc e.g i.e one ones another much many every well still even back way'
  ).split(/\s+/),
)

/** A light suffix stripper so that "documents" supports "document" and "configured" "configure". */
export function stem(word: string): string {
  if (word.length <= 4) return word
  for (const suffix of ['ational', 'ization', 'ations', 'ation', 'ments', 'ment', 'ness']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) {
      return word.slice(0, -suffix.length)
    }
  }
  for (const suffix of ['ingly', 'edly', 'ing', 'ies', 'ied', 'ed', 'es', 'ly', 's', 'e']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
      const base = word.slice(0, -suffix.length)
      // "shipped" → "shipp" → "ship", so it meets "ships" → "ship".
      return /([b-df-hj-np-tv-z])\1$/.test(base) && !base.endsWith('ss') ? base.slice(0, -1) : base
    }
  }
  return word
}

/** Lowercased words that carry content: no stopwords, at least three characters or a digit. */
export function contentWords(text: string): string[] {
  return words(text).filter((w) => !STOPWORDS.has(w) && (w.length >= 3 || /\d/.test(w)))
}

/** Jaccard similarity of two sets (1 when both are empty). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1
  let shared = 0
  for (const item of a) if (b.has(item)) shared += 1
  return shared / (a.size + b.size - shared)
}
