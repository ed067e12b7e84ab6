import type { Score } from '../model/score.js'
import type { Span, SpanKind, SpanStatus } from '../model/span.js'
import type { SpanCursor } from '../wire/query-v1.js'
import type { ConfigStore } from './config-store.js'
import type { JobQueue, NewJob } from './job-queue.js'

/** Which spans a read wants; every read is scoped to one project. */
export interface SpanFilter {
  projectId: string
  /** Inclusive lower bound on startTime (epoch ms). */
  from?: number | undefined
  /** Exclusive upper bound on startTime (epoch ms). */
  to?: number | undefined
  traceId?: string | undefined
  model?: string | undefined
  userId?: string | undefined
  sessionId?: string | undefined
  feature?: string | undefined
  kind?: SpanKind | undefined
  status?: SpanStatus | undefined
  /** Spans that have a score of this name on themselves or on their trace, optionally in a range. */
  score?: { name: string; min?: number | undefined; max?: number | undefined } | undefined
  /** Case-insensitive substring of the input or output text. */
  text?: string | undefined
}

/** A page of spans, newest first (startTime, traceId, spanId descending). */
export interface SpanQuery extends SpanFilter {
  limit: number
  cursor?: SpanCursor | undefined
}

export interface Page<T> {
  items: T[]
  nextCursor: SpanCursor | null
}

/** What one group commit writes: all of it in one transaction. */
export interface AppendBatch {
  spans: readonly Span[]
  scores: readonly Score[]
  /**
   * Jobs to enqueue in the same transaction (a transactional outbox: work that must follow
   * these events, such as their evaluation, is durable exactly when they are). Known ids are
   * ignored, as in JobQueue.enqueue.
   */
  jobs?: readonly NewJob[] | undefined
}

/** How many rows were new; the rest had ids already stored and were ignored. */
export interface AppendResult {
  spansInserted: number
  scoresInserted: number
}

export interface TraceRecord {
  spans: Span[]
  scores: Score[]
}

/** Append-only wide events. A span is keyed by (projectId, traceId, spanId); a score by (projectId, scoreId). */
export interface EventStore {
  /** Writes the batch in one transaction; rows whose key is already stored are skipped. */
  append(batch: AppendBatch): Promise<AppendResult>
  /** The spans (by startTime) and scores of one trace, or null when it has no span. */
  getTrace(projectId: string, traceId: string): Promise<TraceRecord | null>
  listSpans(query: SpanQuery): Promise<Page<Span>>
}

export interface Project {
  id: string
  name: string
  createdAt: number
}

/** An API key as stored: only the SHA-256 of the secret, plus a short prefix to recognise it. */
export interface ApiKeyRecord {
  id: string
  projectId: string
  name: string
  hash: string
  prefix: string
  createdAt: number
  revokedAt: number | null
}

/** Small transactional configuration: projects and keys (rules, evaluators, … later). */
export interface MetaStore {
  createProject(project: Project): Promise<void>
  getProject(id: string): Promise<Project | null>
  getProjectByName(name: string): Promise<Project | null>
  listProjects(): Promise<Project[]>
  /** Stores a key; a key whose hash is already stored is a CONFLICT. */
  createApiKey(key: ApiKeyRecord): Promise<void>
  findApiKeyByHash(hash: string): Promise<ApiKeyRecord | null>
  listApiKeys(projectId: string): Promise<ApiKeyRecord[]>
  /** Marks a key revoked; false when the project has no such key. */
  revokeApiKey(projectId: string, keyId: string, at: number): Promise<boolean>
}

/** One storage backend: both faces, opened and migrated by its adapter's `open` function. */
export interface Storage {
  readonly name: string
  readonly events: EventStore
  readonly meta: MetaStore
  readonly configs: ConfigStore
  readonly jobs: JobQueue
  close(): Promise<void>
}
