/** A seeded PRNG (mulberry32) and the helpers the generators share. */
export interface Rng {
  next(): number
  int(min: number, max: number): number
  pick<T>(list: readonly T[]): T
  chance(p: number): boolean
  digits(n: number): string
  shuffle<T>(list: readonly T[]): T[]
}

/** Creates a deterministic random source from a 32-bit seed. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1))
  return {
    next,
    int,
    pick: <T>(list: readonly T[]): T => {
      if (list.length === 0) throw new Error('pick from an empty list')
      return list[int(0, list.length - 1)] as T
    },
    chance: (p) => next() < p,
    digits: (n) => Array.from({ length: n }, () => String(int(0, 9))).join(''),
    shuffle: <T>(list: readonly T[]): T[] => {
      const out = [...list]
      for (let i = out.length - 1; i > 0; i -= 1) {
        const j = int(0, i)
        ;[out[i], out[j]] = [out[j] as T, out[i] as T]
      }
      return out
    },
  }
}

/** Which split an example belongs to; held-out examples come from templates tuning never saw. */
export type Split = 'dev' | 'heldout'

/** Every third template or filler goes to the held-out split, the rest to dev. */
export function forSplit<T>(list: readonly T[], split: Split): T[] {
  return list.filter((_, i) => (i % 3 === 2) === (split === 'heldout'))
}

/** Fills `{slot}` placeholders from a map of generators. */
export function fill(template: string, slots: Record<string, () => string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const make = slots[name]
    return make === undefined ? whole : make()
  })
}

/** A labelled example for a binary detector. */
export interface LabelledText {
  id: string
  text: string
  label: boolean
  /** What kind of positive or hard negative this is, for error analysis. */
  kind: string
}
