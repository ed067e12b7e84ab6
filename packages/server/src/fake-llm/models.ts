import { EMPTY_PROMPT, type Endpoint } from './endpoint.js'
import { errorReply } from './errors.js'

/** Models listed when the fake is started without a `models` list (then it accepts any model). */
export const DEFAULT_MODELS: readonly string[] = [
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-5-mini',
  'o3-mini',
  'gpt-3.5-turbo-instruct',
  'text-embedding-3-small',
  'text-embedding-3-large',
  'claude-sonnet-4-6',
  'claude-haiku-4-5',
  'claude-opus-4-5',
]

// a fixed date keeps listings reproducible
const CREATED = 1_715_367_049

/** `GET /v1/models` in OpenAI's shape. */
export const openaiModels: Endpoint = {
  provider: 'openai',
  prompt: () => EMPTY_PROMPT,
  respond: (ctx) => ({
    kind: 'json',
    status: 200,
    body: { object: 'list', data: ctx.models.map(openaiModel) },
    headers: { 'x-request-id': ctx.requestId },
  }),
}

/** `GET /v1/models` in Anthropic's shape (chosen by the `anthropic-version` header). */
export const anthropicModels: Endpoint = {
  provider: 'anthropic',
  prompt: () => EMPTY_PROMPT,
  respond: (ctx) => {
    const data = ctx.models.map((id) => ({
      type: 'model',
      id,
      display_name: id,
      created_at: new Date(CREATED * 1000).toISOString(),
    }))
    return {
      kind: 'json',
      status: 200,
      body: {
        data,
        has_more: false,
        first_id: data[0]?.id ?? null,
        last_id: data.at(-1)?.id ?? null,
      },
      headers: { 'request-id': ctx.requestId },
    }
  },
}

/** `GET /v1/models/{model}`: the model, or OpenAI's 404 when it is not listed. */
export function openaiModelById(id: string): Endpoint {
  return {
    provider: 'openai',
    prompt: () => EMPTY_PROMPT,
    respond: (ctx) =>
      ctx.models.includes(id)
        ? {
            kind: 'json',
            status: 200,
            body: openaiModel(id),
            headers: { 'x-request-id': ctx.requestId },
          }
        : errorReply('openai', 404, {
            message: `The model '${id}' does not exist`,
            code: 'model_not_found',
            param: 'model',
            requestId: ctx.requestId,
          }),
  }
}

function openaiModel(id: string): Record<string, unknown> {
  return {
    id,
    object: 'model',
    created: CREATED,
    owned_by: id.startsWith('claude') ? 'anthropic' : 'openai',
  }
}
