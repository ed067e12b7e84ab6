import type { Evaluator, EvalScore, Span } from '@vigil/core'
import { z } from 'zod'
import { targetText } from './span-text.js'
import { execAll } from './exec-all.js'

/** How bad breaking a policy rule is; alert routing keys off it. */
export const POLICY_SEVERITIES = ['info', 'warn', 'critical'] as const
/** One of {@link POLICY_SEVERITIES}. */
export type PolicySeverity = (typeof POLICY_SEVERITIES)[number]

const ruleSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9_-]{1,64}$/i, 'letters, digits, _ and - only'),
    /** A keyword (matched as whole words, case-insensitive) or a regular expression. */
    pattern: z.string().min(1).max(2000),
    kind: z.enum(['keyword', 'regex']).default('keyword'),
    target: z.enum(['input', 'output', 'both']).default('output'),
    severity: z.enum(POLICY_SEVERITIES).default('warn'),
    caseSensitive: z.boolean().default(false),
  })
  .refine((r) => r.kind !== 'regex' || compiles(r.pattern, ruleFlags(r)), {
    message: 'invalid regular expression',
    path: ['pattern'],
  })

/** One keyword or regex policy rule. */
export type PolicyRule = z.output<typeof ruleSchema>

function compiles(source: string, flags: string): boolean {
  try {
    new RegExp(source, flags)
    return true
  } catch {
    return false
  }
}

/** Regex flags for a rule: the u flag makes V8 slower, so only patterns that need it get it. */
function ruleFlags(rule: { kind: string; pattern: string; caseSensitive: boolean }): string {
  const unicode = rule.kind === 'keyword' || /\\[pPu]\{/.test(rule.pattern)
  return `g${rule.caseSensitive ? '' : 'i'}${unicode ? 'u' : ''}`
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const compiled = new WeakMap<PolicyRule, RegExp>()

/** The rule as a global regex (keywords get word boundaries and flexible spaces). */
export function compileRule(rule: PolicyRule): RegExp {
  let re = compiled.get(rule)
  if (re === undefined) {
    const flags = ruleFlags(rule)
    const source =
      rule.kind === 'regex'
        ? rule.pattern
        : `(?<![\\p{L}\\p{N}_])${escape(rule.pattern.trim()).replace(/\s+/g, '\\s+')}(?![\\p{L}\\p{N}_])`
    re = new RegExp(source, flags)
    compiled.set(rule, re)
  }
  return re
}

/** One rule that matched, with the ranges where it matched. */
export interface PolicyViolation {
  rule: string
  severity: PolicySeverity
  target: 'input' | 'output'
  ranges: Array<[number, number]>
}

const MAX_RANGES = 20

/** Applies the rules to the texts of a span's input and output. */
export function checkPolicies(
  texts: { input: string; output: string },
  rules: readonly PolicyRule[],
): PolicyViolation[] {
  const violations: PolicyViolation[] = []
  for (const rule of rules) {
    const targets = rule.target === 'both' ? (['input', 'output'] as const) : [rule.target]
    for (const target of targets) {
      const ranges: Array<[number, number]> = []
      for (const m of execAll(compileRule(rule), texts[target])) {
        if (m[0].length === 0) break
        ranges.push([m.index, m.index + m[0].length])
        if (ranges.length >= MAX_RANGES) break
      }
      if (ranges.length > 0)
        violations.push({ rule: rule.name, severity: rule.severity, target, ranges })
    }
  }
  return violations
}

const policyConfigSchema = z.object({ rules: z.array(ruleSchema).min(1).max(500) })
/** Configuration of the policy evaluator. */
export type PolicyConfig = z.output<typeof policyConfigSchema>

const RANK: Record<PolicySeverity, number> = { info: 1, warn: 2, critical: 3 }

function policyScores(span: Span, config: PolicyConfig): EvalScore[] {
  const texts = { input: targetText(span, 'input'), output: targetText(span, 'output') }
  const violations = checkPolicies(texts, config.rules)
  const worst = violations.reduce<PolicySeverity | null>(
    (acc, v) => (acc === null || RANK[v.severity] > RANK[acc] ? v.severity : acc),
    null,
  )
  const perRule = config.rules.map((rule) => ({
    name: `policy.${rule.name}`,
    value: violations.some((v) => v.rule === rule.name),
  }))
  const summary: EvalScore = {
    name: 'policy.violation',
    value: violations.length > 0,
    explanation:
      violations.length > 0
        ? `broke ${violations.map((v) => v.rule).join(', ')}`
        : 'no rule matched',
    metadata: {
      severity: worst,
      violations: violations.map((v) => ({
        rule: v.rule,
        severity: v.severity,
        target: v.target,
        ranges: v.ranges,
      })),
    },
  }
  return [summary, ...perRule]
}

/** Evaluator: custom keyword and regex rules on the input and output. */
export const policyEvaluator: Evaluator<PolicyConfig> = {
  kind: 'policy',
  version: '1',
  configSchema: policyConfigSchema,
  evaluate(span, config) {
    return Promise.resolve({ status: 'scored', scores: policyScores(span, config) })
  },
}
