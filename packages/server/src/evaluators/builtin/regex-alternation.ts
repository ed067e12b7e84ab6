/** Escapes regex syntax characters so the text matches literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * Terms as one alternation, grouped by first character (`i(?:diot|mbecile)|m(?:oron)`) and in
 * the given order inside each group. Only one group can match at a position, so this matches
 * exactly what `idiot|imbecile|moron` does, but V8 tries one group there instead of every
 * term. `piece` turns one character into its regex source (default: the escaped character).
 */
export function byFirstChar(
  list: readonly string[],
  piece: (ch: string) => string = escapeRegex,
): string {
  const groups = new Map<string, string[]>()
  for (const term of list) {
    const first = term.charAt(0)
    const rests = groups.get(first) ?? []
    rests.push([...term.slice(1)].map(piece).join(''))
    groups.set(first, rests)
  }
  return [...groups].map(([first, rests]) => `${piece(first)}(?:${rests.join('|')})`).join('|')
}
