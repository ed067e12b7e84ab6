import type { DuckDBInstance } from '@duckdb/node-api'
import type { Storage } from '@vigil/core'
import { DuckDbConfigStore } from './config-store.js'
import { ReaderPool, SerialConnection } from './connections.js'
import { DuckDbEventStore } from './event-store.js'
import { openInstance, type DuckDbStorageOptions } from './instance.js'
import { DuckDbJobQueue } from './job-queue.js'
import { DuckDbMetaStore } from './meta-store.js'
import { migrate } from './migrations.js'
import { createStaging } from './staging.js'

export type { DuckDbStorageOptions } from './instance.js'

/** Opens (creating and migrating when needed) the embedded DuckDB store: both faces in one file. */
export async function openDuckDbStorage(options: DuckDbStorageOptions): Promise<Storage> {
  const { instance, connect } = await openInstance(options)
  const opened: (SerialConnection | ReaderPool)[] = []
  try {
    const writerConnections = [await connect(), await connect()]
    const writers = writerConnections.map((c) => new SerialConnection(c))
    opened.push(...writers)
    await migrate(writerConnections[0]!)
    for (const c of writerConnections) await createStaging(c)
    const jobsConnection = await connect()
    const jobConn = new SerialConnection(jobsConnection)
    opened.push(jobConn)
    await createStaging(jobsConnection)
    const meta = new SerialConnection(await connect())
    opened.push(meta)
    const readers = await ReaderPool.open(connect, options.readers ?? 2)
    opened.push(readers)
    let closed: Promise<void> | undefined
    return {
      name: 'duckdb',
      events: new DuckDbEventStore({ writers, readers }),
      meta: new DuckDbMetaStore(meta),
      configs: new DuckDbConfigStore(meta),
      jobs: new DuckDbJobQueue(jobConn),
      close: () => (closed ??= closeAll(instance, opened)),
    }
  } catch (error) {
    await closeAll(instance, opened)
    throw error
  }
}

/** Lets queued work finish, then closes; DuckDB checkpoints the WAL into the file on close. */
async function closeAll(
  instance: DuckDBInstance,
  opened: readonly (SerialConnection | ReaderPool)[],
): Promise<void> {
  await Promise.all(opened.map((c) => c.close()))
  instance.closeSync()
}
