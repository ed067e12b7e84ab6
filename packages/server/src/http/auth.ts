import { AppError } from '@vigil/core'
import type { FastifyRequest } from 'fastify'

/** The project a request acts for, resolved from its API key. */
export interface Principal {
  projectId: string
  keyId: string
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
  }
}

/**
 * The key a request carries: `x-vigil-key`, `Authorization: Bearer <key>`, or the secret half
 * of `Authorization: Basic base64(public:secret)` (Langfuse's OTel SDKs send that).
 */
export function extractKey(headers: FastifyRequest['headers']): string | undefined {
  const direct = headers['x-vigil-key']
  if (typeof direct === 'string' && direct.length > 0) return direct.trim()
  const auth = headers.authorization
  if (typeof auth !== 'string') return undefined
  const [scheme, value] = auth.split(' ', 2)
  if (!value) return undefined
  if (scheme?.toLowerCase() === 'bearer') return value.trim()
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    return colon >= 0 ? decoded.slice(colon + 1) : undefined
  }
  return undefined
}

/** A preHandler that resolves the key to a project or answers 401. */
export function createAuthHook(authenticate: (secret: string) => Promise<Principal | null>) {
  return async (request: FastifyRequest): Promise<void> => {
    const secret = extractKey(request.headers)
    if (!secret) {
      throw new AppError(
        'UNAUTHORIZED',
        'missing API key: send Authorization: Bearer <key> or x-vigil-key: <key>',
      )
    }
    const principal = await authenticate(secret)
    if (!principal) throw new AppError('UNAUTHORIZED', 'invalid or revoked API key')
    request.principal = principal
  }
}

/** The authenticated principal of a request that passed the auth hook. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('UNAUTHORIZED', 'request is not authenticated')
  return request.principal
}
