import {
  chatRequest,
  chatResponse,
  completionRequest,
  completionResponse,
  embeddingRequest,
  embeddingResponse,
  responsesRequest,
  responsesResponse,
} from './openai-mapping.js'
import { chatStream, responsesStream } from './openai-stream.js'
import { recordCall, type CallRecipe, type WrapOptions } from './record-call.js'
import type { Tracer } from './tracer.js'
import { proxyClient } from './wrap-proxy.js'

const PROVIDER = 'openai'

const CHAT: CallRecipe = {
  name: 'openai.chat.completions',
  kind: 'generation',
  provider: PROVIDER,
  request: chatRequest,
  response: chatResponse,
  stream: () => chatStream('chat'),
}

const COMPLETIONS: CallRecipe = {
  name: 'openai.completions',
  kind: 'generation',
  provider: PROVIDER,
  request: completionRequest,
  response: completionResponse,
  stream: () => chatStream('completion'),
}

const EMBEDDINGS: CallRecipe = {
  name: 'openai.embeddings',
  kind: 'embedding',
  provider: PROVIDER,
  request: embeddingRequest,
  response: embeddingResponse,
}

const RESPONSES: CallRecipe = {
  name: 'openai.responses',
  kind: 'generation',
  provider: PROVIDER,
  request: responsesRequest,
  response: responsesResponse,
  stream: responsesStream,
}

/**
 * Records `chat.completions.create`, `completions.create`, `embeddings.create` and
 * `responses.create` (streamed or not) of an OpenAI client; the helpers built on them
 * (`chat.completions.stream/parse/runTools`, `responses.stream/parse`) are recorded through
 * the same calls. Returns a proxy; the client passed in is left untouched.
 */
export function wrapOpenAIClient<T extends object>(
  client: T,
  tracer: Tracer,
  options: WrapOptions = {},
): T {
  const create = (recipe: CallRecipe) => ({ create: recordCall(tracer, recipe, options) })
  return proxyClient(client, {
    children: {
      chat: {
        children: {
          completions: {
            methods: create(CHAT),
            viaProxy: ['stream', 'parse', 'runTools'],
          },
        },
      },
      completions: { methods: create(COMPLETIONS) },
      embeddings: { methods: create(EMBEDDINGS) },
      responses: { methods: create(RESPONSES), viaProxy: ['stream', 'parse'] },
    },
  })
}
