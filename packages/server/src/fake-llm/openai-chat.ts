import {
  promptTokens,
  replyModel,
  unixSeconds,
  type Endpoint,
  type EndpointContext,
} from './endpoint.js'
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
import type { Reply } from './send.js'
import { DONE_FRAME, splitArguments, splitText } from './sse.js'
import { chatUsage, usageOf } from './usage.js'

const FINGERPRINT = 'fp_fake0001'

/** `POST /v1/chat/completions`: text, tool calls, JSON mode, `n` choices, streamed or not. */
export const chatCompletions: Endpoint = {
  provider: 'openai',
  prompt: chatPrompt,
  respond(ctx) {
    const { body } = ctx
    const model = stringOf(body.model)
    if (model === undefined) return invalid(ctx, 'you must provide a model parameter', 'model')
    const messages = arrayOf(body.messages)
    if (messages.length === 0) return invalid(ctx, "[] is too short - 'messages'", 'messages')
    const tools = chatTools(body.tools)
    const toolMode = chatToolMode(body.tool_choice, tools.length > 0)
    const generation = generate({
      script: ctx.script,
      prompt: ctx.prompt,
      tokens: ctx.tokens,
      tools,
      toolMode,
      json: chatJsonFormat(body.response_format),
      maxTokens: numberOf(body.max_completion_tokens) ?? numberOf(body.max_tokens),
    })
    const n = Math.max(1, Math.min(128, numberOf(body.n) ?? 1))
    const completion = {
      id: ctx.ids('chatcmpl-'),
      created: unixSeconds(),
      model: replyModel(ctx, model),
      generation,
      n,
      forced: toolMode.kind === 'forced',
      toolsTokens: tools.length > 0 ? ctx.tokens(JSON.stringify(body.tools)) : 0,
    }
    return body.stream === true ? streamed(ctx, completion) : whole(ctx, completion)
  },
}

interface Completion {
  readonly id: string
  readonly created: number
  readonly model: string
  readonly generation: Generation
  readonly n: number
  readonly forced: boolean
  readonly toolsTokens: number
}

function chatPrompt(body: JsonRecord): Prompt {
  const messages = arrayOf(body.messages)
  let lastUser = ''
  const texts: string[] = []
  for (const m of messages) {
    if (!isRecord(m)) continue
    const text = textOf(m.content)
    texts.push(text)
    if (m.role === 'user') lastUser = text
  }
  const last = messages.at(-1)
  const afterToolResult = isRecord(last) && (last.role === 'tool' || last.role === 'function')
  return { lastUser, all: texts.join('\n'), afterToolResult, messageCount: messages.length }
}

function chatTools(value: unknown): ToolSpec[] {
  const tools: ToolSpec[] = []
  for (const t of arrayOf(value)) {
    if (!isRecord(t) || !isRecord(t.function)) continue
    const name = stringOf(t.function.name)
    if (name !== undefined) tools.push({ name, parameters: t.function.parameters })
  }
  return tools
}

function chatToolMode(choice: unknown, hasTools: boolean): ToolMode {
  if (choice === 'none' || !hasTools) return { kind: 'none' }
  if (choice === 'required') return { kind: 'required' }
  if (isRecord(choice) && isRecord(choice.function)) {
    const name = stringOf(choice.function.name)
    if (name !== undefined) return { kind: 'forced', name }
  }
  return { kind: 'auto' }
}

function chatJsonFormat(format: unknown): JsonFormat | undefined {
  if (!isRecord(format)) return undefined
  if (format.type === 'json_object') return { kind: 'object' }
  if (format.type === 'json_schema' && isRecord(format.json_schema)) {
    return { kind: 'schema', schema: format.json_schema.schema }
  }
  return undefined
}

function finishReason(c: Completion): string {
  // OpenAI reports 'stop', not 'tool_calls', when tool_choice named the function
  if (c.generation.kind === 'tool') return c.forced ? 'stop' : 'tool_calls'
  return c.generation.truncated ? 'length' : 'stop'
}

function usage(ctx: EndpointContext, c: Completion): Record<string, unknown> {
  const g = c.generation
  const each = g.kind === 'text' ? ctx.tokens(g.text) : ctx.tokens(g.name + g.arguments) + 1
  const input = promptTokens(ctx.prompt, ctx.tokens) + c.toolsTokens
  return chatUsage(usageOf(ctx.script, { input, output: each * c.n }))
}

function whole(ctx: EndpointContext, c: Completion): Reply {
  const g = c.generation
  const choices = Array.from({ length: c.n }, (_, index) => ({
    index,
    message:
      g.kind === 'text'
        ? { role: 'assistant', content: g.text, refusal: null, annotations: [] }
        : {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: ctx.ids('call_'),
                type: 'function',
                function: { name: g.name, arguments: g.arguments },
              },
            ],
            refusal: null,
            annotations: [],
          },
    logprobs: null,
    finish_reason: finishReason(c),
  }))
  const body: JsonRecord = {
    id: c.id,
    object: 'chat.completion',
    created: c.created,
    model: c.model,
    choices,
    service_tier: 'default',
    system_fingerprint: FINGERPRINT,
  }
  if (ctx.script.usage) body.usage = usage(ctx, c)
  const pieces = g.kind === 'text' ? splitText(g.text, ctx.script.chunks).length : 1
  return { kind: 'json', status: 200, body, headers: { 'x-request-id': ctx.requestId }, pieces }
}

function streamed(ctx: EndpointContext, c: Completion): Reply {
  const options = ctx.body.stream_options
  const includeUsage = isRecord(options) && options.include_usage === true
  const frame = chunkFramer(c, includeUsage)
  const choice = (index: number, delta: JsonRecord, finish: string | null = null): JsonRecord => ({
    index,
    delta,
    logprobs: null,
    finish_reason: finish,
  })
  const indexes = Array.from({ length: c.n }, (_, i) => i)
  const g = c.generation
  const head = indexes.map((i) => frame([choice(i, firstDelta(ctx, g))]))
  const pieces =
    g.kind === 'text'
      ? splitText(g.text, ctx.script.chunks)
      : splitArguments(g.arguments, ctx.script.chunks)
  const body: string[] = []
  for (const piece of pieces) {
    for (const i of indexes) {
      const delta =
        g.kind === 'text'
          ? { content: piece }
          : { tool_calls: [{ index: 0, function: { arguments: piece } }] }
      body.push(frame([choice(i, delta)]))
    }
  }
  const tail = indexes.map((i) => frame([choice(i, {}, finishReason(c))]))
  if (includeUsage && ctx.script.usage) tail.push(frame([], usage(ctx, c)))
  tail.push(DONE_FRAME)
  return { kind: 'stream', head, body, tail, headers: { 'x-request-id': ctx.requestId } }
}

/**
 * Frames `chat.completion.chunk` events. The envelope is the same in every chunk, so it is
 * serialized once per response (streams are the benchmark's hot path); key order is OpenAI's.
 */
function chunkFramer(
  c: Completion,
  includeUsage: boolean,
): (choices: readonly unknown[], usage?: unknown) => string {
  const envelope = JSON.stringify({
    id: c.id,
    object: 'chat.completion.chunk',
    created: c.created,
    model: c.model,
    service_tier: 'default',
    system_fingerprint: FINGERPRINT,
  })
  const prefix = `data: ${envelope.slice(0, -1)},"choices":`
  return (choices, usage) => {
    const tail = includeUsage ? `,"usage":${JSON.stringify(usage ?? null)}}\n\n` : '}\n\n'
    return prefix + JSON.stringify(choices) + tail
  }
}

function firstDelta(ctx: EndpointContext, g: Generation): JsonRecord {
  if (g.kind === 'text') return { role: 'assistant', content: '', refusal: null }
  const call = {
    index: 0,
    id: ctx.ids('call_'),
    type: 'function',
    function: { name: g.name, arguments: '' },
  }
  return { role: 'assistant', content: null, tool_calls: [call], refusal: null }
}

function invalid(ctx: EndpointContext, message: string, param: string): Reply {
  return errorReply('openai', 400, { message, param, requestId: ctx.requestId })
}
