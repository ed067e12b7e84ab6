import { replyModel, unixSeconds, type Endpoint, type EndpointContext } from './endpoint.js'
import { errorReply } from './errors.js'
import { generate } from './generate.js'
import { arrayOf, isRecord, numberOf, stringOf, type JsonRecord } from './request-body.js'
import type { Prompt } from './script.js'
import type { Reply } from './send.js'
import { DONE_FRAME, dataFrame, splitText } from './sse.js'
import { usageOf } from './usage.js'

/** `POST /v1/completions` (legacy): one choice per prompt and `n`, streamed or not. */
export const completions: Endpoint = {
  provider: 'openai',
  prompt: completionPrompt,
  respond(ctx) {
    const model = stringOf(ctx.body.model)
    if (model === undefined) return invalid(ctx, 'you must provide a model parameter', 'model')
    if (ctx.body.prompt === undefined)
      return invalid(ctx, 'prompt is a required property', 'prompt')
    const generation = generate({
      script: ctx.script,
      prompt: ctx.prompt,
      tokens: ctx.tokens,
      // the real default: an unbounded legacy completion stops after 16 tokens
      maxTokens: numberOf(ctx.body.max_tokens) ?? 16,
    })
    const text = generation.kind === 'text' ? generation.text : ''
    const finish = generation.kind === 'text' && generation.truncated ? 'length' : 'stop'
    const n = Math.max(1, Math.min(128, numberOf(ctx.body.n) ?? 1))
    const count = Math.max(1, prompts(ctx.body).length) * n
    const base = {
      id: ctx.ids('cmpl-'),
      object: 'text_completion',
      created: unixSeconds(),
      model: replyModel(ctx, model),
    }
    const input = ctx.tokens(ctx.prompt.all)
    const output = ctx.tokens(text) * count
    const u = usageOf(ctx.script, { input, output })
    const usage = {
      prompt_tokens: u.input,
      completion_tokens: u.output,
      total_tokens: u.input + u.output,
    }
    const reply = { base, text, finish, count, usage }
    return ctx.body.stream === true ? streamed(ctx, reply) : whole(ctx, reply)
  },
}

interface Completion {
  readonly base: JsonRecord
  readonly text: string
  readonly finish: string
  readonly count: number
  readonly usage: JsonRecord
}

function prompts(body: JsonRecord): string[] {
  if (typeof body.prompt === 'string') return [body.prompt]
  return arrayOf(body.prompt).filter((p): p is string => typeof p === 'string')
}

function completionPrompt(body: JsonRecord): Prompt {
  const all = prompts(body)
  return {
    lastUser: all.at(-1) ?? '',
    all: all.join('\n'),
    afterToolResult: false,
    messageCount: all.length,
  }
}

function whole(ctx: EndpointContext, c: Completion): Reply {
  const choices = Array.from({ length: c.count }, (_, index) => ({
    text: c.text,
    index,
    logprobs: null,
    finish_reason: c.finish,
  }))
  const body: JsonRecord = { ...c.base, choices }
  if (ctx.script.usage) body.usage = c.usage
  const pieces = splitText(c.text, ctx.script.chunks).length
  return { kind: 'json', status: 200, body, headers: { 'x-request-id': ctx.requestId }, pieces }
}

function streamed(ctx: EndpointContext, c: Completion): Reply {
  const options = ctx.body.stream_options
  const includeUsage = isRecord(options) && options.include_usage === true
  const frame = (choices: unknown[], extra?: JsonRecord): string =>
    dataFrame({ ...c.base, choices, ...(includeUsage ? { usage: null } : {}), ...extra })
  const choice = (index: number, text: string, finish: string | null): JsonRecord => ({
    text,
    index,
    logprobs: null,
    finish_reason: finish,
  })
  const indexes = Array.from({ length: c.count }, (_, i) => i)
  const body: string[] = []
  for (const piece of splitText(c.text, ctx.script.chunks)) {
    for (const i of indexes) body.push(frame([choice(i, piece, null)]))
  }
  const tail = indexes.map((i) => frame([choice(i, '', c.finish)]))
  if (includeUsage && ctx.script.usage) tail.push(frame([], { usage: c.usage }))
  tail.push(DONE_FRAME)
  return { kind: 'stream', head: [], body, tail, headers: { 'x-request-id': ctx.requestId } }
}

function invalid(ctx: EndpointContext, message: string, param: string): Reply {
  return errorReply('openai', 400, { message, param, requestId: ctx.requestId })
}
