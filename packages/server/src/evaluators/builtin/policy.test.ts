import { makeSpan } from '@vigil/core/testing'
import { describe, expect, it } from 'vitest'
import { checkPolicies, policyEvaluator } from './policy.js'

const config = policyEvaluator.configSchema.parse({
  rules: [
    { name: 'competitor', pattern: 'Globex Corp', severity: 'warn' },
    {
      name: 'guarantee',
      pattern: '\\bguarantee(?:d|s)?\\b.{0,30}\\b(?:returns?|profits?)\\b',
      kind: 'regex',
      severity: 'critical',
    },
    {
      name: 'codename',
      pattern: 'bluebird',
      target: 'both',
      severity: 'info',
      caseSensitive: true,
    },
  ],
})

describe('checkPolicies', () => {
  it('matches keywords as whole words and regexes as written', () => {
    const v = checkPolicies(
      { input: 'about bluebird', output: 'Globex  Corp guarantees high returns.' },
      config.rules,
    )
    expect(v.map((x) => `${x.rule}:${x.target}`)).toEqual([
      'competitor:output',
      'guarantee:output',
      'codename:input',
    ])
    expect(v[0]!.ranges).toEqual([[0, 12]])
  })

  it('does not match inside words, other cases when case-sensitive, or other targets', () => {
    const v = checkPolicies(
      { input: 'Globex Corp', output: 'MyGlobex Corporation, Bluebird, guarantee of quality' },
      config.rules,
    )
    expect(v).toEqual([])
  })

  it('rejects an invalid regex in the config', () => {
    const parsed = policyEvaluator.configSchema.safeParse({
      rules: [{ name: 'bad', pattern: '(', kind: 'regex' }],
    })
    expect(parsed.success).toBe(false)
  })
})

describe('policyEvaluator', () => {
  it('reports the worst severity and one score per rule', async () => {
    const span = makeSpan({ output: 'We guarantee 20% returns, unlike Globex Corp.' })
    const outcome = await policyEvaluator.evaluate(span, config, { now: 0 })
    expect(outcome).toMatchObject({
      scores: [
        { name: 'policy.violation', value: true, metadata: { severity: 'critical' } },
        { name: 'policy.competitor', value: true },
        { name: 'policy.guarantee', value: true },
        { name: 'policy.codename', value: false },
      ],
    })
  })
})
