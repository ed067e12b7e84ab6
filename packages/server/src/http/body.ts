import { PassThrough, type Readable, type Transform } from 'node:stream'
import { createGunzip, createInflate } from 'node:zlib'
import { AppError } from '@vigil/core'
import { errorCodes, type FastifyRequest } from 'fastify'

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

const has = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key)

/**
 * Throws when a parsed document holds a `__proto__` key or a `constructor.prototype`, as
 * Fastify's default parser does; a walk over the parsed objects instead of its regex scans of
 * the text, which took 7% of the server's CPU on 2.5 MB ingest batches.
 */
function rejectPrototypeKeys(root: unknown): void {
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const node = stack.pop()
    if (typeof node !== 'object' || node === null) continue
    if (has(node, '__proto__')) throw new SyntaxError('object contains forbidden key __proto__')
    const ctor = (node as Record<string, unknown>)['constructor']
    if (has(node, 'constructor') && typeof ctor === 'object' && ctor !== null) {
      if (has(ctor, 'prototype'))
        throw new SyntaxError('object contains forbidden constructor.prototype')
    }
    if (Array.isArray(node)) {
      for (const value of node) if (typeof value === 'object') stack.push(value)
    } else {
      for (const key in node) {
        const value = (node as Record<string, unknown>)[key]
        if (typeof value === 'object') stack.push(value)
      }
    }
  }
}

/** The JSON body parser for every route (Fastify's, with the cheaper prototype check). */
export function parseJsonBody(
  _request: FastifyRequest,
  body: string | Buffer,
  done: (error: Error | null, value?: unknown) => void,
): void {
  const text = typeof body === 'string' ? body : body.toString('utf8')
  if (text.length === 0) {
    done(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY())
    return
  }
  try {
    const value: unknown = JSON.parse(text)
    rejectPrototypeKeys(value)
    done(null, value)
  } catch (error) {
    done(error as Error)
  }
}
