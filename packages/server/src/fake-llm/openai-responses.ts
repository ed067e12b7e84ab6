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
import { responsesStream, type ResponseParts } from './openai-responses-stream.js'
import { splitText } from './sse.js'
import { responsesUsage, usageOf } from './usage.js'

/** `POST /v1/responses`: a message or a function call, streamed as the real event sequence or not. */
export const responses: Endpoint = {
  provider: 'openai',
  prompt: responsesPrompt,
  respond(ctx) {
    const { body } = ctx
    const model = stringOf(body.model)
    if (model === undefined) {
      return errorReply('openai', 400, {
        message: 'Missing required parameter: model.',
        param: 'model',
        code: 'missing_required_parameter',
        requestId: ctx.requestId,
      })
    }
    const tools = responsesTools(body.tools)
    const generation = generate({
      script: ctx.script,
      prompt: ctx.prompt,
      tokens: ctx.tokens,
      tools,
      toolMode: responsesToolMode(body.tool_choice, tools.length > 0),
      json: responsesJsonFormat(body.text),
      maxTokens: numberOf(body.max_output_tokens),
    })
    const parts = responseParts(ctx, model, generation)
    if (body.stream === true) return responsesStream(ctx, parts)
    const item = parts.item
    const pieces =
      generation.kind === 'text' ? splitText(generation.text, ctx.script.chunks).length : 1
    const headers = { 'x-request-id': ctx.requestId }
    return { kind: 'json', status: 200, body: parts.envelope(parts.final, [item]), headers, pieces }
  },
}

function responseParts(ctx: EndpointContext, model: string, g: Generation): ResponseParts {
  const { body } = ctx
  const truncated = g.kind === 'text' && g.truncated
  const final = truncated ? 'incomplete' : 'completed'
  const id = ctx.ids('resp_')
  const created = unixSeconds()
  const usage = (): unknown => {
    const output = g.kind === 'text' ? ctx.tokens(g.text) : ctx.tokens(g.name + g.arguments) + 1
    const input = promptTokens(ctx.prompt, ctx.tokens)
    return responsesUsage(usageOf(ctx.script, { input, output }))
  }
  const envelope = (status: string, output: readonly unknown[]): JsonRecord => {
    const done = status === 'completed' || status === 'incomplete'
    const response: JsonRecord = {
      id,
      object: 'response',
      created_at: created,
      status,
      background: false,
      error: null,
      incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
      instructions: body.instructions ?? null,
      max_output_tokens: body.max_output_tokens ?? null,
      model: replyModel(ctx, model),
      output,
      parallel_tool_calls: true,
      previous_response_id: body.previous_response_id ?? null,
      reasoning: { effort: null, summary: null },
      store: body.store ?? true,
      temperature: body.temperature ?? 1,
      text: body.text ?? { format: { type: 'text' }, verbosity: 'medium' },
      tool_choice: body.tool_choice ?? 'auto',
      tools: body.tools ?? [],
      top_p: body.top_p ?? 1,
      truncation: 'disabled',
      user: null,
      metadata: body.metadata ?? {},
    }
    if (!done) response.usage = null
    else if (ctx.script.usage) response.usage = usage()
    return response
  }
  return { envelope, item: outputItem(ctx, g, final), generation: g, final }
}

function outputItem(ctx: EndpointContext, g: Generation, final: string): JsonRecord {
  if (g.kind === 'tool') {
    return {
      id: ctx.ids('fc_'),
      type: 'function_call',
      status: 'completed',
      arguments: g.arguments,
      call_id: ctx.ids('call_'),
      name: g.name,
    }
  }
  return {
    id: ctx.ids('msg_'),
    type: 'message',
    status: final,
    role: 'assistant',
    content: [{ type: 'output_text', annotations: [], logprobs: [], text: g.text }],
  }
}

function responsesPrompt(body: JsonRecord): Prompt {
  const texts: string[] = []
  const instructions = stringOf(body.instructions)
  if (instructions !== undefined) texts.push(instructions)
  if (typeof body.input === 'string') {
    texts.push(body.input)
    return { lastUser: body.input, all: texts.join('\n'), afterToolResult: false, messageCount: 1 }
  }
  const items = arrayOf(body.input)
  let lastUser = ''
  for (const item of items) {
    if (!isRecord(item)) continue
    const text = item.type === 'function_call_output' ? textOf(item.output) : textOf(item.content)
    texts.push(text)
    if (item.role === 'user') lastUser = text
  }
  const last = items.at(-1)
  const afterToolResult = isRecord(last) && last.type === 'function_call_output'
  return { lastUser, all: texts.join('\n'), afterToolResult, messageCount: items.length }
}

function responsesTools(value: unknown): ToolSpec[] {
  const tools: ToolSpec[] = []
  for (const t of arrayOf(value)) {
    if (!isRecord(t) || t.type !== 'function') continue
    const name = stringOf(t.name)
    if (name !== undefined) tools.push({ name, parameters: t.parameters })
  }
  return tools
}

function responsesToolMode(choice: unknown, hasTools: boolean): ToolMode {
  if (choice === 'none' || !hasTools) return { kind: 'none' }
  if (choice === 'required') return { kind: 'required' }
  if (isRecord(choice) && choice.type === 'function') {
    const name = stringOf(choice.name)
    if (name !== undefined) return { kind: 'forced', name }
  }
  return { kind: 'auto' }
}

function responsesJsonFormat(text: unknown): JsonFormat | undefined {
  if (!isRecord(text) || !isRecord(text.format)) return undefined
  if (text.format.type === 'json_object') return { kind: 'object' }
  if (text.format.type === 'json_schema') return { kind: 'schema', schema: text.format.schema }
  return undefined
}
