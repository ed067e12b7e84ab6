import { AppError, createKeyRequestSchema, type ApiKeyRecord } from '@vigil/core'
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify'
import { parseWith, principalOf } from '../http/index.js'
import type { KeyService } from './keys.js'

const view = (k: ApiKeyRecord) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  createdAt: k.createdAt,
  revokedAt: k.revokedAt,
})

/** /api/v1/keys: a key manages the keys of its own project only. */
export function keyRoutes(
  app: FastifyInstance,
  deps: { keys: KeyService; auth: preHandlerAsyncHookHandler },
): void {
  app.get('/api/v1/keys', { preHandler: deps.auth }, async (request) => {
    const keys = await deps.keys.list(principalOf(request).projectId)
    return { data: keys.map(view) }
  })
  app.post('/api/v1/keys', { preHandler: deps.auth }, async (request, reply) => {
    const { name } = parseWith(createKeyRequestSchema, request.body, 'body')
    const created = await deps.keys.create(principalOf(request).projectId, name)
    return reply.status(201).send({ ...created, revokedAt: null })
  })
  app.delete<{ Params: { keyId: string } }>(
    '/api/v1/keys/:keyId',
    { preHandler: deps.auth },
    async (request, reply) => {
      const ok = await deps.keys.revoke(principalOf(request).projectId, request.params.keyId)
      if (!ok) throw new AppError('NOT_FOUND', `no key ${request.params.keyId} in this project`)
      return reply.status(204).send()
    },
  )
}
