import type { LightMyRequestResponse } from 'fastify'
import { testConfig, type Config } from './config.js'
import { startServer, type RunningServer } from './main.js'

export const TEST_KEY = 'vk_test_default_project_key'

/** A server on memory storage (unless overridden) with TEST_KEY valid for the default project. */
export async function startTestServer(overrides: Partial<Config> = {}): Promise<RunningServer> {
  return startServer(testConfig({ apiKey: TEST_KEY, ...overrides }))
}

/** Injects a JSON request with a key; `key: null` sends none. */
export async function call(
  server: RunningServer,
  options: {
    method: 'GET' | 'POST' | 'PUT' | 'DELETE'
    url: string
    body?: unknown
    key?: string | null
    headers?: Record<string, string>
  },
): Promise<LightMyRequestResponse> {
  const key = options.key === undefined ? TEST_KEY : options.key
  const headers: Record<string, string> = { ...(options.headers ?? {}) }
  if (key !== null) headers['authorization'] = `Bearer ${key}`
  return server.app.inject({
    method: options.method,
    url: options.url,
    headers,
    ...(options.body === undefined ? {} : { payload: options.body as object }),
  })
}
