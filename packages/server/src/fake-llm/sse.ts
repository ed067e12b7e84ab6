/** A `data:`-only event, as OpenAI's Chat Completions and legacy Completions streams send. */
export function dataFrame(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`
}

/** A named event, as Anthropic's Messages and OpenAI's Responses streams send. */
export function eventFrame(event: string, payload: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`
}

/** OpenAI's end-of-stream sentinel. */
export const DONE_FRAME = 'data: [DONE]\n\n'

/**
 * Cuts text into stream deltas: into `count` near-equal pieces when scripted, else one per word
 * (leading space kept, as tokenizers do). Never returns an empty list.
 */
export function splitText(text: string, count: number | undefined): string[] {
  if (count !== undefined) return splitEvenly(text, count)
  const words = text.match(/\s*\S+|\s+$/g)
  return words === null ? [text] : words
}

/** Cuts JSON arguments the way providers stream them: a few characters per delta. */
export function splitArguments(text: string, count: number | undefined): string[] {
  if (count !== undefined) return splitEvenly(text, count)
  const chars = Array.from(text)
  const pieces: string[] = []
  for (let i = 0; i < chars.length; i += 8) pieces.push(chars.slice(i, i + 8).join(''))
  return pieces.length === 0 ? [''] : pieces
}

function splitEvenly(text: string, count: number): string[] {
  // by code point, so a delta never ends inside a surrogate pair
  const chars = Array.from(text)
  const n = Math.max(1, Math.min(count, chars.length))
  const pieces: string[] = []
  for (let i = 0; i < n; i += 1) {
    const from = Math.floor((i * chars.length) / n)
    const to = Math.floor(((i + 1) * chars.length) / n)
    pieces.push(chars.slice(from, to).join(''))
  }
  return pieces
}
