/**
 * A compact JSON Schema validator for the keywords LLM output schemas use (draft 2020-12 and
 * draft 7 spellings): type, enum, const, properties, required, additionalProperties,
 * patternProperties, items, prefixItems, min/maxItems, uniqueItems, contains, min/maxLength,
 * pattern, format (date-time, date, email, uri, uuid), minimum, maximum, exclusive bounds,
 * multipleOf, min/maxProperties, allOf, anyOf, oneOf, not, local $ref (#/$defs, #/definitions).
 * Unknown keywords are annotations and ignored, as the spec allows.
 */

/** A JSON Schema (object form) or a boolean schema. */
export type JsonSchema = boolean | { [keyword: string]: unknown }

/** One violation: where in the instance, and what is wrong. */
export interface SchemaError {
  path: string
  message: string
}

type Obj = Record<string, unknown>
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const MAX_ERRORS = 20
const MAX_DEPTH = 64

interface Walk {
  root: JsonSchema
  errors: SchemaError[]
  depth: number
}

/** Where the walk is: the instance path and the shared state. */
interface At {
  path: string
  walk: Walk
}

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

function typeMatches(value: unknown, type: string): boolean {
  const actual = typeOf(value)
  return actual === type || (type === 'number' && actual === 'integer')
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  return ka.every((k) => deepEqual((a as Obj)[k], (b as Obj)[k]))
}

const FORMATS: Record<string, RegExp> = {
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/,
  time: /^\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})?$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uri: /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*$/,
  uuid: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
}

function resolveRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (ref === '#') return root
  if (!ref.startsWith('#/')) return undefined
  let node: unknown = root
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')
    node = isObject(node) ? node[key] : undefined
  }
  return typeof node === 'boolean' || isObject(node) ? node : undefined
}

function fail(walk: Walk, path: string, message: string): void {
  if (walk.errors.length < MAX_ERRORS) walk.errors.push({ path: path || '/', message })
}

function checkGeneric(value: unknown, schema: Obj, at: At): void {
  const { path, walk } = at
  const { type } = schema
  if (typeof type === 'string' && !typeMatches(value, type)) {
    fail(walk, path, `must be ${type}`)
  } else if (
    Array.isArray(type) &&
    !type.some((t) => typeof t === 'string' && typeMatches(value, t))
  ) {
    fail(walk, path, `must be one of ${type.join(', ')}`)
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => deepEqual(e, value))) {
    fail(walk, path, 'must be one of the enum values')
  }
  if ('const' in schema && !deepEqual(schema.const, value)) fail(walk, path, 'must equal const')
}

function checkNumber(value: number, schema: Obj, at: At): void {
  const { path, walk } = at
  const n = (k: string): number | undefined =>
    typeof schema[k] === 'number' ? schema[k] : undefined
  const min = n('minimum')
  const max = n('maximum')
  const exMin = n('exclusiveMinimum')
  const exMax = n('exclusiveMaximum')
  const multiple = n('multipleOf')
  if (min !== undefined && value < min) fail(walk, path, `must be >= ${min}`)
  if (max !== undefined && value > max) fail(walk, path, `must be <= ${max}`)
  if (exMin !== undefined && value <= exMin) fail(walk, path, `must be > ${exMin}`)
  if (exMax !== undefined && value >= exMax) fail(walk, path, `must be < ${exMax}`)
  if (multiple !== undefined && multiple > 0) {
    const q = value / multiple
    if (Math.abs(q - Math.round(q)) > 1e-9) fail(walk, path, `must be a multiple of ${multiple}`)
  }
}

function checkString(value: string, schema: Obj, at: At): void {
  const { path, walk } = at
  const length = [...value].length
  if (typeof schema.minLength === 'number' && length < schema.minLength) {
    fail(walk, path, `must have at least ${schema.minLength} characters`)
  }
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
    fail(walk, path, `must have at most ${schema.maxLength} characters`)
  }
  if (typeof schema.pattern === 'string' && !safeRegex(schema.pattern)?.test(value)) {
    fail(walk, path, `must match ${schema.pattern}`)
  }
  const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined
  if (format !== undefined && !format.test(value))
    fail(walk, path, `must be a ${String(schema.format)}`)
}

const regexCache = new Map<string, RegExp | null>()
function safeRegex(source: string): RegExp | null {
  let re = regexCache.get(source)
  if (re === undefined) {
    try {
      re = new RegExp(source, 'u')
    } catch {
      re = null
    }
    if (regexCache.size > 500) regexCache.clear()
    regexCache.set(source, re)
  }
  return re
}

function checkArray(value: unknown[], schema: Obj, at: At): void {
  const { path, walk } = at
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
    fail(walk, path, `must have at least ${schema.minItems} items`)
  }
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
    fail(walk, path, `must have at most ${schema.maxItems} items`)
  }
  if (
    schema.uniqueItems === true &&
    value.some((v, i) => value.findIndex((w) => deepEqual(v, w)) !== i)
  ) {
    fail(walk, path, 'must have unique items')
  }
  const prefix = Array.isArray(schema.prefixItems) ? (schema.prefixItems as JsonSchema[]) : []
  const legacyTuple = Array.isArray(schema.items) ? (schema.items as JsonSchema[]) : []
  const tuple = prefix.length > 0 ? prefix : legacyTuple
  const rest = !Array.isArray(schema.items)
    ? (schema.items as JsonSchema | undefined)
    : (schema.additionalItems as JsonSchema | undefined)
  value.forEach((item, i) => {
    const itemSchema = i < tuple.length ? tuple[i] : rest
    if (itemSchema !== undefined) walkSchema(item, itemSchema, { path: `${path}/${i}`, walk })
  })
  if (
    schema.contains !== undefined &&
    !value.some((v) => isValid(v, schema.contains as JsonSchema, walk))
  ) {
    fail(walk, path, 'must contain a matching item')
  }
}

function checkObject(value: Obj, schema: Obj, at: At): void {
  const { path, walk } = at
  const keys = Object.keys(value)
  if (Array.isArray(schema.required)) {
    for (const key of schema.required) {
      if (typeof key === 'string' && !(key in value)) fail(walk, `${path}/${key}`, 'is required')
    }
  }
  if (typeof schema.minProperties === 'number' && keys.length < schema.minProperties) {
    fail(walk, path, `must have at least ${schema.minProperties} properties`)
  }
  if (typeof schema.maxProperties === 'number' && keys.length > schema.maxProperties) {
    fail(walk, path, `must have at most ${schema.maxProperties} properties`)
  }
  const props = isObject(schema.properties) ? schema.properties : {}
  const patterns = isObject(schema.patternProperties)
    ? Object.entries(schema.patternProperties)
    : []
  for (const key of keys) {
    const child = `${path}/${key}`
    let known = false
    if (key in props) {
      known = true
      walkSchema(value[key], props[key] as JsonSchema, { path: child, walk })
    }
    for (const [source, sub] of patterns) {
      if (safeRegex(source)?.test(key)) {
        known = true
        walkSchema(value[key], sub as JsonSchema, { path: child, walk })
      }
    }
    const extra = schema.additionalProperties
    if (!known && extra !== undefined) {
      if (extra === false) fail(walk, child, 'is not allowed')
      else walkSchema(value[key], extra as JsonSchema, { path: child, walk })
    }
  }
}

function isValid(value: unknown, schema: JsonSchema, walk: Walk): boolean {
  const probe: Walk = { root: walk.root, errors: [], depth: walk.depth }
  walkSchema(value, schema, { path: '', walk: probe })
  return probe.errors.length === 0
}

function checkCombinators(value: unknown, schema: Obj, at: At): void {
  const { path, walk } = at
  if (Array.isArray(schema.allOf)) {
    for (const sub of schema.allOf) walkSchema(value, sub as JsonSchema, { path, walk })
  }
  if (
    Array.isArray(schema.anyOf) &&
    !schema.anyOf.some((s) => isValid(value, s as JsonSchema, walk))
  ) {
    fail(walk, path, 'must match a schema in anyOf')
  }
  if (Array.isArray(schema.oneOf)) {
    const matches = schema.oneOf.filter((s) => isValid(value, s as JsonSchema, walk)).length
    if (matches !== 1)
      fail(walk, path, `must match exactly one schema in oneOf (matched ${matches})`)
  }
  if (schema.not !== undefined && isValid(value, schema.not as JsonSchema, walk)) {
    fail(walk, path, 'must not match the schema in not')
  }
}

function walkSchema(value: unknown, schema: JsonSchema, at: At): void {
  const { path, walk } = at
  if (schema === true) return
  if (schema === false) return fail(walk, path, 'no value is allowed here')
  if (!isObject(schema)) return
  if (walk.depth > MAX_DEPTH) return fail(walk, path, 'schema nests too deeply (recursive $ref?)')
  const inner: Walk = { ...walk, depth: walk.depth + 1 }
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(walk.root, schema.$ref)
    if (target === undefined) fail(walk, path, `cannot resolve ${schema.$ref}`)
    else walkSchema(value, target, { path, walk: inner })
  }
  checkGeneric(value, schema, { path, walk })
  checkCombinators(value, schema, { path, walk: inner })
  if (typeof value === 'number') checkNumber(value, schema, { path, walk })
  else if (typeof value === 'string') checkString(value, schema, { path, walk })
  else if (Array.isArray(value)) checkArray(value, schema, { path, walk: inner })
  else if (isObject(value)) checkObject(value, schema, { path, walk: inner })
}

/** Validates a parsed JSON value; returns the violations (empty when valid, at most 20). */
export function validateJsonSchema(value: unknown, schema: JsonSchema): SchemaError[] {
  const walk: Walk = { root: schema, errors: [], depth: 0 }
  walkSchema(value, schema, { path: '', walk })
  return walk.errors
}
