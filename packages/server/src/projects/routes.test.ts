import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunningServer } from '../main.js'
import { call, startTestServer, TEST_KEY } from '../testing.js'
import { createProject } from './bootstrap.js'

const span = {
  traceId: 'secret-trace',
  spanId: 'root',
  name: 'chat',
  startTime: Date.UTC(2026, 10, 1),
  userId: 'u',
}

describe('projects and keys', () => {
  let server: RunningServer
  let keyB: string
  beforeEach(async () => {
    server = await startTestServer()
    const project = await createProject(
      { meta: server.deps.storage.meta, now: Date.now },
      'project-b',
    )
    keyB = (await server.deps.keys.create(project.id, 'b')).secret
  })
  afterEach(async () => {
    await server.close()
  })

  it("never lets project A's key read project B's data", async () => {
    expect(
      (
        await call(server, {
          method: 'POST',
          url: '/api/v1/ingest',
          body: { spans: [span] },
          key: keyB,
        })
      ).statusCode,
    ).toBe(200)
    expect(
      (await call(server, { method: 'GET', url: '/api/v1/traces/secret-trace', key: keyB }))
        .statusCode,
    ).toBe(200)
    expect(
      (await call(server, { method: 'GET', url: '/api/v1/traces/secret-trace', key: TEST_KEY }))
        .statusCode,
    ).toBe(404)
    const listA = await call(server, {
      method: 'GET',
      url: '/api/v1/spans?traceId=secret-trace',
      key: TEST_KEY,
    })
    expect(listA.json().data).toEqual([])
    const keysA = (await call(server, { method: 'GET', url: '/api/v1/keys', key: TEST_KEY })).json()
      .data
    expect(keysA.map((k: { name: string }) => k.name)).toEqual(['VIGIL_API_KEY'])
  })

  it('creates a key shown once, stores only its hash, and revokes it', async () => {
    const created = await call(server, {
      method: 'POST',
      url: '/api/v1/keys',
      body: { name: 'ci' },
    })
    expect(created.statusCode).toBe(201)
    const { id, secret } = created.json()
    expect(secret).toMatch(/^vk_/)
    const stored = await server.deps.storage.meta.listApiKeys(server.defaultProjectId)
    expect(JSON.stringify(stored)).not.toContain(secret)
    expect(
      (await call(server, { method: 'GET', url: '/api/v1/keys', key: secret })).statusCode,
    ).toBe(200)
    expect((await call(server, { method: 'DELETE', url: `/api/v1/keys/${id}` })).statusCode).toBe(
      204,
    )
    expect(
      (await call(server, { method: 'GET', url: '/api/v1/keys', key: secret })).statusCode,
    ).toBe(401)
  })

  it("cannot revoke another project's key", async () => {
    const keysB = await server.deps.keys.list(
      (await server.deps.storage.meta.getProjectByName('project-b'))!.id,
    )
    const res = await call(server, {
      method: 'DELETE',
      url: `/api/v1/keys/${keysB[0]!.id}`,
      key: TEST_KEY,
    })
    expect(res.statusCode).toBe(404)
    expect((await call(server, { method: 'GET', url: '/api/v1/keys', key: keyB })).statusCode).toBe(
      200,
    )
  })
})
