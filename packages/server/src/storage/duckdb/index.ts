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
import { ReopeningInstance, type ReopenOutcome } from './reopen.js'

export type { DuckDbStorageOptions } from './instance.js'
export type { ReopenOutcome } from './reopen.js'

/** How often memory_limit is re-fitted to the store's size (a catalog read and a SET). */
const MEMORY_REFRESH_MS = 10_000

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
 * A batch that breaks DuckDB makes the store reopen the file (reopen.ts).
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
  const current = await open()
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

    const instance = new ReopeningInstance(current, {
      open,
      connections: [...writers, jobConn, meta, ...readers.connections],
      staged: new Set([...writers, jobConn]),
      ...(hooks.onReopen ? { onReopen: hooks.onReopen } : {}),
    })

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
      await instance.close()
    }
    return {
      name: 'duckdb',
      events: new DuckDbEventStore({ writers, readers, onFailure: (e) => instance.failed(e) }),
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
