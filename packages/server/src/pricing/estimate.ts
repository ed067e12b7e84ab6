import { ioText, type Span, type SpanIo } from '@vigil/core'
import { countTokens } from 'gpt-tokenizer'

// chat formats add a few tokens per message for role and separators (OpenAI's cookbook: ~3–4)
const PER_MESSAGE_OVERHEAD = 4

function estimateIo(io: SpanIo | null): number {
  if (io === null) return 0
  const text = ioText(io)
  const tokens = text.length === 0 ? 0 : countTokens(text)
  return typeof io === 'string' ? tokens : tokens + io.length * PER_MESSAGE_OVERHEAD
}

/**
 * Estimated usage for an LLM call that reported none (streamed spans from several
 * instrumentations, providers that omit usage); null when there is no text to count.
 */
export function estimateUsage(
  span: Pick<Span, 'kind' | 'input' | 'output'>,
): Record<string, number> | null {
  if (span.kind !== 'generation' && span.kind !== 'embedding') return null
  if (span.input === null && span.output === null) return null
  const input = estimateIo(span.input)
  const output = span.kind === 'embedding' ? 0 : estimateIo(span.output)
  return input + output > 0 ? { input, output } : null
}
