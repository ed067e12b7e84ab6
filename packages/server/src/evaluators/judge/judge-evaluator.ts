import { createHash } from 'node:crypto'
import {
  ioText,
  messageText,
  type EvalOutcome,
  type EvalScore,
  type JsonValue,
  type Span,
  type UsageMap,
} from '@vigil/core'
import { z } from 'zod'
import type { Pricing } from '../../pricing/index.js'
import type { ModelEndpoint, OpenAiCompatibleClient } from '../openai-compatible.js'
import type { VersionedEvaluator } from '../registry.js'
import type { JudgeEndpoints } from './endpoint-settings.js'
import { judgeFaithfulness } from './faithfulness.js'
import { RUBRICS, renderCustom, type Rubric, type RubricVars } from './rubrics.js'
import { askVerdict } from './verdict.js'

const RUBRIC_IDS = [
  'hallucination',
  'correctness',
  'faithfulness',
  'answer_relevance',
  'toxicity',
  'off_policy',
  'custom',
] as const

/** A judge evaluator's config: which rubric, and what it needs that the span does not carry. */
export const judgeConfigSchema = z
  .object({
    rubric: z.enum(RUBRIC_IDS),
    /** Score name; default `judge.<rubric>` (custom: `judge.custom`). */
    scoreName: z.string().min(1).max(128).optional(),
    /** Overrides the endpoint's model for this evaluator. */
    model: z.string().min(1).max(256).optional(),
    /** Sampling temperature; null sends none (reasoning models accept only their default). */
    temperature: z.number().min(0).max(2).nullable().default(0),
    /** off_policy: the rules. */
    policy: z.string().min(1).max(20_000).optional(),
    /** custom: the prompt, with {{question}} {{input}} {{output}} {{context}} {{reference}}. */
    prompt: z.string().min(1).max(50_000).optional(),
    /** custom: label → score. */
    choices: z.record(z.string().min(1).max(64), z.number().finite()).optional(),
    /** Where the expected answer is in span metadata (correctness, custom). */
    referenceKey: z.string().min(1).max(128).default('expected'),
    /** faithfulness: claims judged at most (one call each). */
    maxClaims: z.number().int().min(1).max(50).default(10),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.rubric === 'off_policy' && c.policy === undefined) {
      ctx.addIssue({ code: 'custom', path: ['policy'], message: 'off_policy needs a policy' })
    }
    if (c.rubric === 'custom') {
      if (c.prompt === undefined)
        ctx.addIssue({ code: 'custom', path: ['prompt'], message: 'custom needs a prompt' })
      if (c.choices === undefined || Object.keys(c.choices).length < 2) {
        ctx.addIssue({
          code: 'custom',
          path: ['choices'],
          message: 'custom needs at least 2 choices',
        })
      }
    }
  })
export type JudgeConfig = z.output<typeof judgeConfigSchema>

/** The code version of the judge plug-in itself (prompt plumbing, parsing). */
export const JUDGE_VERSION = '1'

function rubricOf(config: JudgeConfig): Rubric {
  if (config.rubric !== 'custom') return RUBRICS[config.rubric]!
  const prompt = config.prompt ?? ''
  const choices = config.choices ?? {}
  // a custom rubric's version is its content: any edit to the prompt or choices is a new version
  const digest = createHash('sha256')
    .update(JSON.stringify([prompt, choices]))
    .digest('hex')
  return {
    id: 'custom',
    version: Number.parseInt(digest.slice(0, 8), 16),
    scoreName: 'judge.custom',
    choices,
    needs: [],
    render: (v) => ({ prompt: renderCustom(prompt, v) }),
  }
}

function varsOf(span: Span, config: JudgeConfig): RubricVars {
  const input = span.input
  const users = Array.isArray(input) ? input.filter((m) => m.role === 'user') : []
  const lastUser = users[users.length - 1]
  const reference = span.metadata?.[config.referenceKey]
  return {
    question: lastUser ? messageText(lastUser) : ioText(input),
    conversation: ioText(input),
    output: ioText(span.output),
    context:
      span.context && span.context.length > 0
        ? span.context.map((d, i) => `[${i + 1}] ${d.content}`).join('\n\n')
        : null,
    reference: typeof reference === 'string' ? reference : null,
    policy: config.policy ?? null,
  }
}

/** What the judge plug-in is built from at the composition root. */
export interface JudgeEvaluatorDeps {
  client: OpenAiCompatibleClient
  endpoints: JudgeEndpoints
  /** Prices the judge's own tokens; without it scores carry usage but no cost. */
  pricing?: Pricing
}

interface Judged {
  value: number | 'unparsable'
  explanation: string
  usage: UsageMap
  model: string | null
  metadata: Record<string, JsonValue>
}

async function judgeClaims(
  deps: JudgeEvaluatorDeps,
  input: {
    endpoint: ModelEndpoint
    vars: RubricVars
    maxClaims: number
    signal?: AbortSignal | undefined
  },
): Promise<Judged | null> {
  const r = await judgeFaithfulness(deps.client, input)
  if (r.status === 'no-claims') return null
  const claims = r.claims.map((c) => ({ claim: c.claim, verdict: c.verdict, reasons: c.reasons }))
  const { usage, model } = r
  if (r.status === 'unparsable') {
    const metadata = { outcome: 'unparsable', raw: r.raw, claims }
    return { value: 'unparsable', explanation: r.reason, usage, model, metadata }
  }
  const judged = claims.filter((c) => c.verdict !== 'unparsable').length
  const supported = claims.filter((c) => c.verdict === 'supported').length
  const explanation = `${supported} of ${judged} claims supported by the context`
  return { value: r.score, explanation, usage, model, metadata: { claims } }
}

async function judge(
  deps: JudgeEvaluatorDeps,
  input: {
    endpoint: ModelEndpoint
    rubric: Rubric
    vars: RubricVars
    config: JudgeConfig
    signal?: AbortSignal | undefined
  },
): Promise<Judged | null> {
  const { endpoint, rubric, vars, signal } = input
  if (rubric.id === 'faithfulness') {
    return judgeClaims(deps, { endpoint, vars, maxClaims: input.config.maxClaims, signal })
  }
  const { prompt, variant } = rubric.render(vars)
  const labels = Object.keys(rubric.choices)
  const verdict = await askVerdict(deps.client, { endpoint, prompt, labels, signal })
  const base: Record<string, JsonValue> = variant === undefined ? {} : { variant }
  const { usage, model } = verdict
  if (verdict.status === 'unparsable') {
    const explanation = `judge answer could not be read: ${verdict.reason}`
    const metadata = { ...base, outcome: 'unparsable', raw: verdict.raw }
    return { value: 'unparsable', explanation, usage, model, metadata }
  }
  const value = rubric.choices[verdict.choice]!
  const metadata = { ...base, choice: verdict.choice }
  return { value, explanation: verdict.reasons, usage, model, metadata }
}

async function toScore(
  deps: JudgeEvaluatorDeps,
  judged: Judged,
  ctx: { span: Span; rubric: Rubric; config: JudgeConfig; endpoint: ModelEndpoint },
): Promise<EvalScore> {
  const priced = deps.pricing
    ? await deps.pricing.price({
        projectId: ctx.span.projectId,
        provider: null,
        models: [judged.model, ctx.endpoint.model],
        usage: judged.usage,
      })
    : null
  const score: EvalScore = {
    name: ctx.config.scoreName ?? ctx.rubric.scoreName,
    value: judged.value,
    explanation: judged.explanation,
    metadata: {
      ...judged.metadata,
      rubric: ctx.rubric.id,
      rubricVersion: ctx.rubric.version,
      judgeModel: judged.model ?? ctx.endpoint.model,
      judgeUsage: judged.usage,
    },
  }
  if (priced?.cost) score.cost = priced.cost
  return score
}

/**
 * LLM-as-judge over the project's OpenAI-compatible endpoint with a versioned rubric. A project
 * without an endpoint, or a span without what the rubric needs, is skipped (data, not an error);
 * provider failures throw for the worker to retry; an unreadable answer is scored `unparsable`.
 */
export function createJudgeEvaluator(deps: JudgeEvaluatorDeps): VersionedEvaluator<JudgeConfig> {
  return {
    kind: 'judge',
    version: JUDGE_VERSION,
    configSchema: judgeConfigSchema,
    versionOf: (config) => {
      const rubric = rubricOf(config)
      return `judge-${JUDGE_VERSION}/${rubric.id}-${rubric.version}`
    },
    async evaluate(span, config, ctx): Promise<EvalOutcome> {
      const stored = await deps.endpoints.get(span.projectId)
      if (!stored)
        return { status: 'skipped', reason: 'no judge endpoint configured for the project' }
      const endpoint: ModelEndpoint = {
        ...stored,
        model: config.model ?? stored.model,
        temperature: config.temperature,
      }
      const rubric = rubricOf(config)
      const vars = varsOf(span, config)
      if (vars.output.trim() === '') return { status: 'skipped', reason: 'no output to judge' }
      const missing = rubric.needs.find((need) => vars[need] === null)
      if (missing) return { status: 'skipped', reason: `no ${missing} for the ${rubric.id} rubric` }
      const judged = await judge(deps, { endpoint, rubric, vars, config, signal: ctx.signal })
      if (!judged) return { status: 'skipped', reason: 'the answer has no factual claims' }
      return {
        status: 'scored',
        scores: [await toScore(deps, judged, { span, rubric, config, endpoint })],
      }
    },
  }
}
