import {
  AppError,
  evaluatorSettingSchema,
  type ConfigRecord,
  type ConfigStore,
  type EvaluatorSetting,
  type JsonValue,
} from '@vigil/core'
import { parseWith } from '../http/index.js'
import type { EvaluatorRegistry } from './registry.js'

/** ConfigStore kind of evaluator settings; the document id is the evaluator's name. */
export const EVALUATOR_CONFIG_KIND = 'evaluator'

/** One version of a configured evaluator. */
export interface StoredEvaluator {
  setting: EvaluatorSetting
  version: number
  updatedAt: number
}

/** Per-project evaluator settings over the versioned config store. */
export interface EvaluatorSettings {
  /** The live evaluators of a project; documents that no longer parse are left out. */
  list(projectId: string): Promise<StoredEvaluator[]>
  /**
   * `list` as the engine reads it on every job: cached for a few seconds per project (changes
   * made by another process apply within that), dropped at once by this service's own writes.
   */
  active(projectId: string): Promise<StoredEvaluator[]>
  /**
   * True only when `active` has a fresh answer for the project and it enables no evaluator, so
   * new spans have nothing to fan out to. Never waits: an unknown project starts a load and
   * answers false (plan the work; the fan-out job decides).
   */
  knownIdle(projectId: string): boolean
  /** The latest live version, or the given one (even if later deleted). */
  get(projectId: string, name: string, version?: number): Promise<StoredEvaluator | null>
  /** Validates (the plug-in checks its own config) and stores a new version if anything changed. */
  put(projectId: string, body: unknown): Promise<StoredEvaluator>
  delete(projectId: string, name: string): Promise<boolean>
}

/** JSON with object keys sorted, so equal documents compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  )
}

function fromRecord(record: ConfigRecord): StoredEvaluator | null {
  const parsed = evaluatorSettingSchema.safeParse(record.value)
  if (!parsed.success) return null
  return { setting: parsed.data, version: record.version, updatedAt: record.createdAt }
}

const ACTIVE_TTL_MS = 5_000

/** A project's cached evaluator list; `idle` is set once it loads (true: none enabled). */
interface ActiveEntry {
  until: number
  list: Promise<StoredEvaluator[]>
  idle?: boolean
}

const VERSION_CACHE_MAX = 10_000

/** Creates the settings service; plug-in kinds and configs are checked against the registry. */
export function createEvaluatorSettings(deps: {
  configs: ConfigStore
  registry: EvaluatorRegistry
  now: () => number
}): EvaluatorSettings {
  const at = (projectId: string, id: string) => ({ projectId, kind: EVALUATOR_CONFIG_KIND, id })
  const active = new Map<string, ActiveEntry>()
  // a stored version never changes, so it can be kept as long as there is room
  const versions = new Map<string, StoredEvaluator | null>()
  const get: EvaluatorSettings['get'] = async (projectId, name, version) => {
    const key = version === undefined ? undefined : `${projectId}\u0000${name}\u0000${version}`
    if (key !== undefined && versions.has(key)) return versions.get(key) ?? null
    const record = await deps.configs.get({ ...at(projectId, name), version })
    const stored = record ? fromRecord(record) : null
    if (key !== undefined && stored) {
      if (versions.size >= VERSION_CACHE_MAX) versions.clear()
      versions.set(key, stored)
    }
    return stored
  }
  const list: EvaluatorSettings['list'] = async (projectId) => {
    const records = await deps.configs.list({ projectId, kind: EVALUATOR_CONFIG_KIND })
    return records
      .map(fromRecord)
      .filter((e): e is StoredEvaluator => e !== null)
      .sort((a, b) => (a.setting.name < b.setting.name ? -1 : 1))
  }
  /**
   * The project's cached entry, loading a fresh one when it is missing or stale. A stale
   * entry's `idle` carries over until the reload lands: under heavy ingest the reload waits
   * behind commits, and meanwhile every batch of an idle project would write a fan-out job
   * (bench/ingest: 164 jobs for 664k spans, about one per commit, with no evaluator at all).
   * This process's own changes drop the entry, so they still take effect at once.
   */
  const activeEntry = (projectId: string): ActiveEntry => {
    const hit = active.get(projectId)
    if (hit && hit.until > deps.now()) return hit
    const entry: ActiveEntry = { until: deps.now() + ACTIVE_TTL_MS, list: list(projectId) }
    if (hit?.idle !== undefined) entry.idle = hit.idle
    active.set(projectId, entry)
    entry.list.then(
      (evaluators) => {
        entry.idle = !evaluators.some((e) => e.setting.enabled)
      },
      () => {
        if (active.get(projectId) === entry) active.delete(projectId)
      },
    )
    return entry
  }
  return {
    list,
    active(projectId) {
      return activeEntry(projectId).list
    },
    knownIdle(projectId) {
      return activeEntry(projectId).idle === true
    },
    get,
    async put(projectId, body) {
      const setting = parseWith(evaluatorSettingSchema, body, 'body')
      const plugin = deps.registry.get(setting.kind)
      if (!plugin) {
        const kinds = deps.registry.list().map((p) => p.kind)
        throw new AppError(
          'INVALID_INPUT',
          `unknown evaluator kind ${setting.kind}; known: ${kinds.join(', ')}`,
        )
      }
      // store the plug-in's parsed config, defaults included, so a version pins them
      const value = { ...setting, config: plugin.parseConfig(setting.config) as JsonValue }
      const current = await get(projectId, setting.name)
      if (current && canonical(current.setting) === canonical(value)) return current
      const record = await deps.configs.put({
        ...at(projectId, setting.name),
        value,
        now: deps.now(),
      })
      active.delete(projectId)
      return { setting: value, version: record.version, updatedAt: record.createdAt }
    },
    async delete(projectId, name) {
      const deleted = await deps.configs.delete({ ...at(projectId, name), now: deps.now() })
      active.delete(projectId)
      return deleted
    },
  }
}
