import {
  redactionSettingSchema,
  upstreamSettingSchema,
  type ConfigStore,
  type RedactionSetting,
} from '@vigil/core'
import { parseUpstream, type Upstream } from './plan.js'

/** ConfigStore kind of a project's upstream per provider; id = provider name. */
export const UPSTREAM_KIND = 'gateway.upstream'
/** ConfigStore kind and id of a project's redaction setting. */
export const PRIVACY_KIND = 'privacy'
export const REDACTION_ID = 'redaction'

/** A project's gateway settings as the proxy uses them. */
export interface ProjectSettings {
  /** The project's own upstreams; providers not here use the server default. */
  readonly upstreams: ReadonlyMap<string, Upstream>
  readonly redaction: RedactionSetting | undefined
}

/** Settings lookups that never hit storage on the response path once a project is warm. */
export interface GatewaySettings {
  /** Cached settings (refreshed in the background when stale), or a promise the first time. */
  get(projectId: string): ProjectSettings | Promise<ProjectSettings>
  /** Forgets a project's settings after they changed in this process. */
  invalidate(projectId: string): void
}

const TTL_MS = 5_000
const RETRY_MS = 1_000

async function load(configs: ConfigStore, projectId: string): Promise<ProjectSettings> {
  const [records, redaction] = await Promise.all([
    configs.list({ projectId, kind: UPSTREAM_KIND }),
    configs.get({ projectId, kind: PRIVACY_KIND, id: REDACTION_ID }),
  ])
  const upstreams = new Map<string, Upstream>()
  for (const record of records) {
    const parsed = upstreamSettingSchema.safeParse(record.value)
    if (parsed.success) {
      upstreams.set(record.id, parseUpstream(parsed.data.baseUrl, parsed.data.timeoutMs))
    }
  }
  const parsed = redaction ? redactionSettingSchema.safeParse(redaction.value) : undefined
  return { upstreams, redaction: parsed?.success ? parsed.data : undefined }
}

const FALLBACK: ProjectSettings = { upstreams: new Map(), redaction: undefined }

/** Creates the cache. A storage failure serves the defaults (fail-open) and retries soon. */
export function createGatewaySettings(deps: {
  configs: ConfigStore
  now: () => number
  problem: (message: string, error?: unknown) => void
}): GatewaySettings {
  const cache = new Map<string, { value: ProjectSettings; until: number }>()
  const loading = new Map<string, Promise<ProjectSettings>>()

  const refresh = (projectId: string): Promise<ProjectSettings> => {
    let pending = loading.get(projectId)
    if (pending !== undefined) return pending
    // a load that an invalidation overtook must not cache what it read
    const keep = (value: ProjectSettings, ttl: number) => {
      if (loading.get(projectId) === pending)
        cache.set(projectId, { value, until: deps.now() + ttl })
      return value
    }
    pending = load(deps.configs, projectId)
      .then((value) => keep(value, TTL_MS))
      .catch((error: unknown) => {
        deps.problem('could not read gateway settings; using the server defaults', error)
        return keep(cache.get(projectId)?.value ?? FALLBACK, RETRY_MS)
      })
      .finally(() => {
        if (loading.get(projectId) === pending) loading.delete(projectId)
      })
    loading.set(projectId, pending)
    return pending
  }

  return {
    get(projectId) {
      const hit = cache.get(projectId)
      if (hit === undefined) return refresh(projectId)
      if (hit.until <= deps.now()) void refresh(projectId)
      return hit.value
    },
    invalidate(projectId) {
      cache.delete(projectId)
      loading.delete(projectId)
    },
  }
}
