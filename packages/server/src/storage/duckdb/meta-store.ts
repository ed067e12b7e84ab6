import { AppError, type ApiKeyRecord, type MetaStore, type Project } from '@vigil/core'
import { queryRows, type SerialConnection } from './connections.js'
import {
  epochMs,
  isConstraintViolation,
  readNumber,
  readOptNumber,
  readString,
  toTimestamp,
  type Row,
} from './values.js'

const PROJECT_SELECT = `id, name, ${epochMs('created_at')} AS created_at`
const KEY_SELECT = `id, project_id, name, hash, prefix, ${epochMs('created_at')} AS created_at,
  ${epochMs('revoked_at')} AS revoked_at`

const rowToProject = (r: Row): Project => ({
  id: readString(r, 'id'),
  name: readString(r, 'name'),
  createdAt: readNumber(r, 'created_at'),
})

const rowToKey = (r: Row): ApiKeyRecord => ({
  id: readString(r, 'id'),
  projectId: readString(r, 'project_id'),
  name: readString(r, 'name'),
  hash: readString(r, 'hash'),
  prefix: readString(r, 'prefix'),
  createdAt: readNumber(r, 'created_at'),
  revokedAt: readOptNumber(r, 'revoked_at'),
})

/**
 * Projects and API keys on their own connection, so an auth lookup never queues behind a slow
 * analytical read or a large append.
 */
export class DuckDbMetaStore implements MetaStore {
  readonly #meta: SerialConnection

  constructor(meta: SerialConnection) {
    this.#meta = meta
  }

  async #insert(sql: string, params: Parameters<typeof queryRows>[2], conflict: string) {
    try {
      await this.#meta.use((c) => c.run(sql, params))
    } catch (cause) {
      if (isConstraintViolation(cause)) throw new AppError('CONFLICT', conflict, { cause })
      throw cause
    }
  }

  #rows(sql: string, params?: Parameters<typeof queryRows>[2]): Promise<Row[]> {
    return this.#meta.use((c) => queryRows(c, sql, params))
  }

  async createProject(project: Project): Promise<void> {
    await this.#insert(
      'INSERT INTO projects (id, name, created_at) VALUES ($id, $name, $created_at)',
      { id: project.id, name: project.name, created_at: toTimestamp(project.createdAt) },
      `project ${project.name} already exists`,
    )
  }

  async getProject(id: string): Promise<Project | null> {
    const [row] = await this.#rows(`SELECT ${PROJECT_SELECT} FROM projects WHERE id = $id`, { id })
    return row ? rowToProject(row) : null
  }

  async getProjectByName(name: string): Promise<Project | null> {
    const sql = `SELECT ${PROJECT_SELECT} FROM projects WHERE name = $name`
    const [row] = await this.#rows(sql, { name })
    return row ? rowToProject(row) : null
  }

  async listProjects(): Promise<Project[]> {
    const rows = await this.#rows(`SELECT ${PROJECT_SELECT} FROM projects ORDER BY created_at, id`)
    return rows.map(rowToProject)
  }

  async createApiKey(key: ApiKeyRecord): Promise<void> {
    await this.#insert(
      `INSERT INTO api_keys (id, project_id, name, hash, prefix, created_at, revoked_at)
       VALUES ($id, $project_id, $name, $hash, $prefix, $created_at, $revoked_at)`,
      {
        id: key.id,
        project_id: key.projectId,
        name: key.name,
        hash: key.hash,
        prefix: key.prefix,
        created_at: toTimestamp(key.createdAt),
        revoked_at: key.revokedAt === null ? null : toTimestamp(key.revokedAt),
      },
      'an API key with this secret already exists',
    )
  }

  async findApiKeyByHash(hash: string): Promise<ApiKeyRecord | null> {
    const [row] = await this.#rows(`SELECT ${KEY_SELECT} FROM api_keys WHERE hash = $hash`, {
      hash,
    })
    return row ? rowToKey(row) : null
  }

  async listApiKeys(projectId: string): Promise<ApiKeyRecord[]> {
    const sql = `SELECT ${KEY_SELECT} FROM api_keys WHERE project_id = $project_id
      ORDER BY created_at, id`
    return (await this.#rows(sql, { project_id: projectId })).map(rowToKey)
  }

  /** The first revocation time stands; revoking again still answers true. */
  async revokeApiKey(projectId: string, keyId: string, at: number): Promise<boolean> {
    const result = await this.#meta.use((c) =>
      c.run(
        `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $at)
         WHERE project_id = $project_id AND id = $id`,
        { at: toTimestamp(at), project_id: projectId, id: keyId },
      ),
    )
    return result.rowsChanged > 0
  }
}
