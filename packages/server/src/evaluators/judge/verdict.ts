import type { UsageMap } from '@vigil/core'
import { z } from 'zod'
import type { ModelEndpoint, OpenAiCompatibleClient } from '../openai-compatible.js'
import { choiceInstruction } from './rubrics.js'
import { callJudgeTool, type JudgeTool } from './tool-call.js'

/** One judge verdict: a label of the rubric and its reasons, or unparsable. */
export type Verdict =
  | { status: 'chosen'; choice: string; reasons: string; usage: UsageMap; model: string | null }
  | {
      status: 'unparsable'
      reason: string
      raw: string | null
      usage: UsageMap
      model: string | null
    }

/** The `select_choice` tool, its `choice` limited to the rubric's labels. */
export function selectChoiceTool(labels: readonly string[]): JudgeTool {
  return {
    name: 'select_choice',
    description: 'Call this function to select a choice.',
    parameters: {
      type: 'object',
      properties: {
        reasons: {
          type: 'string',
          description: 'Step-by-step reasoning that leads to the choice, written before choosing.',
        },
        choice: { type: 'string', enum: [...labels], description: 'The choice' },
      },
      required: ['reasons', 'choice'],
    },
  }
}

const argumentsSchema = z.object({ reasons: z.string().optional(), choice: z.unknown() })

/** The label the judge meant: exact, else the one label equal ignoring case and spaces. */
export function matchLabel(choice: unknown, labels: readonly string[]): string | null {
  if (typeof choice !== 'string' && typeof choice !== 'number') return null
  const text = String(choice).trim()
  if (labels.includes(text)) return text
  const folded = text.toLowerCase().replace(/[\s-]+/g, '_')
  const hits = labels.filter((l) => l.toLowerCase().replace(/[\s-]+/g, '_') === folded)
  return hits.length === 1 ? hits[0]! : null
}

/** Asks the judge to pick one of `labels` for `prompt` through a forced `select_choice` call. */
export async function askVerdict(
  client: OpenAiCompatibleClient,
  input: {
    endpoint: ModelEndpoint
    prompt: string
    labels: readonly string[]
    signal?: AbortSignal | undefined
  },
): Promise<Verdict> {
  const result = await callJudgeTool(client, {
    endpoint: input.endpoint,
    prompt: `${input.prompt}\n\n${choiceInstruction(input.labels)}`,
    tool: selectChoiceTool(input.labels),
    signal: input.signal,
  })
  const { usage, model } = result
  if (result.status === 'unparsable') return { ...result }
  const args = argumentsSchema.safeParse(result.arguments)
  const label = args.success ? matchLabel(args.data.choice, input.labels) : null
  if (!args.success || label === null) {
    const raw = JSON.stringify(result.arguments).slice(0, 1000)
    return { status: 'unparsable', reason: 'choice is not one of the labels', raw, usage, model }
  }
  return { status: 'chosen', choice: label, reasons: args.data.reasons ?? '', usage, model }
}
