import { AppError, judgeEndpointSchema, type ConfigStore, type JsonValue } from '@vigil/core'
import type { z } from 'zod'
import { parseWith } from '../../http/index.js'
import type { ModelEndpoint } from '../openai-compatible.js'

/**
 * ConfigStore kind of a project's judge endpoint (one document, id `default`). The API key is
 * stored with it: it is the project's own credential for evaluation (not a caller's provider
 * key passing through the gateway, which is never stored), it must survive restarts and be
 * versioned with the endpoint, and a multi-project server cannot take one key per project from
 * its environment. It is never logged and never returned: the API shows a masked form.
 */
export const JUDGE_ENDPOINT_KIND = 'evaluator.judge-endpoint'
const ID = 'default'

/** A project's judge endpoint with the config version it came from. */
export type StoredEndpoint = ModelEndpoint & { version: number }

const storedSchema = judgeEndpointSchema

/** Per-project judge endpoints over the versioned config store. */
export interface JudgeEndpoints {
  get(projectId: string): Promise<StoredEndpoint | null>
  /** Validates and stores a new version; an omitted `apiKey` keeps the stored one. */
  put(projectId: string, body: unknown): Promise<StoredEndpoint>
  delete(projectId: string): Promise<boolean>
}

function fromValue(value: JsonValue, version: number): StoredEndpoint | null {
  const parsed = storedSchema.safeParse(value)
  return parsed.success ? { ...parsed.data, version } : null
}

/** The endpoint as the API shows it: the key reduced to its last 4 characters. */
export function maskEndpoint(endpoint: StoredEndpoint) {
  return {
    baseUrl: endpoint.baseUrl,
    model: endpoint.model,
    apiKey: endpoint.apiKey === undefined ? null : `…${endpoint.apiKey.slice(-4)}`,
    embeddingModel: endpoint.embeddingModel ?? null,
    timeoutMs: endpoint.timeoutMs,
    version: endpoint.version,
  }
}

/** Creates the endpoint settings service. */
export function createJudgeEndpoints(deps: {
  configs: ConfigStore
  now: () => number
}): JudgeEndpoints {
  const at = (projectId: string) => ({ projectId, kind: JUDGE_ENDPOINT_KIND, id: ID })
  const get = async (projectId: string): Promise<StoredEndpoint | null> => {
    const record = await deps.configs.get(at(projectId))
    return record ? fromValue(record.value, record.version) : null
  }
  return {
    get,
    async put(projectId, body) {
      const input = parseWith(judgeEndpointSchema, body, 'body')
      const current = await get(projectId)
      const apiKey = input.apiKey ?? current?.apiKey
      const value: z.output<typeof storedSchema> = { ...input, ...(apiKey ? { apiKey } : {}) }
      const record = await deps.configs.put({ ...at(projectId), value, now: deps.now() })
      const stored = fromValue(record.value, record.version)
      if (!stored) throw new AppError('INTERNAL', 'stored judge endpoint does not parse')
      return stored
    },
    delete: (projectId) => deps.configs.delete({ ...at(projectId), now: deps.now() }),
  }
}
