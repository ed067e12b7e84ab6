import type { JsonValue } from '../model/json.js'

/**
 * One version of a project's configuration document. Documents are identified by
 * (projectId, kind, id); every write appends a new version, so what produced a score or a
 * recorded call can always be traced to the exact configuration (evaluators, prices, upstreams).
 */
export interface ConfigRecord {
  projectId: string
  /** The owning module's namespace, e.g. `gateway.upstream`, `pricing.model`, `evaluator`. */
  kind: string
  id: string
  /** 1, 2, 3, … per (projectId, kind, id). */
  version: number
  value: JsonValue
  /** True for the tombstone version a delete writes. */
  deleted: boolean
  createdAt: number
}

/** Versioned, append-only configuration documents, scoped to a project. */
export interface ConfigStore {
  /** Appends a new version; returns it. */
  put(input: {
    projectId: string
    kind: string
    id: string
    value: JsonValue
    now: number
  }): Promise<ConfigRecord>
  /** Appends a tombstone; false when there is no live document. */
  delete(input: { projectId: string; kind: string; id: string; now: number }): Promise<boolean>
  /** The latest live version, or the given version (even if later deleted); null when absent. */
  get(input: {
    projectId: string
    kind: string
    id: string
    version?: number
  }): Promise<ConfigRecord | null>
  /** The latest live version of every document of a kind, by id. */
  list(input: { projectId: string; kind: string }): Promise<ConfigRecord[]>
}
