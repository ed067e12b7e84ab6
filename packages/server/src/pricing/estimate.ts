import { ioText, type Span, type SpanIo } from '@vigil/core'

type CountTokens = (text: string) => number
let tokenizer: Promise<CountTokens> | undefined

/**
 * gpt-tokenizer's o200k tables take ~60 MB of RSS (34 MB of heap) once loaded, and most
 * traffic reports its own usage, so they load on the first span that needs an estimate.
 */
function loadTokenizer(): Promise<CountTokens> {
  tokenizer ??= import('gpt-tokenizer').then((m) => m.countTokens)
  return tokenizer
}

// chat formats add a few tokens per message for role and separators (OpenAI's cookbook: ~3–4)
const PER_MESSAGE_OVERHEAD = 4

function estimateIo(io: SpanIo | null, countTokens: CountTokens): number {
  if (io === null) return 0
  const text = ioText(io)
  const tokens = text.length === 0 ? 0 : countTokens(text)
  return typeof io === 'string' ? tokens : tokens + io.length * PER_MESSAGE_OVERHEAD
}

/**
 * Estimated usage for an LLM call that reported none (streamed spans from several
 * instrumentations, providers that omit usage); null when there is no text to count.
 */
export async function estimateUsage(
  span: Pick<Span, 'kind' | 'input' | 'output'>,
): Promise<Record<string, number> | null> {
  if (span.kind !== 'generation' && span.kind !== 'embedding') return null
  if (span.input === null && span.output === null) return null
  const countTokens = await loadTokenizer()
  const input = estimateIo(span.input, countTokens)
  const output = span.kind === 'embedding' ? 0 : estimateIo(span.output, countTokens)
  return input + output > 0 ? { input, output } : null
}
