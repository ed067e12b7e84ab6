import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import {
  startFakeLlm,
  startServer,
  testConfig,
  type FakeLlm,
  type RunningServer,
} from '@vigil/server'
import type { AppError, IngestItemResult, traceResponseSchema } from '@vigil/core'
import type { z } from 'zod'

export type { FakeLlm, RunningServer }
export { startFakeLlm }

/** The project key the test server accepts. */
export const TEST_KEY = 'vk_sdk_test_project_key'

/** A real Vigil server, in process, on memory storage. */
export function startVigil(): Promise<RunningServer> {
  return startServer(testConfig({ apiKey: TEST_KEY }))
}

/** A trace as the API returns it. */
export type TraceBody = z.infer<typeof traceResponseSchema>

/** A posted ingest batch, as the SDK serialized it. */
export interface IngestBody {
  spans?: Record<string, unknown>[]
  scores?: Record<string, unknown>[]
  feedback?: Record<string, unknown>[]
}

/** GET /api/v1/traces/:id through the public API. */
export async function getTrace(
  server: { url: string },
  traceId: string,
): Promise<{ status: number; body: TraceBody }> {
  const res = await fetch(`${server.url}/api/v1/traces/${traceId}`, {
    headers: { authorization: `Bearer ${TEST_KEY}` },
  })
  return { status: res.status, body: (await res.json()) as TraceBody }
}

/** One request a stub server saw, body decoded. */
export interface StubRequest {
  url: string
  headers: IncomingHttpHeaders
  rawBytes: number
  body: IngestBody
}

/** What a stub answers. */
export interface StubAnswer {
  status: number
  headers?: Record<string, string>
  body?: unknown
}

/** A scriptable ingest endpoint: answers each request with `answer(n)` (n counts from 0). */
export async function startStub(
  answer: (n: number, request: StubRequest) => StubAnswer | Promise<StubAnswer>,
): Promise<{ url: string; requests: StubRequest[]; close(): Promise<void> }> {
  const requests: StubRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks)
      const text = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw
      const request = {
        url: req.url ?? '',
        headers: req.headers,
        rawBytes: raw.length,
        body: JSON.parse(String(text)) as IngestBody,
      }
      requests.push(request)
      void Promise.resolve(answer(requests.length - 1, request)).then((a) => {
        res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers })
        res.end(a.body === undefined ? '' : JSON.stringify(a.body))
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** An ingest answer accepting every item of `request`. */
export function acceptAll(request: StubRequest): StubAnswer {
  const { spans = [], scores = [], feedback = [] } = request.body
  const results: IngestItemResult[] = [
    ...spans.map((s, index) => accepted('span', index, s['spanId'])),
    ...scores.map((s, index) => accepted('score', index, s['scoreId'])),
    ...feedback.map((f, index) => accepted('feedback', index, f['feedbackId'])),
  ]
  return { status: 200, body: { accepted: results.length, rejected: 0, results } }
}

function accepted(type: IngestItemResult['type'], index: number, id: unknown): IngestItemResult {
  return { type, index, id: typeof id === 'string' ? id : null, status: 'accepted' }
}

/** Collects what the SDK reports. */
export function errorLog(): { errors: AppError[]; onError: (e: AppError) => void } {
  const errors: AppError[] = []
  return { errors, onError: (e) => errors.push(e) }
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** The spans of a trace by name (names are unique in the tests that use this). */
export async function spansByName(
  server: { url: string },
  traceId: string,
): Promise<Record<string, Record<string, unknown>>> {
  const { body } = await getTrace(server, traceId)
  return Object.fromEntries(body.spans.map((s) => [s.name, s as Record<string, unknown>]))
}
