import { ioText, type ContextDocument, type Span } from '@vigil/core'

/**
 * The span with the grounding its trace carries. A generation span often has no `context` of its
 * own while a retrieval span of the same trace, run before it, holds the documents (OTLP and
 * SDK traces look like that); those documents are attached — the retrieval span's `context`, or
 * its output when it has none. A span with context of its own, or a trace without retrieval,
 * is returned as is (gateway-only traffic: judges then read the prompt itself).
 */
export function withTraceContext(span: Span, traceSpans: readonly Span[]): Span {
  if (span.context !== null && span.context.length > 0) return span
  const documents: ContextDocument[] = []
  for (const other of traceSpans) {
    if (other.kind !== 'retrieval' || other.spanId === span.spanId) continue
    if (other.startTime > span.startTime) continue
    if (other.context !== null && other.context.length > 0) {
      documents.push(...other.context)
      continue
    }
    const text = ioText(other.output)
    if (text.length > 0) documents.push({ id: other.spanId, content: text })
  }
  return documents.length === 0 ? span : { ...span, context: documents }
}
