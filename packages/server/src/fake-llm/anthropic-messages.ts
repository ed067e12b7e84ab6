import { promptTokens, replyModel, type Endpoint, type EndpointContext } from './endpoint.js'
import { errorReply } from './errors.js'
import {
  generate,
  type Generation,
  type JsonFormat,
  type ToolMode,
  type ToolSpec,
} from './generate.js'
import { arrayOf, isRecord, numberOf, stringOf, textOf, type JsonRecord } from './request-body.js'
import type { Prompt } from './script.js'
import type { Reply, StreamReply } from './send.js'
import { eventFrame, splitArguments, splitText } from './sse.js'
import { anthropicUsage, usageOf, type TokenUsage } from './usage.js'

/** `POST /v1/messages`: text or tool use, streamed as the real event sequence or not. */
export const messages: Endpoint = {
  provider: 'anthropic',
  prompt: messagesPrompt,
  respond(ctx) {
    const { body } = ctx
    const model = stringOf(body.model)
    if (model === undefined) return invalid(ctx, 'model: Field required')
    if (!Array.isArray(body.messages)) return invalid(ctx, 'messages: Field required')
    const maxTokens = numberOf(body.max_tokens)
    if (maxTokens === undefined) return invalid(ctx, 'max_tokens: Field required')
    const tools = anthropicTools(body.tools)
    const generation = generate({
      script: ctx.script,
      prompt: ctx.prompt,
      tokens: ctx.tokens,
      tools,
      toolMode: anthropicToolMode(body.tool_choice, tools.length > 0),
      json: anthropicJsonFormat(body.output_config),
      maxTokens,
    })
    const output =
      generation.kind === 'text'
        ? ctx.tokens(generation.text)
        : ctx.tokens(generation.name + generation.arguments) + 1
    const toolsTokens = tools.length > 0 ? ctx.tokens(JSON.stringify(body.tools)) : 0
    const input = promptTokens(ctx.prompt, ctx.tokens) + toolsTokens
    const message = {
      id: ctx.ids('msg_01'),
      model: replyModel(ctx, model),
      generation,
      toolUseId: generation.kind === 'tool' ? ctx.ids('toolu_01') : '',
      usage: usageOf(ctx.script, { input, output }),
    }
    return body.stream === true ? streamed(ctx, message) : whole(ctx, message)
  },
}

interface Message {
  readonly id: string
  readonly model: string
  readonly generation: Generation
  readonly toolUseId: string
  readonly usage: TokenUsage
}

function messagesPrompt(body: JsonRecord): Prompt {
  const texts: string[] = [textOf(body.system)]
  const list = arrayOf(body.messages)
  let lastUser = ''
  for (const m of list) {
    if (!isRecord(m)) continue
    const text = textOf(m.content)
    texts.push(text)
    if (m.role === 'user') lastUser = text
  }
  const last = list.at(-1)
  const afterToolResult =
    isRecord(last) &&
    last.role === 'user' &&
    arrayOf(last.content).some((b) => isRecord(b) && b.type === 'tool_result')
  return { lastUser, all: texts.join('\n'), afterToolResult, messageCount: list.length }
}

function anthropicTools(value: unknown): ToolSpec[] {
  const tools: ToolSpec[] = []
  for (const t of arrayOf(value)) {
    if (!isRecord(t)) continue
    const name = stringOf(t.name)
    if (name !== undefined) tools.push({ name, parameters: t.input_schema })
  }
  return tools
}

function anthropicToolMode(choice: unknown, hasTools: boolean): ToolMode {
  if (!hasTools || !isRecord(choice)) return hasTools ? { kind: 'auto' } : { kind: 'none' }
  switch (choice.type) {
    case 'none':
      return { kind: 'none' }
    case 'any':
      return { kind: 'required' }
    case 'tool': {
      const name = stringOf(choice.name)
      return name === undefined ? { kind: 'required' } : { kind: 'forced', name }
    }
    default:
      return { kind: 'auto' }
  }
}

/** Structured outputs: `output_config.format` of type `json_schema`. */
function anthropicJsonFormat(config: unknown): JsonFormat | undefined {
  if (!isRecord(config) || !isRecord(config.format)) return undefined
  return config.format.type === 'json_schema'
    ? { kind: 'schema', schema: config.format.schema }
    : undefined
}

function stopReason(g: Generation): string {
  if (g.kind === 'tool') return 'tool_use'
  return g.truncated ? 'max_tokens' : 'end_turn'
}

/** Tool input is an object on the wire; scripted malformed arguments stay the raw string. */
function toolInput(args: string): unknown {
  try {
    return JSON.parse(args) as unknown
  } catch {
    return args
  }
}

function whole(ctx: EndpointContext, m: Message): Reply {
  const g = m.generation
  const content =
    g.kind === 'text'
      ? [{ type: 'text', text: g.text }]
      : [{ type: 'tool_use', id: m.toolUseId, name: g.name, input: toolInput(g.arguments) }]
  const body: JsonRecord = {
    id: m.id,
    type: 'message',
    role: 'assistant',
    model: m.model,
    content,
    stop_reason: stopReason(g),
    stop_sequence: null,
  }
  if (ctx.script.usage) body.usage = anthropicUsage(m.usage)
  const pieces = g.kind === 'text' ? splitText(g.text, ctx.script.chunks).length : 1
  return { kind: 'json', status: 200, body, headers: { 'request-id': ctx.requestId }, pieces }
}

function streamed(ctx: EndpointContext, m: Message): StreamReply {
  const event = (type: string, payload: JsonRecord): string =>
    eventFrame(type, { type, ...payload })
  const g = m.generation
  const start: JsonRecord = {
    id: m.id,
    type: 'message',
    role: 'assistant',
    model: m.model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
  }
  // message_start reports the prompt and a first output token; message_delta the final totals
  if (ctx.script.usage) start.usage = { ...anthropicUsage(m.usage), output_tokens: 1 }
  const block =
    g.kind === 'text'
      ? { type: 'text', text: '' }
      : { type: 'tool_use', id: m.toolUseId, name: g.name, input: {} }
  const head = [
    event('message_start', { message: start }),
    event('content_block_start', { index: 0, content_block: block }),
    event('ping', {}),
  ]
  const body =
    g.kind === 'text'
      ? splitText(g.text, ctx.script.chunks).map((text) =>
          event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
        )
      : splitArguments(g.arguments, ctx.script.chunks).map((partial_json) =>
          event('content_block_delta', {
            index: 0,
            delta: { type: 'input_json_delta', partial_json },
          }),
        )
  const delta: JsonRecord = { delta: { stop_reason: stopReason(g), stop_sequence: null } }
  if (ctx.script.usage) delta.usage = deltaUsage(m.usage)
  const tail = [
    event('content_block_stop', { index: 0 }),
    event('message_delta', delta),
    event('message_stop', {}),
  ]
  return { kind: 'stream', head, body, tail, headers: { 'request-id': ctx.requestId } }
}

function deltaUsage(u: TokenUsage): JsonRecord {
  const full = anthropicUsage(u)
  return {
    input_tokens: full.input_tokens,
    cache_creation_input_tokens: full.cache_creation_input_tokens,
    cache_read_input_tokens: full.cache_read_input_tokens,
    output_tokens: full.output_tokens,
  }
}

function invalid(ctx: EndpointContext, message: string): Reply {
  return errorReply('anthropic', 400, { message, requestId: ctx.requestId })
}
