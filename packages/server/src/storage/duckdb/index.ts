import { DuckDBInstance } from '@duckdb/node-api'
import type { Storage } from '@vigil/core'
import { DuckDbConfigStore } from './config-store.js'
import { ReaderPool, SerialConnection } from './connections.js'
import { DuckDbEventStore } from './event-store.js'
import { DuckDbJobQueue } from './job-queue.js'
import { DuckDbMetaStore } from './meta-store.js'
import { migrate } from './migrations.js'
import { createStaging } from './staging.js'

/** Where the database lives and how much of the machine DuckDB may use. */
export interface DuckDbStorageOptions {
  /** The database file (created when missing), or ':memory:' for a throwaway store. */
  path: string
  /** DuckDB's buffer-manager cap, e.g. '256MB' (the default keeps the server under ~500 MB). */
  memoryLimit?: string
  /** DuckDB worker threads; default: DuckDB's own (one per core). */
  threads?: number
  /** Read connections for span queries; default 2. */
  readers?: number
  /** WAL size that triggers an automatic checkpoint; default '256MB' (see DEFAULT_CHECKPOINT). */
  checkpointThreshold?: string
}

/**
 * DuckDB's default 16 MB checkpoints every couple of batches of realistic spans (each carries
 * ~8 KB of prompt and output text), and every checkpoint rewrites the table's open row group:
 * measured, ingest fell several-fold. A larger WAL between checkpoints costs replay time after
 * a crash, not memory (replayed rows live in the buffer pool and spill under memory_limit).
 */
const DEFAULT_CHECKPOINT = '256MB'

function instanceConfig(options: DuckDbStorageOptions): Record<string, string> {
  const config: Record<string, string> = {
    // never touch the network: an extension that is not built in must fail, not download
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    memory_limit: options.memoryLimit ?? '256MB',
    checkpoint_threshold: options.checkpointThreshold ?? DEFAULT_CHECKPOINT,
  }
  if (options.threads !== undefined) config['threads'] = String(options.threads)
  return config
}

/** Opens (creating and migrating when needed) the embedded DuckDB store: both faces in one file. */
export async function openDuckDbStorage(options: DuckDbStorageOptions): Promise<Storage> {
  const instance = await DuckDBInstance.create(options.path, instanceConfig(options))
  const opened: (SerialConnection | ReaderPool)[] = []
  try {
    const writerConnection = await instance.connect()
    const writer = new SerialConnection(writerConnection)
    opened.push(writer)
    await migrate(writerConnection)
    await createStaging(writerConnection)
    const jobsConnection = await instance.connect()
    const jobConn = new SerialConnection(jobsConnection)
    opened.push(jobConn)
    await createStaging(jobsConnection)
    const meta = new SerialConnection(await instance.connect())
    opened.push(meta)
    const readers = await ReaderPool.open(instance, options.readers ?? 2)
    opened.push(readers)
    let closed: Promise<void> | undefined
    return {
      name: 'duckdb',
      events: new DuckDbEventStore({ writer, readers }),
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
