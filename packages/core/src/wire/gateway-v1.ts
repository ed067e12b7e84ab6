import { z } from 'zod'

const usdPerMillion = z.number().finite().nonnegative()

/** A per-project model price, USD per 1M tokens per usage bucket (and per request). */
export const modelPriceSchema = z
  .object({
    input: usdPerMillion,
    output: usdPerMillion,
    cache_read: usdPerMillion.optional().describe('default: the input price'),
    cache_write: usdPerMillion.optional().describe('default: the input price'),
    reasoning: usdPerMillion.optional().describe('default: the output price'),
    request: z.number().finite().nonnegative().optional().describe('USD per request'),
  })
  .strict()
export type ModelPrice = z.infer<typeof modelPriceSchema>

/** A custom price as the API returns it. */
export const modelPriceOutputSchema = modelPriceSchema.extend({
  model: z.string(),
  version: z.number().int(),
  updatedAt: z.number(),
})

const httpUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value)
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === ''
    } catch {
      return false
    }
  }, 'must be an http(s) URL without a query string')

/** Where the gateway sends one provider's calls for a project. */
export const upstreamSettingSchema = z
  .object({
    baseUrl: httpUrl.describe(
      'the provider root, e.g. https://api.openai.com; the client path (/v1/…) is appended',
    ),
    timeoutMs: z
      .number()
      .int()
      .positive()
      .max(3_600_000)
      .optional()
      .describe('time to the response headers and between body chunks; default 600000'),
  })
  .strict()
export type UpstreamSetting = z.infer<typeof upstreamSettingSchema>

/** The upstream in force for a provider, and whether the project or the server chose it. */
export const upstreamOutputSchema = z.object({
  provider: z.string(),
  baseUrl: z.string(),
  timeoutMs: z.number().int(),
  source: z.enum(['project', 'default']),
})

/** Redaction of personal data before gateway calls are stored. */
export const redactionSettingSchema = z
  .object({
    enabled: z.boolean(),
    types: z
      .array(z.string().max(64))
      .max(16)
      .optional()
      .describe('PII types to redact; default email, phone, credit_card'),
  })
  .strict()
export type RedactionSetting = z.infer<typeof redactionSettingSchema>

/** What the gateway could and could not record for a project since the process started. */
export const gatewayStatsSchema = z.object({
  recorded: z.number().int(),
  dropped: z.number().int().describe('not recorded: the recording queue was full'),
  failed: z.number().int().describe('not recorded: storage refused or failed'),
  rejected: z.number().int().describe('recorded without content: the span did not validate'),
})
