import { AppError, type IngestItemType, type IngestResponse } from '@vigil/core'

/** One serialized item waiting to be sent. */
export interface QueueItem {
  type: IngestItemType
  /** The item as JSON, serialized when it was recorded (later mutations by the host don't leak in). */
  json: string
  /** Feedback the server must read stored spans for (edit distance): never sent beside spans. */
  afterSpans?: boolean
}

/** A batch ready to post: its items and the request body. */
export interface Batch {
  items: QueueItem[]
  json: string
}

const KEYS = { span: 'spans', score: 'scores', feedback: 'feedback' } as const

/** Builds `{spans, scores, feedback}` by joining pre-serialized items (no second stringify). */
export function toBatch(items: QueueItem[]): Batch {
  const parts: Record<IngestItemType, string[]> = { span: [], score: [], feedback: [] }
  for (const item of items) parts[item.type].push(item.json)
  const fields: string[] = []
  for (const type of ['span', 'score', 'feedback'] as const) {
    if (parts[type].length > 0) fields.push(`"${KEYS[type]}":[${parts[type].join(',')}]`)
  }
  return { items, json: `{${fields.join(',')}}` }
}

const MAX_ISSUES = 20

/** Describes the items a 207/400 answer rejected, for the error sink. */
export function rejectionError(response: IngestResponse): AppError {
  const rejected = response.results.filter((r) => r.status === 'rejected')
  const issues = rejected
    .flatMap((r) => r.errors ?? [{ path: `${KEYS[r.type]}[${r.index}]`, message: 'rejected' }])
    .slice(0, MAX_ISSUES)
  const first = rejected[0]
  const sample = first
    ? ` (first: ${first.type} ${first.id ?? `#${first.index}`}: ${
        issues[0] ? `${issues[0].path} ${issues[0].message}` : 'rejected'
      })`
    : ''
  return new AppError(
    'INVALID_INPUT',
    `ingest rejected ${response.rejected} of ${response.rejected + response.accepted} items${sample}`,
    { details: { issues } },
  )
}
