export {
  createCommitter,
  type Committer,
  type CommitterOptions,
  type CommitterStats,
} from './committer.js'
export { ingest, type IngestDeps, type IngestRequestContext, type IngestResult } from './ingest.js'
export { ingestRoutes } from './routes.js'
