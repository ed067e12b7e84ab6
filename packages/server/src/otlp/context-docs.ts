import type { ContextDocument } from '@vigil/core'
import { parseMaybeJson } from './attributes.js'
import type { AttrValue } from './types.js'

type Obj = Record<string, AttrValue>

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Retrieved documents in the shapes the conventions use: GenAI `{id, score, content}`,
 * OpenInference `{document: {id, score, content, metadata}}`, or plain strings.
 */
export function toContextDocuments(value: AttrValue | undefined): ContextDocument[] | undefined {
  const list = parseMaybeJson(value)
  if (!Array.isArray(list)) return undefined
  const docs: ContextDocument[] = []
  for (const item of list) {
    if (typeof item === 'string') {
      docs.push({ content: item })
      continue
    }
    if (!isObj(item)) continue
    const raw = isObj(item['document']) ? item['document'] : item
    const content = raw['content'] ?? raw['text'] ?? raw['page_content']
    const doc: ContextDocument = {
      content:
        typeof content === 'string'
          ? content
          : content === undefined || content === null
            ? ''
            : JSON.stringify(content),
    }
    const id = raw['id']
    if (typeof id === 'string' || typeof id === 'number') doc.id = String(id)
    if (typeof raw['score'] === 'number') doc.score = raw['score']
    if (typeof raw['source'] === 'string') doc.source = raw['source']
    const metadata = parseMaybeJson(raw['metadata'])
    if (isObj(metadata)) doc.metadata = metadata
    docs.push(doc)
  }
  return docs.length > 0 ? docs : undefined
}
