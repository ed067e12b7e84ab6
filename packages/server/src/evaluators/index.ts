export { detectPii, PII_TYPES, redactPii } from './builtin/index.js'
export type { PiiMatch, PiiType } from './builtin/index.js'
