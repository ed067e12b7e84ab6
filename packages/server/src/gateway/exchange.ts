import type { ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { AppError } from '@vigil/core'
import type { Dispatcher } from 'undici'
import type { Capture, Outcome } from './capture.js'
import { clientResponseHeaders } from './headers.js'
import { sendError } from './respond.js'

const TIMEOUTS = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
])

/** What one exchange needs besides the capture it fills. */
export interface ExchangeOptions {
  res: ServerResponse
  capture: Capture
  /** performance.now() when the request arrived. */
  t0: number
  origin: string
  timeoutMs: number
  /** Bytes of response kept for recording; the rest is forwarded only. */
  captureLimit: number
  finished(capture: Capture): void
}

function errorCode(error: Error): string | undefined {
  const code = (error as Error & { code?: unknown }).code
  return typeof code === 'string' ? code : undefined
}

/**
 * Streams one upstream response to the client as it arrives (undici's handler API: no
 * intermediate stream objects), keeping each chunk and its arrival time for the recorder.
 */
export class Exchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined
  private started = false
  private done = false
  private readonly resume = () => this.controller?.resume()

  constructor(private readonly o: ExchangeOptions) {}

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller
    if (this.done) controller.abort(new AppError('UNAVAILABLE', 'client disconnected'))
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    status: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    if (status < 200 || this.done) return
    const { capture, res } = this.o
    capture.status = status
    capture.responseHeaders = headers
    try {
      res.writeHead(status, clientResponseHeaders(headers, capture.traceId))
    } catch (cause) {
      controller.abort(new AppError('UPSTREAM_FAILED', 'invalid upstream header', { cause }))
      return
    }
    this.started = true
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.done) return
    const { capture, res } = this.o
    if (capture.bytes + chunk.length <= this.o.captureLimit) {
      capture.chunks.push(chunk)
      capture.times.push(performance.now() - this.o.t0)
    } else capture.truncated = true
    capture.bytes += chunk.length
    if (!res.write(chunk)) {
      controller.pause()
      res.once('drain', this.resume)
    }
  }

  onResponseEnd(): void {
    if (this.done) return
    this.o.res.end()
    this.finish('complete', undefined)
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.done) return
    const code = errorCode(error)
    const timedOut = code !== undefined && TIMEOUTS.has(code)
    const message = timedOut
      ? `upstream ${this.o.origin} did not answer within ${this.o.timeoutMs} ms`
      : `upstream ${this.o.origin} failed: ${code ?? error.message}`
    if (this.started) {
      // the status is already on its way: breaking the connection is the only honest signal
      this.o.res.destroy()
      this.finish(timedOut ? 'upstream_timeout' : 'upstream_failed', `${message} (mid-response)`)
      return
    }
    const appError = new AppError(timedOut ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_FAILED', message)
    sendError(this.o.res, appError, this.o.capture.traceId)
    this.finish(timedOut ? 'upstream_timeout' : 'upstream_failed', message)
  }

  /** The client went away before the response ended: stop the upstream call and record it. */
  clientClosed(): void {
    if (this.done || this.o.res.writableFinished) return
    this.finish('client_closed', undefined)
    this.controller?.abort(new AppError('UNAVAILABLE', 'client disconnected'))
  }

  private finish(outcome: Outcome, message: string | undefined): void {
    this.done = true
    const { capture } = this.o
    capture.outcome = outcome
    capture.errorMessage = message
    capture.durationMs = performance.now() - this.o.t0
    this.o.finished(capture)
  }
}
