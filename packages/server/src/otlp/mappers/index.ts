import type { OtlpMapper } from '../mapper.js'
import { commonMapper } from './common.js'
import { genAiCurrentMapper } from './genai-current.js'
import { genAiLegacyMapper } from './genai-legacy.js'
import { langfuseMapper } from './langfuse.js'
import { openInferenceMapper } from './openinference.js'
import { openLlmetryMapper } from './openllmetry.js'
import { vercelAiMapper } from './vercel-ai.js'

/**
 * The mappers in priority order: every matching mapper runs, and for each field the first
 * one to set it wins. Vendor-specific conventions come before the generic GenAI names they
 * repeat (the Vercel AI SDK and Langfuse both write `gen_ai.*` beside their own attributes);
 * the current GenAI names come before their deprecated forms; plain OTel comes last.
 */
export const OTLP_MAPPERS: readonly OtlpMapper[] = [
  langfuseMapper,
  vercelAiMapper,
  openInferenceMapper,
  openLlmetryMapper,
  genAiCurrentMapper,
  genAiLegacyMapper,
  commonMapper,
]
