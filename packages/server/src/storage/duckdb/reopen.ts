import { createStaging } from './staging.js'
import type { SerialConnection } from './connections.js'
import type { OpenInstance } from './instance.js'
import { isBrokenDatabase } from './values.js'

/** How a reopen after a broken commit went, for the server's log. */
export interface ReopenOutcome {
  /** The failure that called for it. */
  cause: unknown
  /** Set when the database could not be reopened; the next failed batch tries again. */
  error?: unknown
  ms: number
}

/**
 * The store's DuckDB instance, replaced when a batch fails in a way that leaves DuckDB's
 * in-process state untrustworthy (see isBrokenDatabase). Reopening the file replays the WAL:
 * every committed batch is back, and batches whose COMMIT failed are retried by their clients
 * (the event store skips keys a retry finds already stored). The reopen holds every connection
 * once the work queued on it has settled, so work arriving meanwhile waits for the new ones.
 */
export class ReopeningInstance {
  #current: OpenInstance
  #reopening: Promise<void> | null = null
  /** Set while a reopen has failed: then any failed batch tries again, whatever its error. */
  #stale = false

  constructor(
    current: OpenInstance,
    private readonly deps: {
      open: () => Promise<OpenInstance>
      /** Every connection of the store, and which of them carry staging tables. */
      connections: readonly SerialConnection[]
      staged: ReadonlySet<SerialConnection>
      onReopen?: (outcome: ReopenOutcome) => void
    },
  ) {
    this.#current = current
  }

  /** Told of every failed batch (not awaited): its requests are told to retry either way. */
  failed(cause: unknown): void {
    if (this.#stale || isBrokenDatabase(cause)) this.#reopening ??= this.#reopen(cause)
  }

  /** Waits for a reopen under way, then closes the connections and the instance. */
  async close(): Promise<void> {
    while (this.#reopening) await this.#reopening
    if (this.#stale) return
    await Promise.all(this.deps.connections.map((c) => c.close()))
    this.#current.instance.closeSync()
  }

  async #reopen(cause: unknown): Promise<void> {
    const t0 = performance.now()
    let release = (): void => undefined
    const released = new Promise<void>((resolve) => (release = resolve))
    let error: unknown
    try {
      await Promise.all(this.deps.connections.map((s) => s.hold(released)))
      // the old instance goes first: two instances must never have the same file open
      if (!this.#stale) this.#closeAll(this.#current)
      this.#stale = true
      this.#current = await this.#connectAll()
      this.#stale = false
    } catch (failure) {
      error = failure
    } finally {
      release()
      this.#reopening = null
    }
    this.deps.onReopen?.({
      cause,
      ...(error === undefined ? {} : { error }),
      ms: performance.now() - t0,
    })
  }

  /** Opens a new instance and hands every connection a new one; leaves nothing open on failure. */
  async #connectAll(): Promise<OpenInstance> {
    const next = await this.deps.open()
    try {
      for (const s of this.deps.connections) {
        const c = await next.connect()
        if (this.deps.staged.has(s)) await createStaging(c)
        s.replace(c)
      }
      return next
    } catch (failure) {
      this.#closeAll(next)
      throw failure
    }
  }

  #closeAll(instance: OpenInstance): void {
    for (const s of this.deps.connections) s.disconnect()
    instance.instance.closeSync()
  }
}
