import { ioText, messageText, type Message, type Span } from '@vigil/core'

/** Which side of a span a detector scans. */
export type TextTarget = 'input' | 'output'

/** Roles whose text the application wrote, not the end user. */
const TRUSTED_ROLES = new Set(['system', 'developer'])

/** All text of one side of a span. */
export function targetText(span: Span, target: TextTarget): string {
  return ioText(target === 'input' ? span.input : span.output)
}

/** The input as chat messages; plain-text input becomes one user message. */
export function inputMessages(span: Span): Message[] {
  const { input } = span
  if (input === null || input === undefined) return []
  if (typeof input === 'string') return [{ role: 'user', content: input }]
  return input
}

/** Text of the system and developer messages: the prompt the application wrote. */
export function systemPromptText(span: Span): string {
  return inputMessages(span)
    .filter((m) => TRUSTED_ROLES.has(m.role))
    .map(messageText)
    .join('\n')
}

/**
 * Text that came from outside the application (user turns, tool results): where an injection
 * can arrive. Assistant turns are excluded because the model wrote them.
 */
export function untrustedInputText(span: Span): string {
  return inputMessages(span)
    .filter((m) => !TRUSTED_ROLES.has(m.role) && m.role !== 'assistant')
    .map(messageText)
    .join('\n')
}

/** The last user message of the input, or null when there is none. */
export function lastUserText(span: Span): string | null {
  const users = inputMessages(span).filter((m) => m.role === 'user')
  const last = users[users.length - 1]
  return last === undefined ? null : messageText(last)
}
