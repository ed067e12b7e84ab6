/** Size limits every way in shares; the server may lower (not raise) the body limits by config. */
export const LIMITS = {
  idLength: 128,
  nameLength: 512,
  shortText: 256,
  tags: 64,
  /** One text field (a message, an output, a context document). */
  textBytes: 1_000_000,
  /** Nesting depth of free-form JSON (params, metadata, message parts). */
  jsonDepth: 24,
  /** Keys in a free-form JSON object. */
  jsonKeys: 512,
  batchItems: 5_000,
} as const
