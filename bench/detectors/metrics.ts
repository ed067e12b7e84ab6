/**
 * Metric computation for the detector benchmark: shared by run.ts (which prints it) and by the
 * held-out test in packages/server (which asserts the targets).
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  checkJson,
  checkPolicies,
  detectCorrection,
  detectInjection,
  detectPii,
  detectRefusal,
  detectToxicity,
  groundedness,
  groundednessEvaluator,
  PII_TYPES,
  policyEvaluator,
  type JsonSchema,
} from '../../packages/server/src/evaluators/builtin/index.js'
import type { CorrectionExample } from './gen/correction.js'
import type { GroundednessExample } from './gen/groundedness.js'
import type { JsonExample } from './gen/json.js'
import type { PiiExample } from './gen/pii.js'
import { POLICY_RULES } from './gen/policy.js'
import type { LabelledText, Split } from './gen/rng.js'

const DATA = join(dirname(fileURLToPath(import.meta.url)), 'data')

/** Reads one generated JSONL file. */
export function loadSplit<T>(name: string, split: Split): T[] {
  return readFileSync(join(DATA, `${name}.${split}.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as T)
}

/** Counts of a binary confusion matrix (positive = the detector fires). */
export interface Confusion {
  tp: number
  fp: number
  tn: number
  fn: number
}

/** One row of the results table. */
export interface MetricRow {
  detector: string
  n: number
  precision: number
  recall: number
  f1: number
  /** False-positive rate on negatives. */
  fpr: number
  /** Cohen's kappa between detector and labels. */
  kappa: number
  /** The target for this row, and whether it is met; absent when there is none. */
  target?: string
  pass?: boolean
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b)

/** Cohen's κ for two binary raters given their confusion matrix. */
export function cohenKappa(c: Confusion): number {
  const n = c.tp + c.fp + c.tn + c.fn
  if (n === 0) return 0
  const observed = (c.tp + c.tn) / n
  const expected = ((c.tp + c.fp) * (c.tp + c.fn) + (c.fn + c.tn) * (c.fp + c.tn)) / (n * n)
  return expected === 1 ? 1 : (observed - expected) / (1 - expected)
}

/** Precision, recall, F1, FPR and κ from a confusion matrix. */
export function summarize(detector: string, c: Confusion): MetricRow {
  const precision = ratio(c.tp, c.tp + c.fp)
  const recall = ratio(c.tp, c.tp + c.fn)
  const f1 = ratio(2 * precision * recall, precision + recall)
  const n = c.tp + c.fp + c.tn + c.fn
  return { detector, n, precision, recall, f1, fpr: ratio(c.fp, c.fp + c.tn), kappa: cohenKappa(c) }
}

function binary(pairs: Iterable<[predicted: boolean, gold: boolean]>): Confusion {
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 }
  for (const [p, g] of pairs) {
    if (p && g) c.tp += 1
    else if (p) c.fp += 1
    else if (g) c.fn += 1
    else c.tn += 1
  }
  return c
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end

/** PII per entity type: a prediction counts when it overlaps a gold entity of the same type. */
export function piiRows(examples: readonly PiiExample[]): MetricRow[] {
  return PII_TYPES.map((type) => {
    const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 }
    for (const ex of examples) {
      const gold = ex.entities.filter((e) => e.type === type)
      const predicted = detectPii(ex.text).filter((m) => m.type === type)
      c.tp += predicted.filter((p) => gold.some((g) => overlaps(p, g))).length
      c.fp += predicted.filter((p) => !gold.some((g) => overlaps(p, g))).length
      c.fn += gold.filter((g) => !predicted.some((p) => overlaps(p, g))).length
      if (gold.length === 0 && predicted.length === 0) c.tn += 1
    }
    return summarize(`pii.${type}`, c)
  })
}

const GROUNDEDNESS_THRESHOLD = groundednessEvaluator.configSchema.parse({}).threshold
const POLICY = policyEvaluator.configSchema.parse({ rules: POLICY_RULES })

/** Every detector's rows for one split, in a fixed order. */
export function evaluateSplit(split: Split): MetricRow[] {
  const text = (name: string, detect: (t: string) => boolean) =>
    summarize(
      name,
      binary(loadSplit<LabelledText>(name, split).map((e) => [detect(e.text), e.label])),
    )
  return [
    ...piiRows(loadSplit<PiiExample>('pii', split)),
    text('toxicity', (t) => detectToxicity(t).toxic),
    text('injection', (t) => detectInjection(t).score >= 0.5),
    text('refusal', (t) => detectRefusal(t).refused),
    summarize(
      'groundedness',
      binary(
        loadSplit<GroundednessExample>('groundedness', split).map((e) => [
          groundedness(e.answer, [e.context, e.question]).unsupportedShare > GROUNDEDNESS_THRESHOLD,
          e.label,
        ]),
      ),
    ),
    summarize(
      'json',
      binary(
        loadSplit<JsonExample>('json', split).map((e) => [
          !checkJson(e.text, e.schema ? { schema: e.schema as JsonSchema } : {}).valid,
          e.label,
        ]),
      ),
    ),
    summarize(
      'user_correction',
      binary(
        loadSplit<CorrectionExample>('correction', split).map((e) => [
          detectCorrection(e.previous, e.followUp) !== null,
          e.label,
        ]),
      ),
    ),
    text('policy', (t) => checkPolicies({ input: '', output: t }, POLICY.rules).length > 0),
  ].map(withTarget)
}

/** The acceptance targets from the issue. */
function withTarget(row: MetricRow): MetricRow {
  if (row.detector.startsWith('pii.')) {
    return { ...row, target: 'P≥0.90 R≥0.90', pass: row.precision >= 0.9 && row.recall >= 0.9 }
  }
  switch (row.detector) {
    case 'toxicity':
      return { ...row, target: 'P≥0.95 R≥0.85', pass: row.precision >= 0.95 && row.recall >= 0.85 }
    case 'injection':
      return { ...row, target: 'R≥0.80 FPR≤1%', pass: row.recall >= 0.8 && row.fpr <= 0.01 }
    case 'refusal':
      return { ...row, target: 'κ≥0.70', pass: row.kappa >= 0.7 }
    default:
      return row
  }
}
