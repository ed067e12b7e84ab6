/**
 * Runs the throughput workload (all offline evaluators on 1 KB outputs) in a loop, for a CPU
 * profile: node --cpu-prof --import tsx bench/detectors/profile.ts [typical|adversarial] [seconds]
 */
import { cases, runAll } from './workload.js'

const mix = process.argv[2] === 'adversarial' ? 'adversarial' : 'typical'
const seconds = Number(process.argv[3] ?? 10)
const list = cases(mix)
const until = performance.now() + seconds * 1000
let count = 0
while (performance.now() < until) {
  for (const c of list) await runAll(c)
  count += list.length
}
console.log(`${mix}: ${count} outputs in ${seconds} s (wall clock, profiler attached)`)
