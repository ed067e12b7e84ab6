import { parseArgs } from 'node:util'
import { createKeyService, createProject, openStorage, parseConfig } from '@vigil/server'
import type { Storage } from '@vigil/core'
import type { Command, CommandContext } from '../command.js'

async function withStorage<T>(
  ctx: CommandContext,
  data: string | undefined,
  use: (s: Storage) => Promise<T>,
) {
  const config = parseConfig(data ? ['--data', data] : [], ctx.env)
  const storage = await openStorage({ kind: config.storage, dataDir: config.dataDir })
  try {
    return await use(storage)
  } finally {
    await storage.close()
  }
}

async function projectIdOf(storage: Storage, name: string): Promise<string> {
  const project = await storage.meta.getProjectByName(name)
  if (!project)
    throw new Error(`no project named ${name}; create it with: vigil projects create ${name}`)
  return project.id
}

const options = {
  data: { type: 'string' },
  project: { type: 'string', default: 'default' },
  name: { type: 'string', default: 'cli' },
} as const

export const keysCommand: Command = {
  name: 'keys',
  describe:
    'Create, list and revoke project API keys (works on the data directory; stop the server first)',
  usage: 'vigil keys create|list|revoke [KEY_ID] [--project NAME] [--name LABEL] [--data DIR]',
  async run(ctx) {
    const { values, positionals } = parseArgs({ args: ctx.argv, options, allowPositionals: true })
    const [action, keyId] = positionals
    return withStorage(ctx, values.data, async (storage) => {
      const keys = createKeyService({ meta: storage.meta, now: Date.now })
      const projectId = await projectIdOf(storage, values.project)
      if (action === 'create') {
        const created = await keys.create(projectId, values.name)
        ctx.out(
          `created key ${created.id} for project ${values.project}; this secret is shown once:`,
        )
        ctx.out(created.secret)
        return 0
      }
      if (action === 'list') {
        for (const k of await keys.list(projectId)) {
          ctx.out(`${k.id}\t${k.prefix}…\t${k.name}\t${k.revokedAt ? 'revoked' : 'active'}`)
        }
        return 0
      }
      if (action === 'revoke' && keyId) {
        const ok = await keys.revoke(projectId, keyId)
        ctx.out(ok ? `revoked ${keyId}` : `no key ${keyId} in project ${values.project}`)
        return ok ? 0 : 1
      }
      ctx.err(`usage: ${keysCommand.usage}`)
      return 2
    })
  },
}

export const projectsCommand: Command = {
  name: 'projects',
  describe: 'Create and list projects (works on the data directory; stop the server first)',
  usage: 'vigil projects create NAME | list [--data DIR]',
  async run(ctx) {
    const { values, positionals } = parseArgs({ args: ctx.argv, options, allowPositionals: true })
    const [action, name] = positionals
    return withStorage(ctx, values.data, async (storage) => {
      if (action === 'create' && name) {
        const project = await createProject({ meta: storage.meta, now: Date.now }, name)
        ctx.out(`created project ${project.name} (${project.id})`)
        return 0
      }
      if (action === 'list') {
        for (const p of await storage.meta.listProjects()) ctx.out(`${p.id}\t${p.name}`)
        return 0
      }
      ctx.err(`usage: ${projectsCommand.usage}`)
      return 2
    })
  },
}
