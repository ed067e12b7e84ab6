import type {
  ContextDocument,
  CostMap,
  JsonValue,
  ScoreInput,
  SpanIo,
  SpanKind,
  UsageMap,
} from '@vigil/core'

/** The LLM fields a mapper can fill. */
export interface DraftFields {
  kind: SpanKind
  provider: string
  requestModel: string
  responseModel: string
  params: Record<string, JsonValue>
  input: SpanIo
  output: SpanIo
  finishReason: string
  usage: UsageMap
  cost: CostMap
  ttftMs: number
  context: ContextDocument[]
  userId: string
  sessionId: string
  feature: string
  environment: string
  release: string
  tags: string[]
  promptName: string
  promptVersion: string
  statusMessage: string
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true
  if (Array.isArray(value)) return value.length === 0
  if (typeof value === 'number') return !Number.isFinite(value)
  if (typeof value === 'object') return Object.keys(value).length === 0
  return false
}

/**
 * What the mappers know about one span so far. Mappers run in priority order and the first
 * one to set a field wins, so a more specific convention (Langfuse's own attributes, the
 * Vercel AI SDK's) takes precedence over the generic GenAI names it also repeats.
 */
export class SpanDraft {
  readonly fields: Partial<DraftFields> = {}
  /** Extra metadata a mapper decoded (parsed JSON metadata, aggregate usage). */
  readonly metadata: Record<string, JsonValue> = {}
  readonly scores: ScoreInput[] = []
  /** Indices of span events a mapper turned into fields or scores. */
  readonly consumedEvents = new Set<number>()
  /** Set by a mapper that knows this span repeats its children's usage (see count-once.ts). */
  usageIsAggregate = false
  /** Set when the telemetry says the span failed in an attribute (not in the OTel status). */
  failed = false

  /** Sets a field unless an earlier mapper already did; empty values are ignored. */
  set<K extends keyof DraftFields>(key: K, value: DraftFields[K] | undefined | null): void {
    if (this.fields[key] !== undefined || isEmpty(value)) return
    this.fields[key] = value as DraftFields[K]
  }

  has(key: keyof DraftFields): boolean {
    return this.fields[key] !== undefined
  }

  addScore(score: ScoreInput): void {
    this.scores.push(score)
  }
}
