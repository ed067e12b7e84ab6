import { messageText, type Evaluator, type EvalScore, type Span } from '@vigil/core'
import { z } from 'zod'
import { validateJsonSchema, type JsonSchema, type SchemaError } from './json-schema.js'

export { validateJsonSchema, type JsonSchema, type SchemaError } from './json-schema.js'

/** The verdict on one text that should be JSON. */
export interface JsonValidityResult {
  valid: boolean
  /** Whether the JSON sat inside a Markdown code fence (accepted when allowed). */
  fenced: boolean
  parseError?: string
  /** Violations of the schema; empty when there is no schema or it holds. */
  schemaErrors: SchemaError[]
}

const FENCE = /^```[a-zA-Z0-9_-]*[ \t]*\r?\n([\s\S]*?)\r?\n?```$/

/** Parses a text as JSON (optionally inside a code fence) and checks it against a schema. */
export function checkJson(
  text: string,
  options: { schema?: JsonSchema; allowCodeFence?: boolean } = {},
): JsonValidityResult {
  const trimmed = text.trim()
  const fence = options.allowCodeFence === false ? null : FENCE.exec(trimmed)
  const body = fence?.[1] ?? trimmed
  // Prose fails on its first character; skip building a SyntaxError (and its stack) for it.
  if (!/^[[{"\d-]|^(?:true|false|null)\b/.test(body)) {
    const parseError = `not JSON: starts with ${JSON.stringify(body.slice(0, 20))}`
    return { valid: false, fenced: fence !== null, parseError, schemaErrors: [] }
  }
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch (error: unknown) {
    const parseError = error instanceof Error ? error.message : String(error)
    return { valid: false, fenced: fence !== null, parseError, schemaErrors: [] }
  }
  const schemaErrors = options.schema === undefined ? [] : validateJsonSchema(value, options.schema)
  return { valid: schemaErrors.length === 0, fenced: fence !== null, schemaErrors }
}

const schemaValue: z.ZodType<JsonSchema> = z.union([z.boolean(), z.record(z.string(), z.unknown())])

const jsonConfigSchema = z.object({
  schema: schemaValue.optional(),
  allowCodeFence: z.boolean().default(true),
  /** `auto`: the tool-call arguments when the output is only tool calls, else the text. */
  target: z.enum(['auto', 'content', 'tool_arguments']).default('auto'),
})
/** Configuration of the JSON validity evaluator. */
export type JsonValidityConfig = z.output<typeof jsonConfigSchema>

function outputParts(span: Span, target: JsonValidityConfig['target']): string[] {
  const { output } = span
  if (output === null || output === undefined) return []
  if (typeof output === 'string') return target === 'tool_arguments' ? [] : [output]
  const content = output.map(messageText).join('\n').trim()
  const args = output.flatMap((m) => (m.toolCalls ?? []).map((c) => c.arguments))
  if (target === 'content') return content ? [content] : []
  if (target === 'tool_arguments') return args
  return content.length === 0 && args.length > 0 ? args : content ? [content] : []
}

function scoresFor(results: JsonValidityResult[], config: JsonValidityConfig): EvalScore[] {
  const parseErrors = results.flatMap((r) => (r.parseError ? [r.parseError] : []))
  const schemaErrors = results.flatMap((r) => r.schemaErrors).slice(0, 10)
  const parsed = parseErrors.length === 0
  const scores: EvalScore[] = [
    {
      name: 'json.valid',
      value: parsed,
      explanation: parsed ? 'parses as JSON' : (parseErrors[0] ?? 'invalid JSON'),
      metadata: { parts: results.length, fenced: results.some((r) => r.fenced) },
    },
  ]
  if (config.schema !== undefined) {
    const ok = parsed && schemaErrors.length === 0
    const first = schemaErrors[0]
    scores.push({
      name: 'json.schema',
      value: ok,
      explanation: ok
        ? 'matches the schema'
        : first
          ? `${first.path} ${first.message}`
          : 'not JSON',
      metadata: { errors: schemaErrors.map((e) => ({ path: e.path, message: e.message })) },
    })
  }
  return scores
}

/** Evaluator: does the output parse as JSON, and does it match the configured schema? */
export const jsonValidityEvaluator: Evaluator<JsonValidityConfig> = {
  kind: 'json_validity',
  version: '1',
  configSchema: jsonConfigSchema,
  evaluate(span, config) {
    const parts = outputParts(span, config.target)
    if (parts.length === 0)
      return Promise.resolve({ status: 'skipped', reason: 'no output to check' })
    const options = {
      allowCodeFence: config.allowCodeFence,
      ...(config.schema === undefined ? {} : { schema: config.schema }),
    }
    const results = parts.map((part) => checkJson(part, options))
    return Promise.resolve({ status: 'scored', scores: scoresFor(results, config) })
  },
}
