import type { DuckDBConnection } from '@duckdb/node-api'
import type { Storage } from '@vigil/core'
import { DuckDbConfigStore } from './config-store.js'
import { ReaderPool, SerialConnection } from './connections.js'
import { DuckDbEventStore } from './event-store.js'
import {
  DEFAULT_WORKING_MEMORY,
  openInstance,
  type DuckDbStorageOptions,
  type OpenInstance,
} from './instance.js'
import { DuckDbJobQueue } from './job-queue.js'
import { fitMemoryLimit, parseBytes } from './memory-limit.js'
import { DuckDbMetaStore } from './meta-store.js'
import { migrate } from './migrations.js'
import { createStaging } from './staging.js'
import { isBrokenDatabase } from './values.js'

export type { DuckDbStorageOptions } from './instance.js'

/** How often memory_limit is re-fitted to the store's size (a catalog read and a SET). */
const MEMORY_REFRESH_MS = 10_000

/** How a reopen after a broken commit went, for the server's log. */
export interface ReopenOutcome {
  /** The failure that called for it. */
  cause: unknown
  /** Set when the database could not be reopened; the next broken batch tries again. */
  error?: unknown
  ms: number
}

export interface DuckDbStorageHooks {
  /** Called after each reopen attempt. */
  onReopen?: (outcome: ReopenOutcome) => void
  /**
   * Runs on a fresh connection after each open, before the store uses it; `opening` counts
   * from 0. Tests inject DuckDB faults with it.
   */
  afterOpen?: (c: DuckDBConnection, opening: number) => Promise<void>
  /** Told each memory_limit the store sets, in bytes (see memory-limit.ts). */
  onMemoryLimit?: (bytes: number) => void
  /** How often memory_limit is re-fitted to the store's size; default 10 s. */
  memoryRefreshMs?: number
}

/**
 * Opens (creating and migrating when needed) the embedded DuckDB store: both faces in one file.
 *
 * When a batch fails in a way that leaves DuckDB's in-process state untrustworthy (see
 * isBrokenDatabase), the store closes the instance and opens the file again, which replays the
 * WAL: every committed batch is back, and batches whose COMMIT failed are retried by their
 * clients (the event store skips keys a retry finds already stored). Work queued meanwhile
 * waits for the new connections.
 */
export async function openDuckDbStorage(
  options: DuckDbStorageOptions,
  hooks: DuckDbStorageHooks = {},
): Promise<Storage> {
  const workingBytes = parseBytes(options.memoryLimit ?? DEFAULT_WORKING_MEMORY)
  let openings = 0
  const open = async (): Promise<OpenInstance> => {
    const opened = await openInstance(options)
    const c = await opened.connect()
    try {
      // before the first commit: a reopened large store needs room for its index at once
      const limit = await fitMemoryLimit(c, workingBytes)
      hooks.onMemoryLimit?.(limit)
      await hooks.afterOpen?.(c, openings)
    } catch (error) {
      c.closeSync()
      opened.instance.closeSync()
      throw error
    }
    c.closeSync()
    openings += 1
    return opened
  }
  let current = await open()
  const opened: (SerialConnection | ReaderPool)[] = []
  try {
    const writerConnections = [await current.connect(), await current.connect()]
    const writers = writerConnections.map((c) => new SerialConnection(c))
    opened.push(...writers)
    await migrate(writerConnections[0]!)
    for (const c of writerConnections) await createStaging(c)
    const jobsConnection = await current.connect()
    const jobConn = new SerialConnection(jobsConnection)
    opened.push(jobConn)
    await createStaging(jobsConnection)
    const meta = new SerialConnection(await current.connect())
    opened.push(meta)
    const readers = await ReaderPool.open(current.connect, options.readers ?? 2)
    opened.push(readers)

    const staged = new Set<SerialConnection>([...writers, jobConn])
    const every = [...writers, jobConn, meta, ...readers.connections]
    let reopening: Promise<void> | null = null
    // set while a reopen has failed: then any failed batch tries again, whatever its error
    let stale = false
    const reopen = async (cause: unknown): Promise<void> => {
      const t0 = performance.now()
      let release = (): void => undefined
      const released = new Promise<void>((resolve) => (release = resolve))
      let error: unknown
      try {
        await Promise.all(every.map((s) => s.hold(released)))
        // the old instance goes first: two instances must never have the same file open
        if (!stale) {
          for (const s of every) s.disconnect()
          current.instance.closeSync()
        }
        stale = true
        let next: OpenInstance | undefined
        try {
          next = await open()
          for (const s of every) {
            const c = await next.connect()
            if (staged.has(s)) await createStaging(c)
            s.replace(c)
          }
        } catch (failure) {
          // leave nothing of a half-made instance open for the next attempt to collide with
          for (const s of every) s.disconnect()
          next?.instance.closeSync()
          throw failure
        }
        current = next
        stale = false
      } catch (failure) {
        error = failure
      } finally {
        release()
        reopening = null
      }
      hooks.onReopen?.({
        cause,
        ...(error === undefined ? {} : { error }),
        ms: performance.now() - t0,
      })
    }
    // the batch has failed either way (its requests are told to retry); the reopen queues
    // behind the work already on each connection, so the retries reach the reopened database
    const onFailure = (cause: unknown): void => {
      if (stale || isBrokenDatabase(cause)) reopening ??= reopen(cause)
    }

    // the limit follows the store as it grows; a refresh that fails is retried on the next tick
    const refresh = setInterval(() => {
      void meta
        .use((c) => fitMemoryLimit(c, workingBytes))
        .then(
          (bytes) => hooks.onMemoryLimit?.(bytes),
          () => undefined,
        )
    }, hooks.memoryRefreshMs ?? MEMORY_REFRESH_MS)
    refresh.unref()

    let closed: Promise<void> | undefined
    const close = async (): Promise<void> => {
      clearInterval(refresh)
      while (reopening) await reopening
      if (stale) return
      await Promise.all(opened.map((c) => c.close()))
      current.instance.closeSync()
    }
    return {
      name: 'duckdb',
      events: new DuckDbEventStore({ writers, readers, onFailure }),
      meta: new DuckDbMetaStore(meta),
      configs: new DuckDbConfigStore(meta),
      jobs: new DuckDbJobQueue(jobConn),
      close: () => (closed ??= close()),
    }
  } catch (error) {
    await Promise.all(opened.map((c) => c.close()))
    current.instance.closeSync()
    throw error
  }
}
