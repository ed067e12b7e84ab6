import type { Evaluator } from '@vigil/core'
import { groundednessEvaluator } from './groundedness.js'
import { injectionEvaluator } from './injection.js'
import { jsonValidityEvaluator } from './json-validity.js'
import { piiEvaluator } from './pii.js'
import { policyEvaluator } from './policy.js'
import { refusalEvaluator } from './refusal.js'
import { toxicityEvaluator } from './toxicity.js'
import { userCorrectionEvaluator } from './user-correction.js'

export { adversarialSuffixScore } from './gibberish.js'
export { groundedness, groundednessEvaluator, groundingSources } from './groundedness.js'
export type { GroundednessConfig, GroundednessResult } from './groundedness.js'
export {
  detectInjection,
  detectPromptLeak,
  INJECTION_FAMILIES,
  injectionEvaluator,
  normalizeForInjection,
} from './injection.js'
export type {
  InjectionConfig,
  InjectionFamily,
  InjectionResult,
  PromptLeakResult,
} from './injection.js'
export { checkJson, jsonValidityEvaluator, validateJsonSchema } from './json-validity.js'
export type {
  JsonSchema,
  JsonValidityConfig,
  JsonValidityResult,
  SchemaError,
} from './json-validity.js'
export { DEFAULT_PHONE_REGIONS, detectPii, PII_TYPES, piiEvaluator, redactPii } from './pii.js'
export type { DetectPiiOptions, PiiConfig, PiiMatch, PiiType } from './pii.js'
export { checkPolicies, compileRule, POLICY_SEVERITIES, policyEvaluator } from './policy.js'
export type { PolicyConfig, PolicyRule, PolicySeverity, PolicyViolation } from './policy.js'
export { detectRefusal, refusalEvaluator } from './refusal.js'
export type { RefusalConfig, RefusalResult } from './refusal.js'
export {
  DEFAULT_TOXICITY_CATEGORIES,
  detectToxicity,
  TOXICITY_CATEGORIES,
  toxicityEvaluator,
} from './toxicity.js'
export type { ToxicityCategory, ToxicityConfig, ToxicityHit, ToxicityResult } from './toxicity.js'
export { detectCorrection, userCorrectionEvaluator } from './user-correction.js'
export type { CorrectionKind, CorrectionSignal, UserCorrectionConfig } from './user-correction.js'

/**
 * The detectors that need no model and no network, ready to register. The policy evaluator is
 * listed too; it needs rules in its config to run.
 */
export const offlineEvaluators: readonly Evaluator[] = [
  piiEvaluator,
  toxicityEvaluator,
  injectionEvaluator,
  refusalEvaluator,
  groundednessEvaluator,
  jsonValidityEvaluator,
  userCorrectionEvaluator,
  policyEvaluator,
]
