/**
 * Detector benchmark: precision/recall/F1 per detector (PII per entity type), injection FPR,
 * refusal κ, on the dev and held-out splits, then throughput of all offline detectors together
 * on 1 KB outputs on one core, against a baseline measured in the same run.
 * Run: npx tsx bench/detectors/run.ts   (regenerate data first with generate.ts if it changed)
 */
import type { Span } from '@vigil/core'
import {
  offlineEvaluators,
  policyEvaluator,
} from '../../packages/server/src/evaluators/builtin/index.js'
import type { GroundednessExample } from './gen/groundedness.js'
import { POLICY_RULES } from './gen/policy.js'
import type { LabelledText } from './gen/rng.js'
import { evaluateSplit, loadSplit, type MetricRow } from './metrics.js'

const f = (x: number): string => x.toFixed(3)

function table(title: string, rows: MetricRow[]): void {
  console.log(`\n${title}`)
  console.log(
    'detector               n    precision recall  F1     FPR    kappa  target           ',
  )
  for (const r of rows) {
    const verdict = r.target === undefined ? '' : `${r.target} ${r.pass ? 'ok' : 'MISSED'}`
    console.log(
      `${r.detector.padEnd(20)} ${String(r.n).padStart(4)}   ${f(r.precision)}     ${f(r.recall)}  ${f(r.f1)}  ${f(r.fpr)}  ${f(r.kappa)}  ${verdict}`,
    )
  }
}

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

interface Case {
  span: Span
  followUp: Span
}

/**
 * Spans with 1 KB outputs built from benchmark texts, each with a system prompt, a question,
 * a retrieved document and a follow-up turn. `typical`: assistant answers and refusals, one
 * output in ten carrying a toxic or attack fragment. `adversarial`: every output mixes in
 * insults and attacks, so the slow paths (obscenity, pattern families) run on each.
 */
function cases(mix: 'typical' | 'adversarial'): Case[] {
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

/** Outputs per CPU-second of this process (robust to other load on a shared machine). */
async function perCpuSecond(list: Case[], fn: (c: Case) => unknown, ms: number): Promise<number> {
  for (const c of list) await fn(c)
  let count = 0
  const wall = performance.now()
  const cpu = process.cpuUsage()
  while (performance.now() - wall < ms) {
    for (const c of list) await fn(c)
    count += list.length
  }
  const used = process.cpuUsage(cpu)
  return count / ((used.user + used.system) / 1e6)
}

async function throughput(): Promise<void> {
  const configs = offlineEvaluators.map((e) =>
    e.configSchema.parse(e === policyEvaluator ? { rules: POLICY_RULES } : {}),
  )
  const runAll = async ({ span, followUp }: Case): Promise<void> => {
    for (let k = 0; k < offlineEvaluators.length; k += 1) {
      const ctx = { now: 0, sessionFollowUps: [followUp] }
      await offlineEvaluators[k]!.evaluate(span, configs[k], ctx)
    }
  }
  // Baseline: the least any text detector does — lowercase the output and tokenize it once.
  const baseline = ({ span }: Case): number => {
    const text = typeof span.output === 'string' ? span.output : ''
    return text.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.length ?? 0
  }
  const typical = cases('typical')
  const base = await perCpuSecond(typical, baseline, 1000)
  console.log(
    `\nThroughput: ${offlineEvaluators.length} offline evaluators on 1 KB outputs, one core (per CPU-second)`,
  )
  for (const mix of ['typical', 'adversarial'] as const) {
    const rate = await perCpuSecond(cases(mix), runAll, 3000)
    const verdict = mix === 'typical' ? ` (target ≥ 2000 ${rate >= 2000 ? 'ok' : 'MISSED'})` : ''
    console.log(
      `  ${mix.padEnd(11)} ${String(Math.round(rate)).padStart(6)} outputs/s; ${(rate / base).toFixed(4)}× baseline${verdict}`,
    )
  }
  console.log(
    `  baseline    ${String(Math.round(base)).padStart(6)} outputs/s (lowercase + tokenize the output once)`,
  )
  console.log('  CPU µs per output, per evaluator (typical mix):')
  for (let k = 0; k < offlineEvaluators.length; k += 1) {
    const evaluator = offlineEvaluators[k]!
    const one = ({ span, followUp }: Case) =>
      evaluator.evaluate(span, configs[k], { now: 0, sessionFollowUps: [followUp] })
    const rate = await perCpuSecond(typical, one, 400)
    console.log(`    ${evaluator.kind.padEnd(16)} ${(1e6 / rate).toFixed(0).padStart(5)}`)
  }
}

table('Dev split (detectors were tuned on it)', evaluateSplit('dev'))
table('Held-out split (templates and fillers not seen while tuning)', evaluateSplit('heldout'))
await throughput()
