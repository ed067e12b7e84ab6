import { isRecord } from './request-body.js'
import { sampleFromSchema } from './schema-sample.js'
import { ruleMatches, type Prompt, type ResolvedScript } from './script.js'
import { splitText } from './sse.js'
import type { TokenCounter } from './tokens.js'

/** A tool the request offers, whichever provider's shape it came in. */
export interface ToolSpec {
  readonly name: string
  readonly parameters: unknown
}

/** What the request allows: no tools, the model's choice, any tool, or one named tool. */
export type ToolMode =
  | { readonly kind: 'none' }
  | { readonly kind: 'auto' }
  | { readonly kind: 'required' }
  | { readonly kind: 'forced'; readonly name: string }

/** Structured output the request asks for. */
export type JsonFormat =
  { readonly kind: 'object' } | { readonly kind: 'schema'; readonly schema: unknown }

/** The model's answer before any wire format: text, or one tool call. */
export type Generation =
  | { readonly kind: 'text'; readonly text: string; readonly truncated: boolean }
  | { readonly kind: 'tool'; readonly name: string; readonly arguments: string }

/** Everything the answer depends on. */
export interface GenerateInput {
  readonly script: ResolvedScript
  readonly prompt: Prompt
  readonly tokens: TokenCounter
  readonly tools?: readonly ToolSpec[]
  readonly toolMode?: ToolMode
  readonly json?: JsonFormat | undefined
  readonly maxTokens?: number | undefined
}

/** Decides the answer: a tool call when tools are offered and allowed, else (JSON) text. */
export function generate(input: GenerateInput): Generation {
  const tool = chooseTool(input)
  if (tool !== undefined) {
    return { kind: 'tool', name: tool.name, arguments: toolArguments(tool, input) }
  }
  if (input.json !== undefined) {
    return { kind: 'text', text: jsonContent(input.json, input), truncated: false }
  }
  return truncate(input.script.reply, input)
}

function chooseTool(input: GenerateInput): ToolSpec | undefined {
  const { tools = [], toolMode = { kind: 'auto' }, script } = input
  if (tools.length === 0 || toolMode.kind === 'none' || script.toolCall === false) return undefined
  const find = (name: string): ToolSpec =>
    tools.find((t) => t.name === name) ?? { name, parameters: undefined }
  if (toolMode.kind === 'forced') return find(toolMode.name)
  if (script.toolCall?.name !== undefined) return find(script.toolCall.name)
  // an agent loop ends: after a tool result the model answers in text unless told otherwise
  if (toolMode.kind === 'auto' && input.prompt.afterToolResult && script.toolCall === undefined) {
    return undefined
  }
  return tools[0]
}

function toolArguments(tool: ToolSpec, input: GenerateInput): string {
  const scripted = input.script.toolCall === false ? undefined : input.script.toolCall?.arguments
  const value =
    scripted ??
    (isJudgeSchema(tool.parameters)
      ? verdictArguments(tool.parameters, input)
      : (sampleFromSchema(tool.parameters) ?? {}))
  return maybeMalformed(JSON.stringify(value), input.script)
}

function jsonContent(format: JsonFormat, input: GenerateInput): string {
  const { reply } = input.script
  if (isJson(reply)) return maybeMalformed(reply, input.script)
  let value: unknown
  if (format.kind === 'schema') {
    value = isJudgeSchema(format.schema)
      ? verdictArguments(format.schema, input)
      : sampleFromSchema(format.schema)
  } else {
    const rule = input.script.verdicts.find((r) => ruleMatches(r, input.prompt.all))
    value = rule
      ? { reasons: rule.reasons ?? reasonsFor(rule.choice), choice: rule.choice }
      : { answer: reply }
  }
  return maybeMalformed(JSON.stringify(value), input.script)
}

/** A judge's tool or output schema: an object with a `choice` property. */
function isJudgeSchema(schema: unknown): schema is { properties: Record<string, unknown> } {
  return isRecord(schema) && isRecord(schema.properties) && 'choice' in schema.properties
}

/**
 * `{ reasons, choice }` (plus samples of any other properties): the first verdict rule matching the
 * whole prompt decides, else the first enum value of `choice`.
 */
function verdictArguments(
  schema: { properties: Record<string, unknown> },
  input: GenerateInput,
): Record<string, unknown> {
  const choiceSchema = schema.properties.choice
  const rule = input.script.verdicts.find((r) => ruleMatches(r, input.prompt.all))
  const choice =
    rule === undefined ? sampleFromSchema(choiceSchema) : coerce(rule.choice, choiceSchema)
  const sample = sampleFromSchema(schema)
  return {
    ...(isRecord(sample) ? sample : {}),
    reasons: rule?.reasons ?? reasonsFor(String(choice)),
    choice,
  }
}

function reasonsFor(choice: string): string {
  return `Scripted verdict: ${choice}.`
}

/** A rule's choice is text; a numeric or boolean `choice` schema gets a number or boolean. */
function coerce(choice: string, schema: unknown): unknown {
  const type = isRecord(schema) ? schema.type : undefined
  if ((type === 'number' || type === 'integer') && Number.isFinite(Number(choice))) {
    return Number(choice)
  }
  if (type === 'boolean') return choice.toLowerCase() === 'true'
  return choice
}

/** Cuts the text at a word boundary so it fits `maxTokens`, as a length-limited model stops. */
function truncate(text: string, input: GenerateInput): Generation {
  const max = input.maxTokens
  if (max === undefined || input.tokens(text) <= max)
    return { kind: 'text', text, truncated: false }
  let kept = ''
  for (const word of splitText(text, undefined)) {
    if (input.tokens(kept + word) > max) break
    kept += word
  }
  return { kind: 'text', text: kept, truncated: true }
}

/** Truncated JSON, so a client's parse fails the way it does on a cut-off model answer. */
function maybeMalformed(json: string, script: ResolvedScript): string {
  return script.malformedToolArguments ? json.slice(0, Math.max(1, json.length >> 1)) : json
}

function isJson(text: string): boolean {
  const first = text.trimStart()[0]
  if (first !== '{' && first !== '[') return false
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}
