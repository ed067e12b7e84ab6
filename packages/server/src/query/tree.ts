import type { Span, SpanTreeNode } from '@vigil/core'

/** Nests spans by parentSpanId; spans whose parent is missing become roots. */
export function buildSpanTree(spans: readonly Span[]): SpanTreeNode[] {
  const nodes = new Map<string, SpanTreeNode>()
  for (const span of spans) nodes.set(span.spanId, { spanId: span.spanId, children: [] })
  const roots: SpanTreeNode[] = []
  for (const span of spans) {
    const node = nodes.get(span.spanId)!
    const parent = span.parentSpanId ? nodes.get(span.parentSpanId) : undefined
    if (parent && parent !== node) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}
