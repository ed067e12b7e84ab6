export { detectPii, PII_TYPES, redactPii } from './builtin/index.js'
export type { PiiMatch, PiiType } from './builtin/index.js'
export { cosine, hashedTfIdfVector, tfidfEmbedder, type Embedder } from './embeddings.js'
export { createEvaluationEngine, type EvaluationEngine } from './engine.js'
export {
  createJudgeEvaluator,
  judgeConfigSchema,
  type JudgeConfig,
} from './judge/judge-evaluator.js'
export { RUBRICS, type Rubric } from './judge/rubrics.js'
export {
  EVALUATION_JOB,
  EVALUATION_QUEUE,
  planEvaluationJobs,
  withEvaluationOutbox,
} from './outbox.js'
export { bleu, exactMatch, levenshtein, referenceMetrics, rouge } from './reference-metrics.js'
export {
  createEvaluatorRegistry,
  registerEvaluator,
  type EvaluatorRegistry,
  type RegisteredEvaluator,
  type VersionedEvaluator,
} from './registry.js'
export { evaluatorRoutes } from './routes.js'
export { isNegativeFeedback, traceSamplePosition } from './sampling.js'
export { createEvaluation, type Evaluation } from './setup.js'
