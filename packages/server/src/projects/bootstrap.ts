import { randomHexId, type MetaStore, type Project } from '@vigil/core'
import type { KeyService } from './keys.js'

export const DEFAULT_PROJECT_NAME = 'default'

/** Creates the `default` project on first start and registers VIGIL_API_KEY for it. */
export async function bootstrapProjects(deps: {
  meta: MetaStore
  keys: KeyService
  now: () => number
  apiKey?: string | undefined
}): Promise<Project> {
  let project = await deps.meta.getProjectByName(DEFAULT_PROJECT_NAME)
  if (!project) {
    project = { id: `prj_${randomHexId(8)}`, name: DEFAULT_PROJECT_NAME, createdAt: deps.now() }
    await deps.meta.createProject(project)
  }
  if (deps.apiKey) {
    await deps.keys.register({ projectId: project.id, name: 'VIGIL_API_KEY', secret: deps.apiKey })
  }
  return project
}

/** Creates a project with a fresh id. */
export async function createProject(deps: { meta: MetaStore; now: () => number }, name: string) {
  const project: Project = { id: `prj_${randomHexId(8)}`, name, createdAt: deps.now() }
  await deps.meta.createProject(project)
  return project
}
