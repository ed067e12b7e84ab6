import { createHash, randomBytes } from 'node:crypto'
import { AppError, randomHexId, type ApiKeyRecord, type MetaStore } from '@vigil/core'
import type { Principal } from '../http/index.js'

/** A newly created key: the secret is shown once and never stored. */
export interface CreatedKey {
  id: string
  name: string
  prefix: string
  secret: string
  createdAt: number
}

/** SHA-256 of a key secret, hex: the only form a key is stored in. */
export function hashKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

const CACHE_TTL_MS = 5_000
const CACHE_MAX = 10_000

/** Creates, resolves and revokes project API keys. */
export interface KeyService {
  create(projectId: string, name: string): Promise<CreatedKey>
  /** Registers a secret chosen outside Vigil (VIGIL_API_KEY); a no-op when it is already stored. */
  register(options: { projectId: string; name: string; secret: string }): Promise<void>
  authenticate(secret: string): Promise<Principal | null>
  list(projectId: string): Promise<ApiKeyRecord[]>
  revoke(projectId: string, keyId: string): Promise<boolean>
}

/** A key service over the meta store, with a short-lived cache of resolved keys. */
export function createKeyService(deps: { meta: MetaStore; now: () => number }): KeyService {
  const cache = new Map<string, { principal: Principal | null; until: number }>()

  const store = async (options: { projectId: string; name: string; secret: string }) => {
    const record: ApiKeyRecord = {
      id: `key_${randomHexId(8)}`,
      projectId: options.projectId,
      name: options.name,
      hash: hashKey(options.secret),
      prefix: options.secret.slice(0, 10),
      createdAt: deps.now(),
      revokedAt: null,
    }
    await deps.meta.createApiKey(record)
    return record
  }

  return {
    async create(projectId, name) {
      const secret = `vk_${randomBytes(24).toString('base64url')}`
      const record = await store({ projectId, name, secret })
      return { id: record.id, name, prefix: record.prefix, secret, createdAt: record.createdAt }
    },
    async register(options) {
      const existing = await deps.meta.findApiKeyByHash(hashKey(options.secret))
      if (existing && existing.projectId !== options.projectId) {
        throw new AppError('CONFLICT', 'this key already belongs to another project')
      }
      if (!existing) await store(options)
    },
    async authenticate(secret) {
      // keyed by the secret the request carries anyway: a hit costs no SHA-256 (the gateway
      // authenticates every proxied call); only the hash is ever stored
      const hit = cache.get(secret)
      if (hit && hit.until > deps.now()) return hit.principal
      const record = await deps.meta.findApiKeyByHash(hashKey(secret))
      const principal =
        record && record.revokedAt === null
          ? { projectId: record.projectId, keyId: record.id }
          : null
      if (cache.size >= CACHE_MAX) cache.clear()
      cache.set(secret, { principal, until: deps.now() + CACHE_TTL_MS })
      return principal
    },
    list: (projectId) => deps.meta.listApiKeys(projectId),
    async revoke(projectId, keyId) {
      const revoked = await deps.meta.revokeApiKey(projectId, keyId, deps.now())
      // a revoked key must stop working at once in this process
      if (revoked) cache.clear()
      return revoked
    },
  }
}
