import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { exited, spawnServe } from '../../server/test/serve-process.js'

const run = promisify(execFile)
const BIN = fileURLToPath(new URL('../bin/vigil.js', import.meta.url))
const vigil = (...args: string[]) => run(process.execPath, [BIN, ...args], { env: process.env })

describe('vigil CLI', () => {
  const dirs: string[] = []
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true })
  })

  it(
    'prints help for the binary and each command, and fails clearly on unknown commands',
    { timeout: 120_000 },
    async () => {
      const help = await vigil('--help')
      expect(help.stdout).toMatch(/serve/)
      expect((await vigil('serve', '--help')).stdout).toMatch(/--port/)
      await expect(vigil('frobnicate')).rejects.toMatchObject({ code: 2 })
    },
  )

  it(
    'creates a project and a key on the data directory that the server then accepts',
    { timeout: 180_000 },
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'vigil-cli-'))
      dirs.push(dataDir)
      // the first start creates the default project
      const first = await spawnServe({ dataDir, apiKey: 'vk_bootstrap' })
      first.child.kill('SIGTERM')
      await exited(first.child)
      expect((await vigil('projects', 'create', 'shop', '--data', dataDir)).stdout).toMatch(
        /created project shop/,
      )
      const created = await vigil(
        'keys',
        'create',
        '--project',
        'shop',
        '--name',
        'ci',
        '--data',
        dataDir,
      )
      const secret = created.stdout.trim().split('\n').pop()!
      expect(secret).toMatch(/^vk_/)
      const listed = await vigil('keys', 'list', '--project', 'shop', '--data', dataDir)
      expect(listed.stdout).toMatch(/ci\tactive/)
      expect(listed.stdout).not.toContain(secret)

      const server = await spawnServe({ dataDir, apiKey: 'vk_bootstrap' })
      try {
        const res = await fetch(`${server.url}/api/v1/keys`, {
          headers: { authorization: `Bearer ${secret}` },
        })
        expect(res.status).toBe(200)
      } finally {
        server.child.kill('SIGTERM')
        await exited(server.child)
      }
    },
  )
})
