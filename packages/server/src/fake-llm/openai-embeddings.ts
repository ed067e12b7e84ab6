import { replyModel, type Endpoint, type EndpointContext } from './endpoint.js'
import { embedText, toBase64 } from './embedding-vector.js'
import { errorReply } from './errors.js'
import { numberOf, stringOf, type JsonRecord } from './request-body.js'
import type { Reply } from './send.js'

const NATIVE_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-large': 3072,
  'text-embedding-3-small': 1536,
  'text-embedding-ada-002': 1536,
}

/** `POST /v1/embeddings`: deterministic vectors, `dimensions` and base64 encoding honoured. */
export const embeddings: Endpoint = {
  provider: 'openai',
  prompt(body) {
    const texts = inputs(body.input).map((i) => i.text)
    return {
      lastUser: texts.at(-1) ?? '',
      all: texts.join('\n'),
      afterToolResult: false,
      messageCount: 0,
    }
  },
  respond(ctx) {
    const model = stringOf(ctx.body.model)
    if (model === undefined) return invalid(ctx, 'you must provide a model parameter', 'model')
    const items = inputs(ctx.body.input)
    if (items.length === 0) return invalid(ctx, "'$.input' is invalid.", 'input')
    const dims = numberOf(ctx.body.dimensions) ?? NATIVE_DIMENSIONS[model] ?? 1536
    if (!Number.isInteger(dims) || dims < 1) {
      return invalid(ctx, `Invalid value for 'dimensions' = ${dims}.`, 'dimensions')
    }
    const base64 = ctx.body.encoding_format === 'base64'
    const data = items.map((item, index) => {
      const v = embedText(item.text, dims)
      return { object: 'embedding', index, embedding: base64 ? toBase64(v) : Array.from(v) }
    })
    const body: JsonRecord = { object: 'list', data, model: replyModel(ctx, model) }
    if (ctx.script.usage) {
      const tokens = items.reduce((sum, i) => sum + (i.tokens ?? ctx.tokens(i.text)), 0)
      body.usage = { prompt_tokens: tokens, total_tokens: tokens }
    }
    return { kind: 'json', status: 200, body, headers: { 'x-request-id': ctx.requestId } }
  },
}

interface EmbeddingInput {
  readonly text: string
  /** Token-id input already says how many tokens it has. */
  readonly tokens?: number
}

/** A string, strings, token ids, or lists of token ids. */
function inputs(input: unknown): EmbeddingInput[] {
  if (typeof input === 'string') return [{ text: input }]
  if (!Array.isArray(input)) return []
  if (input.every((x) => typeof x === 'number')) {
    return input.length === 0 ? [] : [{ text: input.join(' '), tokens: input.length }]
  }
  return input.map((x: unknown) =>
    Array.isArray(x) ? { text: x.join(' '), tokens: x.length } : { text: String(x) },
  )
}

function invalid(ctx: EndpointContext, message: string, param: string): Reply {
  return errorReply('openai', 400, { message, param, requestId: ctx.requestId })
}
