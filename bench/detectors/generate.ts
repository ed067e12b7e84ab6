/**
 * Writes the labelled benchmark data to data/*.jsonl, deterministically (seeded PRNG).
 * Run: npx tsx bench/detectors/generate.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { correctionExamples } from './gen/correction.js'
import { groundednessExamples } from './gen/groundedness.js'
import { injectionExamples } from './gen/injection.js'
import { jsonExamples } from './gen/json.js'
import { piiExamples } from './gen/pii.js'
import { policyExamples } from './gen/policy.js'
import { refusalExamples } from './gen/refusal.js'
import { createRng, type Rng, type Split } from './gen/rng.js'
import { toxicityExamples } from './gen/toxicity.js'

const DATA = join(dirname(fileURLToPath(import.meta.url)), 'data')
const SPLITS: Split[] = ['dev', 'heldout']
const SEED = 20261122

const DATASETS: Record<string, (rng: Rng, split: Split) => unknown[]> = {
  pii: (rng, split) => piiExamples(rng, split, 36),
  toxicity: (rng, split) => toxicityExamples(rng, split, 150),
  injection: (rng, split) => injectionExamples(rng, split, 150),
  refusal: (rng, split) => refusalExamples(rng, split, 120),
  groundedness: (rng, split) => groundednessExamples(rng, split, 120),
  json: (rng, split) => jsonExamples(rng, split, 120),
  correction: (rng, split) => correctionExamples(rng, split, 120),
  policy: (rng, split) => policyExamples(rng, split, 110),
}

mkdirSync(DATA, { recursive: true })
for (const [name, make] of Object.entries(DATASETS)) {
  for (const split of SPLITS) {
    const rng = createRng(SEED + name.length * 7919 + (split === 'dev' ? 0 : 104729))
    const rows = make(rng, split)
    writeFileSync(
      join(DATA, `${name}.${split}.jsonl`),
      rows.map((r) => JSON.stringify(r)).join('\n') + '\n',
    )
    console.log(`${name}.${split}.jsonl: ${rows.length} examples`)
  }
}
