export { DEFAULT_RETRY_POLICY, retryAt, type RetryPolicy } from './retry-policy.js'
export {
  createWorker,
  type JobHandler,
  type JobOutcome,
  type Worker,
  type WorkerOptions,
  type WorkerStats,
} from './worker.js'
