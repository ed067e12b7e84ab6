/**
 * The throughput workload shared by run.ts and profile.ts: spans with 1 KB outputs, and a
 * function that runs every offline evaluator on one of them.
 */
import type { Span } from '@vigil/core'
import {
  offlineEvaluators,
  policyEvaluator,
} from '../../packages/server/src/evaluators/builtin/index.js'
import type { GroundednessExample } from './gen/groundedness.js'
import { POLICY_RULES } from './gen/policy.js'
import type { LabelledText } from './gen/rng.js'
import { loadSplit } from './metrics.js'

// @vigil/core/testing pulls in vitest, which cannot load outside a test run.
function makeSpan(fields: Pick<Span, 'input' | 'output'> & { context?: Span['context'] }): Span {
  return {
    projectId: 'bench',
    traceId: 't',
    spanId: 's',
    parentSpanId: null,
    name: 'chat',
    kind: 'generation',
    source: 'api',
    startTime: 0,
    endTime: 1,
    durationMs: 1,
    status: 'ok',
    statusMessage: null,
    userId: null,
    sessionId: 'session',
    feature: null,
    environment: null,
    release: null,
    tags: [],
    promptName: null,
    promptVersion: null,
    provider: null,
    requestModel: null,
    responseModel: null,
    model: null,
    params: null,
    finishReason: 'stop',
    usage: null,
    usageEstimated: false,
    cost: null,
    costTotal: null,
    ttftMs: null,
    metadata: null,
    ingestedAt: 0,
    input: fields.input,
    output: fields.output,
    context: fields.context ?? null,
  }
}

/** One benchmark output: the span and the next turn of its session. */
export interface Case {
  span: Span
  followUp: Span
}

/**
 * Spans with 1 KB outputs built from benchmark texts, each with a system prompt, a question,
 * a retrieved document and a follow-up turn. `typical`: assistant answers and refusals, one
 * output in ten carrying a toxic or attack fragment. `adversarial`: every output mixes in
 * insults and attacks, so the slow paths (obscenity, pattern families) run on each.
 */
export function cases(mix: 'typical' | 'adversarial'): Case[] {
  const benign = [
    ...loadSplit<LabelledText>('refusal', 'dev'),
    ...loadSplit<LabelledText>('injection', 'dev').filter((e) => !e.label),
  ].map((e) => e.text)
  const hostile = [
    ...loadSplit<LabelledText>('toxicity', 'dev'),
    ...loadSplit<LabelledText>('injection', 'dev').filter((e) => e.label),
  ].map((e) => e.text)
  const docs = loadSplit<GroundednessExample>('groundedness', 'dev')
  return docs.slice(0, 200).map((doc, i) => {
    const pool =
      mix === 'adversarial' || i % 10 === 0 ? [...benign.slice(i, i + 5), ...hostile] : benign
    let output = doc.answer
    for (let j = 0; output.length < 1024; j += 1) output += ` ${pool[(i * 7 + j) % pool.length]}`
    const input = [
      {
        role: 'system',
        content: 'You are the Acme support assistant. Answer from the provided documents only.',
      },
      { role: 'user', content: doc.question },
    ]
    const span = makeSpan({
      input,
      output: output.slice(0, 1024),
      context: [{ content: doc.context }],
    })
    const next = [
      ...input,
      { role: 'user', content: 'Thanks! Can you also compare it with last year?' },
    ]
    return { span, followUp: makeSpan({ input: next, output: null }) }
  })
}

/**
 * Outputs per CPU-second of this process (steadier than wall clock on a shared machine), after
 * a warm-up of `warmupMs` so the JIT has tiered up the detectors' functions and regexes.
 */
export async function perCpuSecond(
  list: Case[],
  fn: (c: Case) => unknown,
  timing: { ms: number; warmupMs: number },
): Promise<number> {
  const start = performance.now()
  do for (const c of list) await fn(c)
  while (performance.now() - start < timing.warmupMs)
  let count = 0
  const wall = performance.now()
  const cpu = process.cpuUsage()
  while (performance.now() - wall < timing.ms) {
    for (const c of list) await fn(c)
    count += list.length
  }
  const used = process.cpuUsage(cpu)
  return count / ((used.user + used.system) / 1e6)
}

/** Each offline evaluator's parsed config, in `offlineEvaluators` order (policy gets the bench rules). */
export const configs: readonly unknown[] = offlineEvaluators.map((e) =>
  e.configSchema.parse(e === policyEvaluator ? { rules: POLICY_RULES } : {}),
)

/** Runs every offline evaluator on one case, one after the other, as the evaluation job does. */
export async function runAll({ span, followUp }: Case): Promise<void> {
  for (let k = 0; k < offlineEvaluators.length; k += 1) {
    const ctx = { now: 0, sessionFollowUps: [followUp] }
    await offlineEvaluators[k]!.evaluate(span, configs[k], ctx)
  }
}
