import { messagesRequest, messagesResponse, messagesStream } from './anthropic-mapping.js'
import { recordCall, type CallRecipe, type WrapOptions } from './record-call.js'
import type { Tracer } from './tracer.js'
import { proxyClient } from './wrap-proxy.js'

const MESSAGES: CallRecipe = {
  name: 'anthropic.messages',
  kind: 'generation',
  provider: 'anthropic',
  request: messagesRequest,
  response: messagesResponse,
  stream: messagesStream,
}

/**
 * Records `messages.create` (streamed or not) of an Anthropic client; `messages.stream()` and
 * `messages.parse()` are recorded through the create call they make. Returns a proxy; the
 * client passed in is left untouched.
 */
export function wrapAnthropicClient<T extends object>(
  client: T,
  tracer: Tracer,
  options: WrapOptions = {},
): T {
  return proxyClient(client, {
    children: {
      messages: {
        methods: { create: recordCall(tracer, MESSAGES, options) },
        viaProxy: ['stream', 'parse'],
      },
    },
  })
}
