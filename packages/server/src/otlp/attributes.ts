import type { Attributes, AttrValue } from './types.js'

/**
 * Reads a span's attributes for the mappers and remembers which ones were understood, so
 * everything no mapper consumed can stay on the span as metadata.
 */
export class AttributeReader {
  readonly consumed = new Set<string>()

  constructor(readonly attributes: Attributes) {}

  has(key: string): boolean {
    return this.attributes[key] !== undefined
  }

  /** True when any attribute key starts with `prefix`. */
  hasPrefix(prefix: string): boolean {
    for (const key in this.attributes) if (key.startsWith(prefix)) return true
    return false
  }

  /** The raw value, marked consumed. */
  take(key: string): AttrValue | undefined {
    const value = this.attributes[key]
    if (value !== undefined) this.consumed.add(key)
    return value
  }

  /** Marks keys as understood without reading them (duplicates, noise). */
  drop(...keys: string[]): void {
    for (const key of keys) if (this.attributes[key] !== undefined) this.consumed.add(key)
  }

  /** A non-empty string (numbers and booleans are stringified), or undefined. */
  string(key: string): string | undefined {
    const value = this.take(key)
    if (typeof value === 'string') return value.length > 0 ? value : undefined
    if (typeof value === 'number' || typeof value === 'boolean') return String(value)
    return undefined
  }

  /** The first key present, as a string. Every listed key is consumed: they say the same. */
  firstString(keys: readonly string[]): string | undefined {
    let found: string | undefined
    for (const key of keys) {
      const value = this.string(key)
      found ??= value
    }
    return found
  }

  /** A finite number (numeric strings accepted), or undefined. */
  number(key: string): number | undefined {
    const value = this.take(key)
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
    return typeof n === 'number' && Number.isFinite(n) ? n : undefined
  }

  /** The first key present, as a number; every listed key is consumed. */
  firstNumber(keys: readonly string[]): number | undefined {
    let found: number | undefined
    for (const key of keys) {
      const value = this.number(key)
      found ??= value
    }
    return found
  }

  /** A value that may arrive as a JSON string or already structured; unparsable text stays text. */
  json(key: string): AttrValue | undefined {
    return parseMaybeJson(this.take(key))
  }

  /** A string array (a JSON-encoded one, or a single string, is accepted too). */
  strings(key: string): string[] | undefined {
    const value = this.json(key)
    if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
    if (typeof value === 'string' && value.length > 0) return [value]
    return undefined
  }

  /** Keys under `prefix.`, consumed, with the prefix removed. */
  takePrefix(prefix: string): Record<string, AttrValue> {
    const out: Record<string, AttrValue> = {}
    const dotted = `${prefix}.`
    for (const key in this.attributes) {
      if (key.startsWith(dotted)) {
        out[key.slice(dotted.length)] = this.attributes[key] ?? null
        this.consumed.add(key)
      }
    }
    return out
  }

  /**
   * Rebuilds a flattened list (`prefix.0.message.role`, `prefix.1.…`) into nested objects:
   * numeric path segments become array indices.
   */
  unflatten(prefix: string): AttrValue[] {
    const flat = this.takePrefix(prefix)
    const root: AttrValue[] = []
    for (const [path, value] of Object.entries(flat)) setPath(root, path.split('.'), value)
    return root.filter((item) => item !== undefined && item !== null)
  }

  /** Attributes nobody consumed. */
  rest(): Attributes {
    const out: Attributes = {}
    for (const key in this.attributes) {
      if (!this.consumed.has(key)) out[key] = this.attributes[key] ?? null
    }
    return out
  }
}

/** JSON text is parsed when it looks like JSON; anything else is returned unchanged. */
export function parseMaybeJson(value: AttrValue | undefined): AttrValue | undefined {
  if (typeof value !== 'string') return value
  const first = value.trimStart()[0]
  if (first !== '{' && first !== '[' && first !== '"') return value
  try {
    return JSON.parse(value) as AttrValue
  } catch {
    return value
  }
}

const MAX_INDEX = 10_000

type Container = AttrValue[] | { [key: string]: AttrValue }

function setPath(root: Container, parts: string[], value: AttrValue): void {
  let node: Container = root
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? ''
    const last = i === parts.length - 1
    const nextIsIndex = !last && /^\d+$/.test(parts[i + 1] ?? '')
    const key: string | number = Array.isArray(node) ? Number(part) : part
    // a bound on indices: a sparse array of length 1e9 from one hostile key would stall us
    if (Array.isArray(node) && !(Number.isInteger(key) && (key as number) <= MAX_INDEX)) return
    const slot = (node as Record<string | number, AttrValue | undefined>)[key]
    if (last) {
      ;(node as Record<string | number, AttrValue>)[key] = value
      return
    }
    if (typeof slot !== 'object' || slot === null) {
      const created: Container = nextIsIndex ? [] : {}
      ;(node as Record<string | number, AttrValue>)[key] = created
      node = created
    } else node = slot
  }
}
