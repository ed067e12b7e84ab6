import type { UsageMap } from '@vigil/core'
import { z } from 'zod'
import type { ModelEndpoint, OpenAiCompatibleClient } from '../openai-compatible.js'
import { FAITHFULNESS_CLAIMS, RUBRICS, type RubricVars } from './rubrics.js'
import { addUsage, callJudgeTool, type JudgeTool } from './tool-call.js'
import { askVerdict } from './verdict.js'

const EXTRACT_TOOL: JudgeTool = {
  name: 'extract_claims',
  description: 'Call this function with the standalone factual claims of the answer.',
  parameters: {
    type: 'object',
    properties: { claims: { type: 'array', items: { type: 'string' } } },
    required: ['claims'],
  },
}

/** One claim's verdict. */
export interface ClaimVerdict {
  claim: string
  verdict: 'supported' | 'unsupported' | 'unparsable'
  reasons: string
}

/** The outcome of a claim-by-claim check; `score` is supported ÷ judged claims. */
export type FaithfulnessResult =
  | {
      status: 'scored'
      score: number
      claims: ClaimVerdict[]
      usage: UsageMap
      model: string | null
    }
  | { status: 'no-claims'; usage: UsageMap; model: string | null }
  | {
      status: 'unparsable'
      reason: string
      raw: string | null
      claims: ClaimVerdict[]
      usage: UsageMap
      model: string | null
    }

const claimsSchema = z.object({ claims: z.array(z.string()) })

/**
 * RAG faithfulness claim by claim (Ragas): one call splits the answer into standalone claims,
 * then one verdict per claim (up to `maxClaims`) against the context. Claims whose verdict
 * cannot be read are left out of the score; if none can be read the result is unparsable.
 */
export async function judgeFaithfulness(
  client: OpenAiCompatibleClient,
  input: {
    endpoint: ModelEndpoint
    vars: RubricVars
    maxClaims: number
    signal?: AbortSignal | undefined
  },
): Promise<FaithfulnessResult> {
  const { endpoint, vars, signal } = input
  const extracted = await callJudgeTool(client, {
    endpoint,
    prompt: FAITHFULNESS_CLAIMS.render(vars),
    tool: EXTRACT_TOOL,
    signal,
  })
  let usage = extracted.usage
  const model = extracted.model
  const parsed = extracted.status === 'parsed' ? claimsSchema.safeParse(extracted.arguments) : null
  if (!parsed?.success) {
    const raw = extracted.status === 'parsed' ? JSON.stringify(extracted.arguments) : extracted.raw
    return {
      status: 'unparsable',
      reason: 'claims could not be read',
      raw,
      claims: [],
      usage,
      model,
    }
  }
  const claimTexts = parsed.data.claims
    .map((c) => c.trim())
    .filter(Boolean)
    .slice(0, input.maxClaims)
  if (claimTexts.length === 0) return { status: 'no-claims', usage, model }
  const rubric = RUBRICS['faithfulness']!
  const labels = Object.keys(rubric.choices)
  const claims: ClaimVerdict[] = []
  for (const claim of claimTexts) {
    const { prompt } = rubric.render({ ...vars, output: claim })
    const verdict = await askVerdict(client, { endpoint, prompt, labels, signal })
    usage = addUsage(usage, verdict.usage)
    claims.push(
      verdict.status === 'chosen'
        ? {
            claim,
            verdict: verdict.choice === 'supported' ? 'supported' : 'unsupported',
            reasons: verdict.reasons,
          }
        : { claim, verdict: 'unparsable', reasons: verdict.reason },
    )
  }
  const judged = claims.filter((c) => c.verdict !== 'unparsable')
  if (judged.length === 0) {
    return {
      status: 'unparsable',
      reason: 'no claim verdict could be read',
      raw: null,
      claims,
      usage,
      model,
    }
  }
  const score = judged.filter((c) => c.verdict === 'supported').length / judged.length
  return { status: 'scored', score, claims, usage, model }
}
