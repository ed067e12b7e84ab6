import { describe, expect, it } from 'vitest'
import { evaluateSplit } from '../../../../../bench/detectors/metrics.js'

// The benchmark's own metric code over the held-out split (templates and fillers the
// detectors were not tuned on). Throughput is a bench script concern, not asserted here.
describe('detector benchmark, held-out split', () => {
  const rows = evaluateSplit('heldout')
  const row = (name: string) => {
    const found = rows.find((r) => r.detector === name)
    if (found === undefined) throw new Error(`no row ${name}`)
    return found
  }

  it.each(rows.filter((r) => r.detector.startsWith('pii.')).map((r) => r.detector))(
    '%s: precision and recall ≥ 0.9',
    (name) => {
      expect(row(name).precision).toBeGreaterThanOrEqual(0.9)
      expect(row(name).recall).toBeGreaterThanOrEqual(0.9)
    },
  )

  it('explicit toxicity: precision ≥ 0.95, recall ≥ 0.85', () => {
    expect(row('toxicity').precision).toBeGreaterThanOrEqual(0.95)
    expect(row('toxicity').recall).toBeGreaterThanOrEqual(0.85)
  })

  it('injection: recall ≥ 0.8 at ≤ 1% false positives', () => {
    expect(row('injection').recall).toBeGreaterThanOrEqual(0.8)
    expect(row('injection').fpr).toBeLessThanOrEqual(0.01)
  })

  it("refusal: Cohen's κ ≥ 0.7 against the labels", () => {
    expect(row('refusal').kappa).toBeGreaterThanOrEqual(0.7)
  })

  it('every example set is large enough and balanced', () => {
    for (const r of rows) expect(r.n, r.detector).toBeGreaterThanOrEqual(200)
  })
})
