import { z } from 'zod'
import { LIMITS } from './limits.js'
import { jsonObjectSchema, jsonValueSchema } from './json.js'

const text = z.string().max(LIMITS.textBytes)

/** One part of a multi-part message (text, image reference, tool result, …). */
export const contentPartSchema = z
  .object({ type: z.string().max(64), text: text.optional() })
  .catchall(jsonValueSchema)

/** A tool call the model asked for; `arguments` is the raw JSON text the model wrote. */
export const toolCallSchema = z.object({
  id: z.string().max(LIMITS.shortText).optional(),
  name: z.string().max(LIMITS.shortText),
  arguments: text.default(''),
})

/** One chat message, provider-neutral. */
export const messageSchema = z.object({
  role: z.string().min(1).max(64),
  content: z.union([text, z.array(contentPartSchema).max(1000), z.null()]).default(null),
  name: z.string().max(LIMITS.shortText).optional(),
  toolCalls: z.array(toolCallSchema).max(256).optional(),
  toolCallId: z.string().max(LIMITS.shortText).optional(),
  metadata: jsonObjectSchema.optional(),
})

export type Message = z.infer<typeof messageSchema>
export type ToolCall = z.infer<typeof toolCallSchema>

/** Input or output of a span: chat messages, or plain text (completions, embeddings). */
export const ioSchema = z.union([text, z.array(messageSchema).max(10_000)])
export type SpanIo = z.infer<typeof ioSchema>

/** The text of one message, parts joined with newlines. */
export function messageText(message: Message): string {
  const { content } = message
  if (typeof content === 'string') return content
  if (content === null) return ''
  return content
    .map((part) => part.text ?? '')
    .filter((t) => t.length > 0)
    .join('\n')
}

/** All text of an input or output, for search and for detectors. */
export function ioText(io: SpanIo | null | undefined): string {
  if (io === null || io === undefined) return ''
  if (typeof io === 'string') return io
  return io
    .map((m) => {
      const calls = (m.toolCalls ?? []).map((c) => `${c.name}(${c.arguments})`).join('\n')
      const body = messageText(m)
      return calls ? `${body}\n${calls}`.trim() : body
    })
    .filter((t) => t.length > 0)
    .join('\n')
}
