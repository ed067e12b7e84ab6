/** Counts the tokens of a text. */
export type TokenCounter = (text: string) => number

/** How prompt and completion tokens are counted: chars/4 (cheapest) or the o200k tokenizer. */
export type TokenCounting = 'approx' | 'tokenizer'

/** About four characters per token, as the providers' own rule of thumb says. */
export const approxTokens: TokenCounter = (text) => Math.ceil(text.length / 4)

/** The counter for a counting mode; the tokenizer is loaded only when asked for. */
export async function createTokenCounter(counting: TokenCounting): Promise<TokenCounter> {
  if (counting === 'approx') return approxTokens
  const { countTokens } = await import('gpt-tokenizer')
  return (text) => countTokens(text)
}
