import { makeSpan } from '@vigil/core/testing'
import { describe, expect, it } from 'vitest'
import { checkJson, jsonValidityEvaluator, validateJsonSchema } from './json-validity.js'

const schema = {
  type: 'object',
  required: ['name', 'tags'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    age: { type: 'integer', minimum: 0 },
    tags: { type: 'array', items: { $ref: '#/$defs/tag' }, uniqueItems: true },
    kind: { enum: ['a', 'b'] },
  },
  $defs: { tag: { type: 'string', pattern: '^[a-z]+$' } },
}

describe('checkJson', () => {
  it('accepts JSON, optionally inside a code fence, and rejects near-misses', () => {
    expect(checkJson('{"a": 1}').valid).toBe(true)
    expect(checkJson('```json\n{"a": 1}\n```')).toMatchObject({ valid: true, fenced: true })
    expect(checkJson('```json\n{"a": 1}\n```', { allowCodeFence: false }).valid).toBe(false)
    for (const bad of ['{"a": 1,}', "{'a': 1}", '{"a": 1', 'Sure! {"a": 1}', '{"a": 1} // done']) {
      expect(checkJson(bad).valid, bad).toBe(false)
    }
  })

  it('validates the common schema keywords', () => {
    expect(validateJsonSchema({ name: 'x', tags: ['a', 'b'], kind: 'a' }, schema)).toEqual([])
    const errors = validateJsonSchema(
      { name: '', tags: ['a', 'a', 'B'], age: 1.5, extra: 1, kind: 'c' },
      schema,
    )
    expect(errors.map((e) => e.path).sort()).toEqual(
      ['/', '/age', '/extra', '/kind', '/name', '/tags', '/tags/2'].sort().filter((p) => p !== '/'),
    )
    expect(validateJsonSchema({ tags: [] }, schema)).toEqual([
      { path: '/name', message: 'is required' },
    ])
    expect(
      validateJsonSchema(3, { oneOf: [{ type: 'integer' }, { type: 'number' }] }),
    ).toHaveLength(1)
    expect(validateJsonSchema('x', { anyOf: [{ type: 'integer' }, { const: 'x' }] })).toEqual([])
  })
})

describe('jsonValidityEvaluator', () => {
  it('checks tool-call arguments when the output is only tool calls', async () => {
    const span = makeSpan({
      output: [
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ name: 'lookup', arguments: '{"name": "x", "tags": []}' }],
        },
      ],
    })
    const config = jsonValidityEvaluator.configSchema.parse({ schema })
    expect(await jsonValidityEvaluator.evaluate(span, config, { now: 0 })).toMatchObject({
      scores: [
        { name: 'json.valid', value: true },
        { name: 'json.schema', value: true },
      ],
    })
    const prose = makeSpan({ output: 'Here is the JSON you asked for.' })
    expect(await jsonValidityEvaluator.evaluate(prose, config, { now: 0 })).toMatchObject({
      scores: [
        { name: 'json.valid', value: false },
        { name: 'json.schema', value: false },
      ],
    })
  })
})
