import { randomBytes } from 'node:crypto'

/** Makes provider-looking ids (`chatcmpl-…`, `msg_01…`) that are unique per server. */
export type IdSource = (prefix: string) => string

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** A counter behind a random per-server tag: unique without per-request randomness. */
export function createIdSource(): IdSource {
  const tag = [...randomBytes(10)].map((b) => ALPHABET[b % ALPHABET.length]).join('')
  let counter = 0
  return (prefix) => {
    counter += 1
    return `${prefix}${tag}${counter.toString(36).padStart(6, '0')}`
  }
}
