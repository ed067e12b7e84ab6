import { forSplit, type Rng, type Split } from './rng.js'

/** A JSON example: label true when the output is NOT valid (parse or schema). */
export interface JsonExample {
  id: string
  text: string
  schema?: Record<string, unknown>
  label: boolean
  kind: string
}

const SCHEMA = {
  type: 'object',
  required: ['name', 'age', 'tags'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    age: { type: 'integer', minimum: 0, maximum: 150 },
    email: { type: 'string', format: 'email' },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 5 },
    status: { enum: ['active', 'inactive'] },
  },
}

const NAMES = ['Ada', 'Grace', 'Linus', 'Margaret', 'Alan', 'Barbara', 'Ken', 'Radia']
type Person = { name: string; age: number; tags: string[]; status?: string; email?: string }

function person(rng: Rng): Person {
  const p: Person = {
    name: rng.pick(NAMES),
    age: rng.int(18, 90),
    tags: rng.shuffle(['admin', 'beta', 'eu', 'vip', 'trial']).slice(0, rng.int(0, 3)),
  }
  if (rng.chance(0.5)) p.status = rng.pick(['active', 'inactive'])
  if (rng.chance(0.4)) p.email = `${p.name.toLowerCase()}@example.com`
  return p
}

type Make = (p: Person, rng: Rng) => string
const VALID: Make[] = [
  (p) => JSON.stringify(p),
  (p) => JSON.stringify(p, null, 2),
  (p) => '```json\n' + JSON.stringify(p, null, 2) + '\n```',
  (p) => `  ${JSON.stringify(p)}\n`,
  (p) => JSON.stringify({ ...p, name: `${p.name} "The Great"` }),
  (p) => JSON.stringify({ ...p, tags: [] }),
]
const INVALID_SYNTAX: Make[] = [
  (p) => JSON.stringify(p, null, 2).replace(/\n}$/, ',\n}'),
  (p) => JSON.stringify(p).replace(/"/g, "'"),
  (p) => JSON.stringify(p, null, 2).slice(0, -8),
  (p) => `Sure! Here is the JSON:\n${JSON.stringify(p)}`,
  (p) => `${JSON.stringify(p)}\n\nLet me know if you need anything else.`,
  (p) => JSON.stringify(p).replace(/"(\w+)":/g, '$1:'),
  (p) => JSON.stringify(p, null, 2).replace('{', '{\n  // generated\n'),
  (p) => JSON.stringify(p).replace(/"age":\d+/, '"age":NaN'),
  (p) => JSON.stringify(p).replace(/}$/, ''),
  (p) => '```json\n' + JSON.stringify(p).replace(/}$/, ',}') + '\n```',
]
const INVALID_SCHEMA: Make[] = [
  (p) => JSON.stringify({ ...p, age: String(p.age) }),
  (p) => JSON.stringify({ name: p.name, tags: p.tags }),
  (p) => JSON.stringify({ ...p, nickname: 'x' }),
  (p) => JSON.stringify({ ...p, age: -3 }),
  (p) => JSON.stringify({ ...p, status: 'deleted' }),
  (p) => JSON.stringify({ ...p, tags: ['a', 'b', 'c', 'd', 'e', 'f'] }),
  (p) => JSON.stringify({ ...p, name: '' }),
  (p) => JSON.stringify({ ...p, email: 'not-an-email' }),
  (p) => JSON.stringify([p]),
  (p) => JSON.stringify({ ...p, age: p.age + 0.5 }),
]

/** Balanced JSON validity examples: valid outputs vs syntax errors and schema violations. */
export function jsonExamples(rng: Rng, split: Split, count: number): JsonExample[] {
  const out: JsonExample[] = []
  const valid = forSplit(VALID, split)
  const syntax = forSplit(INVALID_SYNTAX, split)
  const schema = forSplit(INVALID_SCHEMA, split)
  for (let i = 0; i < count; i += 1) {
    out.push({
      id: '',
      text: (valid[i % valid.length] as Make)(person(rng), rng),
      schema: SCHEMA,
      label: false,
      kind: 'valid',
    })
    const bad = i % 2 === 0 ? syntax : schema
    out.push({
      id: '',
      text: (bad[Math.floor(i / 2) % bad.length] as Make)(person(rng), rng),
      schema: SCHEMA,
      label: true,
      kind: i % 2 === 0 ? 'syntax' : 'schema',
    })
  }
  return out.map((e, i) => ({ ...e, id: `json-${split}-${i}` }))
}
