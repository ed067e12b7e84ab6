export { bootstrapProjects, createProject, DEFAULT_PROJECT_NAME } from './bootstrap.js'
export { createKeyService, hashKey, type CreatedKey, type KeyService } from './keys.js'
export { keyRoutes } from './routes.js'
