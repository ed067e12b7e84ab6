import type { EndpointContext } from './endpoint.js'
import type { Generation } from './generate.js'
import type { JsonRecord } from './request-body.js'
import type { StreamReply } from './send.js'
import { eventFrame, splitArguments, splitText } from './sse.js'

/** A Responses API answer before it is framed: the response envelope and its one output item. */
export interface ResponseParts {
  /** The response object for a status and output (usage only once finished). */
  readonly envelope: (status: string, output: readonly unknown[]) => JsonRecord
  readonly item: JsonRecord
  readonly generation: Generation
  readonly final: 'completed' | 'incomplete'
}

type Emit = (type: string, payload: JsonRecord) => string

interface Frames {
  readonly head: string[]
  readonly body: string[]
  readonly tail: string[]
}

/**
 * The Responses API event sequence: created, in_progress, output item (and content part) added,
 * deltas, their done events, then completed (or incomplete) with usage.
 */
export function responsesStream(ctx: EndpointContext, parts: ResponseParts): StreamReply {
  let sequence = 0
  // frames are built in the order they are sent, so sequence numbers come out increasing
  const emit: Emit = (type, payload) =>
    eventFrame(type, { type, sequence_number: sequence++, ...payload })
  const head = [
    emit('response.created', { response: parts.envelope('in_progress', []) }),
    emit('response.in_progress', { response: parts.envelope('in_progress', []) }),
  ]
  const item =
    parts.generation.kind === 'text' ? textFrames(ctx, parts, emit) : toolFrames(ctx, parts, emit)
  const tail = [
    ...item.tail,
    emit('response.output_item.done', { output_index: 0, item: parts.item }),
    emit(`response.${parts.final}`, { response: parts.envelope(parts.final, [parts.item]) }),
  ]
  const headers = { 'x-request-id': ctx.requestId }
  return { kind: 'stream', head: [...head, ...item.head], body: item.body, tail, headers }
}

function textFrames(ctx: EndpointContext, parts: ResponseParts, emit: Emit): Frames {
  const text = parts.generation.kind === 'text' ? parts.generation.text : ''
  const at = { item_id: parts.item.id, output_index: 0, content_index: 0 }
  const emptyPart = { type: 'output_text', annotations: [], logprobs: [], text: '' }
  const head = [
    emit('response.output_item.added', {
      output_index: 0,
      item: { ...parts.item, status: 'in_progress', content: [] },
    }),
    emit('response.content_part.added', { ...at, part: emptyPart }),
  ]
  const body = splitText(text, ctx.script.chunks).map((delta) =>
    emit('response.output_text.delta', { ...at, delta, logprobs: [] }),
  )
  const tail = [
    emit('response.output_text.done', { ...at, text, logprobs: [] }),
    emit('response.content_part.done', { ...at, part: { ...emptyPart, text } }),
  ]
  return { head, body, tail }
}

function toolFrames(ctx: EndpointContext, parts: ResponseParts, emit: Emit): Frames {
  const g = parts.generation
  const args = g.kind === 'tool' ? g.arguments : ''
  const at = { item_id: parts.item.id, output_index: 0 }
  const head = [
    emit('response.output_item.added', {
      output_index: 0,
      item: { ...parts.item, status: 'in_progress', arguments: '' },
    }),
  ]
  const body = splitArguments(args, ctx.script.chunks).map((delta) =>
    emit('response.function_call_arguments.delta', { ...at, delta }),
  )
  const name = g.kind === 'tool' ? g.name : ''
  const tail = [emit('response.function_call_arguments.done', { ...at, name, arguments: args })]
  return { head, body, tail }
}
