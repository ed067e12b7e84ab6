import { AppError, type ApiKeyRecord, type MetaStore, type Project } from '@vigil/core'

/** Projects and keys in maps; the reference behaviour for the storage contract. */
export class MemoryMetaStore implements MetaStore {
  readonly #projects = new Map<string, Project>()
  readonly #keys = new Map<string, ApiKeyRecord>()

  createProject(project: Project): Promise<void> {
    const clash = [...this.#projects.values()].some(
      (p) => p.id === project.id || p.name === project.name,
    )
    if (clash) {
      return Promise.reject(new AppError('CONFLICT', `project ${project.name} already exists`))
    }
    this.#projects.set(project.id, { ...project })
    return Promise.resolve()
  }

  getProject(id: string): Promise<Project | null> {
    const found = this.#projects.get(id)
    return Promise.resolve(found ? { ...found } : null)
  }

  getProjectByName(name: string): Promise<Project | null> {
    const found = [...this.#projects.values()].find((p) => p.name === name)
    return Promise.resolve(found ? { ...found } : null)
  }

  listProjects(): Promise<Project[]> {
    return Promise.resolve([...this.#projects.values()].map((p) => ({ ...p })))
  }

  createApiKey(key: ApiKeyRecord): Promise<void> {
    if ([...this.#keys.values()].some((k) => k.hash === key.hash || k.id === key.id)) {
      return Promise.reject(new AppError('CONFLICT', 'an API key with this secret already exists'))
    }
    this.#keys.set(key.id, { ...key })
    return Promise.resolve()
  }

  findApiKeyByHash(hash: string): Promise<ApiKeyRecord | null> {
    const found = [...this.#keys.values()].find((k) => k.hash === hash)
    return Promise.resolve(found ? { ...found } : null)
  }

  listApiKeys(projectId: string): Promise<ApiKeyRecord[]> {
    return Promise.resolve(
      [...this.#keys.values()].filter((k) => k.projectId === projectId).map((k) => ({ ...k })),
    )
  }

  revokeApiKey(projectId: string, keyId: string, at: number): Promise<boolean> {
    const key = this.#keys.get(keyId)
    if (!key || key.projectId !== projectId) return Promise.resolve(false)
    key.revokedAt = key.revokedAt ?? at
    return Promise.resolve(true)
  }
}
