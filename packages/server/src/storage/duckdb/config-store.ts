import type { DuckDBConnection } from '@duckdb/node-api'
import type { ConfigRecord, ConfigStore, JsonValue } from '@vigil/core'
import { queryRows, type SerialConnection } from './connections.js'
import {
  epochMs,
  readBoolean,
  readJson,
  readNumber,
  readString,
  toTimestamp,
  type Row,
} from './values.js'

const CONFIG_SELECT = `project_id, kind, id, version, value, deleted, ${epochMs('created_at')} AS created_at`

const rowToConfig = (r: Row): ConfigRecord => ({
  projectId: readString(r, 'project_id'),
  kind: readString(r, 'kind'),
  id: readString(r, 'id'),
  version: readNumber(r, 'version'),
  value: readJson<JsonValue>(r, 'value'),
  deleted: readBoolean(r, 'deleted'),
  createdAt: readNumber(r, 'created_at'),
})

interface DocKey {
  projectId: string
  kind: string
  id: string
}

const keyParams = (k: DocKey) => ({ project_id: k.projectId, kind: k.kind, id: k.id })
const KEY_WHERE = 'project_id = $project_id AND kind = $kind AND id = $id'

async function latest(c: DuckDBConnection, key: DocKey): Promise<ConfigRecord | null> {
  const [row] = await queryRows(
    c,
    `SELECT ${CONFIG_SELECT} FROM configs WHERE ${KEY_WHERE} ORDER BY version DESC LIMIT 1`,
    keyParams(key),
  )
  return row ? rowToConfig(row) : null
}

async function insertVersion(c: DuckDBConnection, record: ConfigRecord): Promise<void> {
  await c.run(
    `INSERT INTO configs (project_id, kind, id, version, value, deleted, created_at)
     VALUES ($project_id, $kind, $id, $version, $value, $deleted, $created_at)`,
    {
      ...keyParams(record),
      version: record.version,
      value: JSON.stringify(record.value),
      deleted: record.deleted,
      created_at: toTimestamp(record.createdAt),
    },
  )
}

/** Versioned config documents; versions are numbered inside a transaction on the meta connection. */
export class DuckDbConfigStore implements ConfigStore {
  readonly #meta: SerialConnection

  constructor(meta: SerialConnection) {
    this.#meta = meta
  }

  put(input: Parameters<ConfigStore['put']>[0]): Promise<ConfigRecord> {
    return this.#meta.transaction(async (c) => {
      const previous = await latest(c, input)
      const record: ConfigRecord = {
        projectId: input.projectId,
        kind: input.kind,
        id: input.id,
        version: (previous?.version ?? 0) + 1,
        value: input.value,
        deleted: false,
        createdAt: input.now,
      }
      await insertVersion(c, record)
      return structuredClone(record)
    })
  }

  delete(input: Parameters<ConfigStore['delete']>[0]): Promise<boolean> {
    return this.#meta.transaction(async (c) => {
      const previous = await latest(c, input)
      if (!previous || previous.deleted) return false
      const tombstone = { ...previous, version: previous.version + 1, value: null, deleted: true }
      await insertVersion(c, { ...tombstone, createdAt: input.now })
      return true
    })
  }

  async get(input: Parameters<ConfigStore['get']>[0]): Promise<ConfigRecord | null> {
    const found = await this.#meta.use(async (c) => {
      if (input.version === undefined) return latest(c, input)
      const sql = `SELECT ${CONFIG_SELECT} FROM configs WHERE ${KEY_WHERE} AND version = $version`
      const [row] = await queryRows(c, sql, { ...keyParams(input), version: input.version })
      return row ? rowToConfig(row) : null
    })
    return found && !found.deleted ? found : null
  }

  async list(input: { projectId: string; kind: string }): Promise<ConfigRecord[]> {
    const rows = await this.#meta.use((c) =>
      queryRows(
        c,
        `SELECT ${CONFIG_SELECT} FROM configs
         WHERE project_id = $project_id AND kind = $kind
         QUALIFY row_number() OVER (PARTITION BY id ORDER BY version DESC) = 1`,
        { project_id: input.projectId, kind: input.kind },
      ),
    )
    return rows.map(rowToConfig).filter((r) => !r.deleted)
  }
}
