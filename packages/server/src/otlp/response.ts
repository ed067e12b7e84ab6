import type { AppError, ErrorCode } from '@vigil/core'
import protobuf from 'protobufjs/minimal.js'

/** Spans the receiver could not store, reported as OTLP partial success. */
export interface PartialSuccess {
  rejectedSpans: number
  errorMessage: string
}

/** gRPC status codes for the `google.rpc.Status` body OTLP/HTTP failures carry. */
const GRPC_CODES: Record<ErrorCode, number> = {
  INVALID_INPUT: 3,
  UNAUTHORIZED: 16,
  FORBIDDEN: 7,
  NOT_FOUND: 5,
  CONFLICT: 10,
  PAYLOAD_TOO_LARGE: 8,
  UNSUPPORTED_MEDIA_TYPE: 3,
  RATE_LIMITED: 8,
  UPSTREAM_FAILED: 14,
  UPSTREAM_TIMEOUT: 4,
  UNAVAILABLE: 14,
  INTERNAL: 13,
}

/** `ExportTraceServiceResponse` as protobuf: empty on full success. */
export function encodeExportResponse(partial: PartialSuccess | null): Uint8Array {
  const writer = protobuf.Writer.create()
  if (partial) {
    writer.uint32((1 << 3) | 2).fork()
    writer.uint32((1 << 3) | 0).int64(partial.rejectedSpans)
    if (partial.errorMessage) writer.uint32((2 << 3) | 2).string(partial.errorMessage)
    writer.ldelim()
  }
  return writer.finish()
}

/** `ExportTraceServiceResponse` as OTLP/JSON (int64 as a decimal string). */
export function exportResponseJson(partial: PartialSuccess | null): Record<string, unknown> {
  if (!partial) return {}
  return {
    partialSuccess: {
      rejectedSpans: String(partial.rejectedSpans),
      errorMessage: partial.errorMessage,
    },
  }
}

/** A failure as `google.rpc.Status` protobuf. */
export function encodeStatus(error: AppError): Uint8Array {
  const writer = protobuf.Writer.create()
  writer.uint32((1 << 3) | 0).int32(GRPC_CODES[error.code])
  writer.uint32((2 << 3) | 2).string(error.message)
  return writer.finish()
}

/** A failure as JSON: `google.rpc.Status` fields beside Vigil's usual `error` object. */
export function statusJson(
  error: AppError,
  body: { error: Record<string, unknown> },
): Record<string, unknown> {
  return { code: GRPC_CODES[error.code], message: error.message, ...body }
}
