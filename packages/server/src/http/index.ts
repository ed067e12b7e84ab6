export { createAuthHook, extractKey, principalOf, type Principal } from './auth.js'
export { decodeContentEncoding, parseJsonBody } from './body.js'
export { errorBody, fromFastifyError, handleError, HTTP_STATUS } from './errors.js'
export { parseWith } from './validate.js'
