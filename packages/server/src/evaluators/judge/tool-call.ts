import { AppError, normalizeUsage, type UsageMap } from '@vigil/core'
import { z } from 'zod'
import type { ModelEndpoint, OpenAiCompatibleClient } from '../openai-compatible.js'

/** A function the judge is forced to call; its arguments are the verdict. */
export interface JudgeTool {
  name: string
  description: string
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>
}

/** The judge's answer: the tool arguments as JSON, or why they could not be read. Never a zero. */
export type ToolCallResult =
  | { status: 'parsed'; arguments: unknown; usage: UsageMap; model: string | null }
  | {
      status: 'unparsable'
      reason: string
      raw: string | null
      usage: UsageMap
      model: string | null
    }

const completionSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          tool_calls: z
            .array(z.object({ function: z.object({ name: z.string(), arguments: z.string() }) }))
            .nullish(),
        }),
      }),
    )
    .min(1),
  usage: z
    .object({
      prompt_tokens: z.number().optional(),
      completion_tokens: z.number().optional(),
      prompt_tokens_details: z.object({ cached_tokens: z.number().optional() }).nullish(),
      completion_tokens_details: z.object({ reasoning_tokens: z.number().optional() }).nullish(),
    })
    .nullish(),
})
type Completion = z.infer<typeof completionSchema>

function usageOf(completion: Completion): UsageMap {
  const u = completion.usage
  if (!u) return {}
  return normalizeUsage({
    input: u.prompt_tokens,
    output: u.completion_tokens,
    cacheRead: u.prompt_tokens_details?.cached_tokens,
    reasoning: u.completion_tokens_details?.reasoning_tokens,
    inputIncludesCache: true,
    outputIncludesReasoning: true,
  })
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false }
  }
}

/** Reads the forced call; servers that ignore `tool_choice` may put the same JSON in the text. */
function readArguments(completion: Completion, tool: JudgeTool): ToolCallResult {
  const usage = usageOf(completion)
  const model = completion.model ?? null
  const message = completion.choices[0]!.message
  const call = message.tool_calls?.find((c) => c.function.name === tool.name)
  const raw = call?.function.arguments ?? message.content ?? null
  if (raw === null || raw.trim() === '') {
    return {
      status: 'unparsable',
      reason: `no ${tool.name} call and no text`,
      raw: null,
      usage,
      model,
    }
  }
  const parsed = parseJson(raw.trim())
  if (!parsed.ok) {
    const reason = call ? `${tool.name} arguments are not valid JSON` : `no ${tool.name} call`
    return { status: 'unparsable', reason, raw: raw.slice(0, 1000), usage, model }
  }
  return { status: 'parsed', arguments: parsed.value, usage, model }
}

/**
 * One chat completion that forces a call of `tool`, over any OpenAI-compatible
 * endpoint. Transport and HTTP failures throw AppErrors (retried by the worker); an answer that
 * cannot be read is returned as `unparsable`.
 */
export async function callJudgeTool(
  client: OpenAiCompatibleClient,
  input: {
    endpoint: ModelEndpoint
    prompt: string
    tool: JudgeTool
    signal?: AbortSignal | undefined
  },
): Promise<ToolCallResult> {
  const { endpoint, tool } = input
  const body = {
    model: endpoint.model,
    ...(endpoint.temperature === null ? {} : { temperature: endpoint.temperature ?? 0 }),
    messages: [{ role: 'user', content: input.prompt }],
    tools: [{ type: 'function', function: tool }],
    tool_choice: { type: 'function', function: { name: tool.name } },
  }
  const raw = await client.post({ endpoint, path: '/chat/completions', body, signal: input.signal })
  const completion = completionSchema.safeParse(raw)
  if (!completion.success) {
    throw new AppError('UPSTREAM_FAILED', 'the judge endpoint answered without choices')
  }
  return readArguments(completion.data, tool)
}

/** Adds usage maps bucket by bucket (several calls behind one verdict). */
export function addUsage(a: UsageMap, b: UsageMap): UsageMap {
  const out: UsageMap = { ...a }
  for (const [key, value] of Object.entries(b)) out[key] = (out[key] ?? 0) + value
  return out
}
