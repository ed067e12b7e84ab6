import { PassThrough, type Readable, type Transform } from 'node:stream'
import { createGunzip, createInflate } from 'node:zlib'
import { AppError } from '@vigil/core'
import type { FastifyRequest } from 'fastify'

/**
 * Fastify preParsing hook: decodes gzip/deflate bodies. Fastify applies bodyLimit to the
 * stream returned here, so the limit bounds the decoded size (no zip bombs).
 */
export function decodeContentEncoding(
  request: FastifyRequest,
  _reply: unknown,
  payload: Readable,
): Promise<Readable> {
  const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase()
  if (encoding === 'identity' || encoding === '') return Promise.resolve(payload)
  let decoder: Transform
  if (encoding === 'gzip' || encoding === 'x-gzip') decoder = createGunzip()
  else if (encoding === 'deflate') decoder = createInflate()
  else {
    return Promise.reject(
      new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        `content-encoding ${encoding} is not supported; use gzip`,
      ),
    )
  }
  const out: PassThrough & { receivedEncodedLength?: number } = new PassThrough()
  out.receivedEncodedLength = 0
  payload.on('data', (chunk: Buffer) => {
    out.receivedEncodedLength = (out.receivedEncodedLength ?? 0) + chunk.length
  })
  decoder.on('error', (cause) => {
    out.destroy(new AppError('INVALID_INPUT', `body is not valid ${encoding}`, { cause }))
  })
  payload.pipe(decoder).pipe(out)
  return Promise.resolve(out)
}
