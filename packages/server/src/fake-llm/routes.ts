import type { IncomingHttpHeaders } from 'node:http'
import { messages } from './anthropic-messages.js'
import type { Endpoint } from './endpoint.js'
import { anthropicModels, openaiModelById, openaiModels } from './models.js'
import { chatCompletions } from './openai-chat.js'
import { completions } from './openai-completions.js'
import { embeddings } from './openai-embeddings.js'
import { responses } from './openai-responses.js'

const POST_ROUTES = new Map<string, Endpoint>([
  ['/v1/chat/completions', chatCompletions],
  ['/v1/completions', completions],
  ['/v1/embeddings', embeddings],
  ['/v1/responses', responses],
  ['/v1/messages', messages],
])

const MODEL_PREFIX = '/v1/models/'

/** The endpoint for a method and path; `/v1/models` answers in Anthropic's shape to its clients. */
export function route(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
): Endpoint | undefined {
  if (method === 'POST') return POST_ROUTES.get(path)
  if (method !== 'GET') return undefined
  if (path === '/v1/models') {
    return headers['anthropic-version'] === undefined ? openaiModels : anthropicModels
  }
  if (path.startsWith(MODEL_PREFIX) && path.length > MODEL_PREFIX.length) {
    return openaiModelById(decodePath(path.slice(MODEL_PREFIX.length)))
  }
  return undefined
}

function decodePath(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
