import type { ConfigRecord, ConfigStore } from '@vigil/core'

/** Versioned config documents in a map of version lists. */
export class MemoryConfigStore implements ConfigStore {
  readonly #docs = new Map<string, ConfigRecord[]>()

  #versions(projectId: string, kind: string, id: string): ConfigRecord[] {
    const key = `${projectId}\u0000${kind}\u0000${id}`
    let list = this.#docs.get(key)
    if (!list) {
      list = []
      this.#docs.set(key, list)
    }
    return list
  }

  put(input: Parameters<ConfigStore['put']>[0]): Promise<ConfigRecord> {
    const list = this.#versions(input.projectId, input.kind, input.id)
    const record: ConfigRecord = {
      projectId: input.projectId,
      kind: input.kind,
      id: input.id,
      version: list.length + 1,
      value: structuredClone(input.value),
      deleted: false,
      createdAt: input.now,
    }
    list.push(record)
    return Promise.resolve(structuredClone(record))
  }

  delete(input: Parameters<ConfigStore['delete']>[0]): Promise<boolean> {
    const list = this.#versions(input.projectId, input.kind, input.id)
    const last = list[list.length - 1]
    if (!last || last.deleted) return Promise.resolve(false)
    list.push({
      ...last,
      version: list.length + 1,
      value: null,
      deleted: true,
      createdAt: input.now,
    })
    return Promise.resolve(true)
  }

  get(input: Parameters<ConfigStore['get']>[0]): Promise<ConfigRecord | null> {
    const list = this.#versions(input.projectId, input.kind, input.id)
    const found = input.version === undefined ? list[list.length - 1] : list[input.version - 1]
    if (!found || found.deleted) return Promise.resolve(null)
    return Promise.resolve(structuredClone(found))
  }

  list(input: { projectId: string; kind: string }): Promise<ConfigRecord[]> {
    const prefix = `${input.projectId}\u0000${input.kind}\u0000`
    const out: ConfigRecord[] = []
    for (const [key, list] of this.#docs) {
      const last = list[list.length - 1]
      if (key.startsWith(prefix) && last && !last.deleted) out.push(structuredClone(last))
    }
    return Promise.resolve(out)
  }
}
