import { normalizeUsage, type CostMap, type RawUsage, type UsageMap } from '@vigil/core'

/**
 * Disjoint usage buckets from what the telemetry reported, or undefined when it reported no
 * count at all (then ingest estimates and marks it, instead of a silent zero).
 */
export function usageIfAny(raw: RawUsage): UsageMap | undefined {
  const counts = [raw.input, raw.output, raw.cacheRead, raw.cacheWrite, raw.reasoning]
  const extras = Object.values(raw.extras ?? {})
  if ([...counts, ...extras].every((n) => n === undefined)) return undefined
  return normalizeUsage(raw)
}

/** A cost map from the buckets that are present, or undefined when none is. */
export function costIfAny(entries: Record<string, number | undefined>): CostMap | undefined {
  const cost: CostMap = {}
  for (const [key, value] of Object.entries(entries)) {
    if (value !== undefined && Number.isFinite(value) && value >= 0) cost[key] = value
  }
  return Object.keys(cost).length > 0 ? cost : undefined
}

/** Seconds (as GenAI timing attributes carry them) to milliseconds. */
export function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : Math.round(seconds * 1000)
}
