import { arrayOf, isRecord } from './request-body.js'

const MAX_DEPTH = 8

/** A value that satisfies a JSON Schema, for tool arguments and structured outputs nobody scripted. */
export function sampleFromSchema(schema: unknown, depth = 0): unknown {
  if (!isRecord(schema) || depth > MAX_DEPTH) return null
  if ('const' in schema) return schema.const
  const choices = arrayOf(schema.enum)
  if (choices.length > 0) return choices[0]
  const alternative = arrayOf(schema.anyOf)[0] ?? arrayOf(schema.oneOf)[0]
  if (alternative !== undefined) return sampleFromSchema(alternative, depth + 1)
  const type = Array.isArray(schema.type) ? (schema.type as unknown[])[0] : schema.type
  switch (type) {
    case 'object':
      return sampleObject(schema, depth)
    case 'array': {
      const min = typeof schema.minItems === 'number' ? Math.max(1, schema.minItems) : 1
      return Array.from({ length: Math.min(min, 3) }, () =>
        sampleFromSchema(schema.items, depth + 1),
      )
    }
    case 'string':
      return 'example'
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1
    case 'boolean':
      return true
    default:
      return isRecord(schema.properties) ? sampleObject(schema, depth) : null
  }
}

function sampleObject(schema: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const properties = isRecord(schema.properties) ? schema.properties : {}
  for (const [name, property] of Object.entries(properties)) {
    out[name] = sampleFromSchema(property, depth + 1)
  }
  return out
}
