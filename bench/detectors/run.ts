/**
 * Detector benchmark: precision/recall/F1 per detector (PII per entity type), injection FPR,
 * refusal κ, on the dev and held-out splits, then throughput of all offline detectors together
 * on 1 KB outputs on one core, against a baseline measured in the same run.
 * Run: npx tsx bench/detectors/run.ts   (regenerate data first with generate.ts if it changed)
 */
import { cpus, loadavg } from 'node:os'
import { offlineEvaluators } from '../../packages/server/src/evaluators/builtin/index.js'
import { evaluateSplit, type MetricRow } from './metrics.js'
import { cases, configs, perCpuSecond, runAll, type Case } from './workload.js'

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

const ROUNDS = 5
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0
const rate = (x: number): string => String(Math.round(x)).padStart(6)

async function throughput(): Promise<void> {
  // Baseline: the least any text detector does — lowercase the output and tokenize it once.
  const baseline = ({ span }: Case): number => {
    const text = typeof span.output === 'string' ? span.output : ''
    return text.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.length ?? 0
  }
  const typical = cases('typical')
  console.log(
    `\nThroughput: ${offlineEvaluators.length} offline evaluators together on 1 KB outputs, one core, outputs per CPU-second`,
  )
  console.log(
    `  load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} (${cpus().length} CPUs)`,
  )
  for (const mix of ['typical', 'adversarial'] as const) {
    const list = cases(mix)
    // Rounds alternate baseline and detectors, so both see the same machine load.
    const rounds: Array<{ base: number; all: number }> = []
    for (let round = 0; round < ROUNDS; round += 1) {
      const base = await perCpuSecond(typical, baseline, { ms: 300, warmupMs: 100 })
      const all = await perCpuSecond(list, runAll, { ms: 800, warmupMs: 200 })
      rounds.push({ base, all })
    }
    const all = median(rounds.map((r) => r.all))
    const ratio = median(rounds.map((r) => r.all / r.base))
    const range = `${Math.round(Math.min(...rounds.map((r) => r.all)))}–${Math.round(Math.max(...rounds.map((r) => r.all)))}`
    const verdict = mix === 'typical' ? `; target ≥ 2000 ${all >= 2000 ? 'ok' : 'MISSED'}` : ''
    console.log(
      `  ${mix.padEnd(11)} ${rate(all)} outputs/s (${ROUNDS} rounds ${range}); ${ratio.toFixed(4)}× baseline${verdict}`,
    )
  }
  const base = await perCpuSecond(typical, baseline, { ms: 500, warmupMs: 100 })
  console.log(`  baseline    ${rate(base)} outputs/s (lowercase + tokenize the output once)`)
  console.log('  CPU µs per output, per evaluator alone (typical mix):')
  for (let k = 0; k < offlineEvaluators.length; k += 1) {
    const evaluator = offlineEvaluators[k]!
    const one = ({ span, followUp }: Case) =>
      evaluator.evaluate(span, configs[k], { now: 0, sessionFollowUps: [followUp] })
    const perSecond = await perCpuSecond(typical, one, { ms: 400, warmupMs: 100 })
    console.log(`    ${evaluator.kind.padEnd(16)} ${(1e6 / perSecond).toFixed(0).padStart(5)}`)
  }
}

table('Dev split (detectors were tuned on it)', evaluateSplit('dev'))
table('Held-out split (templates and fillers not seen while tuning)', evaluateSplit('heldout'))
await throughput()
