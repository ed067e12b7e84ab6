import { availableParallelism } from 'node:os'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'

/** Where the database lives and how much of the machine DuckDB may use. */
export interface DuckDbStorageOptions {
  /** The database file (created when missing), or ':memory:' for a throwaway store. */
  path: string
  /**
   * DuckDB's working memory beyond its primary-key indexes, e.g. '96MB' (the default): the
   * store sets memory_limit to this plus room for the indexes as they grow (memory-limit.ts).
   */
  memoryLimit?: string
  /** DuckDB worker threads; default: one per core but one, which is left to the JS thread. */
  threads?: number
  /** Read connections for span queries; default 2. */
  readers?: number
  /** WAL size that triggers an automatic checkpoint; default '64MB' (see below). */
  checkpointThreshold?: string
}

/** The catalog name the store's file is attached under; every connection USEs it. */
export const CATALOG = 'vigil'

/*
 * Storage settings, measured on realistic spans (~10 KB of text each, once as JSON and once
 * as search text):
 * - ROW_GROUP_SIZE 2048 (the smallest DuckDB allows) instead of 122,880. A commit that fills a
 *   whole row group writes it straight to the file ("optimistic write") and logs only a pointer,
 *   so a group commit of 2,048 rows or more no longer waits for a checkpoint to compress it
 *   later; smaller commits still go through the WAL. measure-append.ts, 100k spans in batches
 *   of 4,000 (the committer's): 5,721 → 7,403 spans/s, worst batch 2.2 → 0.65 s (the
 *   checkpoint stalls are gone), peak RSS 642 → 602 MB, same file size. bench/ingest's HTTP
 *   run (60k spans, concurrency 16, three alternating pairs): 3,000 → 3,650 spans/s on average.
 *   The cost is on small analytical scans: a GROUP BY over one project's 33k spans took 16–25
 *   instead of 7–12 ms; text search and the span list took the same. (8192 had replaced the
 *   default because a checkpoint rewrites the row group that received the appends, and a
 *   default group holds ~1.2 GB of such rows.) At 2,000-row batches, below a row group, 2048
 *   was slower than 8192 (5,285 vs 6,420 spans/s), so the committer's batches matter.
 * - STORAGE_VERSION v1.5.0 instead of the v0.10.2 default: long strings get DICT_FSST instead
 *   of staying uncompressed (the 2.9x smaller file on generated text; real text compresses
 *   less) at the same ingest CPU. Pinned, so a DuckDB upgrade does not change the format.
 * - checkpoint_threshold 64MB instead of 16MB: the default checkpoints every couple of
 *   batches. The WAL is replayed after a crash, so this bounds recovery work, and it stays
 *   well below memory_limit so uncheckpointed rows need not spill. Rows not yet checkpointed
 *   stay in memory (duckdb_memory()'s IN_MEMORY_TABLE: 60–106 MB, 37–60 MB at 32MB), yet 32MB
 *   did not lower the server's peak over 1M spans (711 vs 736 MB), so it stays at 64MB.
 * - threads: one per core but one. With a thread per core, DuckDB's workers compete with the
 *   JS thread that feeds them: on 2 cores, moving 50 realistic spans took 19.6 ms of CPU with 2
 *   threads and 13.3 ms with 1, at the same wall time (and a 500-span commit 98 vs 47 ms).
 * - memory_limit: 96MB of working memory plus room for the indexes (memory-limit.ts). With
 *   8192-row groups, fixed caps of 160MB and 128MB stalled bench/ingest's 1M-span HTTP run:
 *   "Failed to commit: failed to pin block of size 256.0 KiB (122.0 MiB/122.0 MiB used)", then
 *   a duplicate key on every retry. Full row groups now skip the WAL, so far fewer rows wait in
 *   memory for a checkpoint, and a commit that breaks the database reopens it (index.ts). 96MB
 *   rather than 128MB of working memory: 1M spans through bench/ingest's HTTP path (two
 *   alternating pairs) peaked at 505 and 502 MB against 568 and 588 MB, at 2,883 and 2,969
 *   against 3,062 and 2,868 spans/s, with no failed commit; the full bench then peaked at 528 MB
 *   (535–559 MB at 128MB last measured) at a 55.7% ratio. The room given up is presumably
 *   the cache of table blocks, which fills whatever the limit leaves (memory-limit.ts); not
 *   broken down here.
 * - allocator_background_threads: DuckDB allocates through its bundled jemalloc, which keeps
 *   freed pages until a later allocation gets round to purging them (1 s decay). In the
 *   server during bench/ingest's HTTP run, jemalloc held 171 MB resident for 132 MB in use,
 *   and glibc's malloc_trim gave back only ~20 MB, so the slack was DuckDB's. With jemalloc's
 *   purging thread on, 300k spans peaked at 461–472 MB (five runs) against 507–517 MB (three),
 *   the rate within run-to-run noise, and 1M spans at 535–559 MB against ~600 MB before.
 *   The gateway's end-of-run RSS and CPU per call did not move (its DuckDB holds little).
 */
const ATTACH_OPTIONS = "ROW_GROUP_SIZE 2048, STORAGE_VERSION 'v1.5.0'"
const DEFAULT_CHECKPOINT = '64MB'
export const DEFAULT_WORKING_MEMORY = '96MB'

function instanceConfig(options: DuckDbStorageOptions): Record<string, string> {
  const config: Record<string, string> = {
    // never touch the network: an extension that is not built in must fail, not download
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    // the store raises it for its indexes once open (fitMemoryLimit)
    memory_limit: options.memoryLimit ?? DEFAULT_WORKING_MEMORY,
    checkpoint_threshold: options.checkpointThreshold ?? DEFAULT_CHECKPOINT,
    // return freed memory to the OS in the background (see the settings above)
    allocator_background_threads: 'true',
  }
  config['threads'] = String(options.threads ?? Math.max(1, availableParallelism() - 1))
  // spill files beside the database: the default (./.tmp in the working directory) is shared by
  // every server started from the same directory, and two of them corrupt each other's files
  if (options.path !== ':memory:') config['temp_directory'] = `${options.path}.tmp`
  return config
}

/** A DuckDB instance with the store's file attached, and how to connect to it. */
export interface OpenInstance {
  instance: DuckDBInstance
  /** A new connection whose unqualified table names resolve in the store's file. */
  connect: () => Promise<DuckDBConnection>
}

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`

/**
 * Creates the instance (extensions can never download) and attaches the file with the storage
 * options above; ATTACH is the only way to pass them. The path is configuration, not input,
 * and ATTACH takes no bound parameters, so it is quoted here.
 */
export async function openInstance(options: DuckDbStorageOptions): Promise<OpenInstance> {
  const instance = await DuckDBInstance.create(':memory:', instanceConfig(options))
  try {
    const c = await instance.connect()
    await c.run(`ATTACH ${sqlString(options.path)} AS ${CATALOG} (${ATTACH_OPTIONS})`)
    c.closeSync()
  } catch (error) {
    instance.closeSync()
    throw error
  }
  const connect = async (): Promise<DuckDBConnection> => {
    const c = await instance.connect()
    await c.run(`USE ${CATALOG}`)
    return c
  }
  return { instance, connect }
}
