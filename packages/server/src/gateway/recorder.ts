import { performance } from 'node:perf_hooks'
import type { IngestResponse, SpanInput } from '@vigil/core'
import type { Capture } from './capture.js'

/** What was and was not recorded for a project (fail-open: the calls themselves were served). */
export interface RecordingStats {
  recorded: number
  /** The queue was full (storage too slow): not recorded. */
  dropped: number
  /** Storage failed or refused: not recorded. */
  failed: number
  /** The span did not validate; it was recorded again without its content. */
  rejected: number
}

/** What the recorder needs; both functions are called off the response path. */
export interface RecorderDeps {
  build(capture: Capture): Promise<SpanInput>
  ingest(projectId: string, spans: SpanInput[]): Promise<IngestResponse>
  /** Reports a problem; the caller rate-limits logging. */
  problem(message: string, error?: unknown): void
  /** Captures waiting or being written beyond which new ones are dropped. */
  maxQueued?: number
  /**
   * How long captures wait, so recording runs in batches rather than after every call
   * (default 1 s, the SDK's flush interval; a call is visible about a second later). Each
   * commit costs DuckDB a fixed few ms of CPU whatever its size: at concurrency 1, 10 ms
   * batches cost 2.2 ms of CPU per call and 100 ms ones 0.9 ms; at concurrency 50, 100 ms
   * batches (~80 calls a commit) cost the gateway 0.60–0.67 ms of CPU per call and 1 s ones
   * 0.47–0.52 ms (bench/gateway --quick, DuckDB).
   */
  delayMs?: number
  /** Captures waiting beyond which recording starts before the delay is up. */
  eagerCount?: number
  /** CPU time one slice of recording may take before it yields to the network. */
  sliceMs?: number
  /** Spans per write. */
  maxBatch?: number
}

/** Turns captures into spans in the background and writes them through ingest(). */
export interface Recorder {
  /** Never blocks and never throws; drops (counted) when the queue is full. */
  enqueue(capture: Capture): void
  /** Resolves when everything enqueued so far is written or given up on. */
  flush(): Promise<void>
  stats(projectId: string): RecordingStats
}

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve))
const MAX_EXTRA_SLICE_MS = 7.5
const MAX_EXTRA_BATCH = 240

/** A minimal span for one that failed validation: ids, times, model, usage, status. */
function withoutContent(span: SpanInput, reason: string): SpanInput {
  const { input: _input, output: _output, params: _params, metadata: _metadata, ...rest } = span
  return { ...rest, metadata: { gateway: { contentDropped: reason.slice(0, 1024) } } }
}

/** Creates the recorder. */
export function createRecorder(deps: RecorderDeps): Recorder {
  const maxQueued = deps.maxQueued ?? 10_000
  const delayMs = deps.delayMs ?? 1000
  const eagerCount = deps.eagerCount ?? 2000
  const sliceMs = deps.sliceMs ?? 0.5
  const maxBatch = deps.maxBatch ?? 16
  const byProject = new Map<string, RecordingStats>()
  const queue: Capture[] = []
  /** Spans handed to ingest() and not yet settled. */
  let writing = 0
  let timer: NodeJS.Timeout | undefined
  let draining: Promise<void> | undefined
  let idle: (() => void)[] = []

  const statsOf = (projectId: string): RecordingStats => {
    let stats = byProject.get(projectId)
    if (stats === undefined) {
      stats = { recorded: 0, dropped: 0, failed: 0, rejected: 0 }
      byProject.set(projectId, stats)
    }
    return stats
  }

  const settle = () => {
    if (queue.length > 0 || writing > 0 || draining !== undefined) return
    const waiting = idle
    idle = []
    for (const resolve of waiting) resolve()
  }

  const write = (projectId: string, spans: SpanInput[], retry: boolean): void => {
    const stats = statsOf(projectId)
    writing += spans.length
    deps
      .ingest(projectId, spans)
      .then(
        (result) => {
          stats.recorded += result.accepted
          const redo: SpanInput[] = []
          for (const item of result.results) {
            if (item.status !== 'rejected' || item.type !== 'span') continue
            const span = spans[item.index]
            const first = item.errors?.[0]
            if (span && retry) redo.push(withoutContent(span, `${first?.path}: ${first?.message}`))
            else stats.failed += 1
          }
          if (redo.length > 0) {
            stats.rejected += redo.length
            write(projectId, redo, false)
          }
        },
        (error: unknown) => {
          stats.failed += spans.length
          deps.problem('storage did not record gateway calls', error)
        },
      )
      .finally(() => {
        writing -= spans.length
        settle()
      })
  }

  const slice = async (): Promise<void> => {
    const started = performance.now()
    // a growing backlog gets longer slices: complete records are worth more than a
    // fraction of a millisecond when the gateway is saturated anyway
    const pressure = Math.min(1, queue.length / (maxQueued / 4))
    const budget = sliceMs + pressure * MAX_EXTRA_SLICE_MS
    const batchLimit = maxBatch + Math.round(pressure * MAX_EXTRA_BATCH)
    const batches = new Map<string, SpanInput[]>()
    let count = 0
    while (queue.length > 0 && count < batchLimit && performance.now() - started < budget) {
      const capture = queue.shift()!
      count += 1
      try {
        const spans = batches.get(capture.projectId) ?? []
        spans.push(await deps.build(capture))
        batches.set(capture.projectId, spans)
      } catch (error) {
        statsOf(capture.projectId).failed += 1
        deps.problem('could not build a span for a gateway call', error)
      }
    }
    for (const [projectId, spans] of batches) write(projectId, spans, true)
  }

  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      await slice()
      // let waiting requests in between slices: recording never holds the loop for long
      await yieldToIo()
    }
  }

  const start = () => {
    timer = undefined
    draining ??= drain().finally(() => {
      draining = undefined
      if (queue.length > 0) start()
      else settle()
    })
  }

  return {
    enqueue(capture) {
      if (queue.length + writing >= maxQueued) {
        statsOf(capture.projectId).dropped += 1
        deps.problem('gateway recording queue is full; calls are served but not recorded')
        return
      }
      queue.push(capture)
      if (draining !== undefined) return
      if (timer === undefined) {
        timer = setTimeout(start, delayMs)
        timer.unref()
      } else if (queue.length >= eagerCount) {
        clearTimeout(timer)
        start()
      }
    },
    flush() {
      if (timer !== undefined) {
        clearTimeout(timer)
        start()
      }
      return new Promise<void>((resolve) => {
        idle.push(resolve)
        settle()
      })
    },
    stats: (projectId) => ({ ...statsOf(projectId) }),
  }
}
