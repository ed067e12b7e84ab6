import { INGEST_ITEM_TYPES, type IngestItemResult, type IngestResponse } from '@vigil/core'
import { arr, num, rec, str } from './fields.js'

function readIssues(value: unknown): IngestItemResult['errors'] {
  const list = arr(value)
  if (!list) return undefined
  return list.map((issue) => {
    const i = rec(issue)
    return { path: str(i?.['path']) ?? '', message: str(i?.['message']) ?? '' }
  })
}

function readRejected(value: unknown): IngestItemResult | undefined {
  const r = rec(value)
  const type = INGEST_ITEM_TYPES.find((t) => t === r?.['type'])
  const index = num(r?.['index'])
  if (!r || r['status'] !== 'rejected' || type === undefined || index === undefined) {
    return undefined
  }
  return {
    type,
    index,
    id: str(r['id']) ?? null,
    status: 'rejected',
    errors: readIssues(r['errors']),
  }
}

/**
 * Reads an ingest answer's counts and its rejected items. The server lists every accepted item
 * too; the SDK has no use for them, and validating thousands of them per batch with the wire
 * schema cost more CPU than recording the spans did.
 */
export function readIngestResponse(body: unknown): IngestResponse | undefined {
  const b = rec(body)
  const accepted = num(b?.['accepted'])
  const rejected = num(b?.['rejected'])
  const results = arr(b?.['results'])
  if (accepted === undefined || rejected === undefined || !results) return undefined
  const kept: IngestItemResult[] = []
  if (rejected > 0) {
    for (const item of results) {
      const r = readRejected(item)
      if (r) kept.push(r)
    }
  }
  return { accepted, rejected, results: kept }
}
