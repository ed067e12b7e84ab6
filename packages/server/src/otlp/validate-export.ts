import { AppError } from '@vigil/core'
import type { OtlpExport } from './types.js'

const TRACE_ID = /^[0-9a-f]{32}$/
const SPAN_ID = /^[0-9a-f]{16}$/
const ZERO_TRACE = '0'.repeat(32)
const ZERO_SPAN = '0'.repeat(16)

/**
 * Rejects the whole export when a span has a missing or invalid trace or span id, as Langfuse
 * does: that is what arrives when logs or metrics are sent to the traces endpoint, and storing
 * such spans would only produce orphans.
 */
export function assertValidIds(data: OtlpExport): void {
  data.spans.forEach((span, index) => {
    let problem: string | undefined
    if (!TRACE_ID.test(span.traceId) || span.traceId === ZERO_TRACE) problem = 'traceId'
    else if (!SPAN_ID.test(span.spanId) || span.spanId === ZERO_SPAN) problem = 'spanId'
    else if (span.parentSpanId !== null && !SPAN_ID.test(span.parentSpanId))
      problem = 'parentSpanId'
    if (problem) {
      throw new AppError(
        'INVALID_INPUT',
        `span ${index} (${span.name || 'unnamed'}) has a missing or invalid ${problem}; is this a trace export?`,
        {
          details: {
            issues: [{ path: `spans[${index}].${problem}`, message: 'missing or invalid id' }],
          },
        },
      )
    }
  })
}
