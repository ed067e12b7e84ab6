import type { DuckDBConnection } from '@duckdb/node-api'
import type { Row } from './values.js'

type Params = Parameters<DuckDBConnection['run']>[1]
type Types = Parameters<DuckDBConnection['run']>[2]

/**
 * One DuckDB connection used by one task at a time. A connection runs one statement at a time,
 * and a task that opens a transaction must not see another task's statements inside it.
 */
export class SerialConnection {
  #connection: DuckDBConnection
  #tail: Promise<unknown> = Promise.resolve()
  #pending = 0

  constructor(connection: DuckDBConnection) {
    this.#connection = connection
  }

  /** Tasks queued or running; the reader pool sends new work to the least busy connection. */
  get pending(): number {
    return this.#pending
  }

  /** Runs `task` once every earlier task has settled. */
  use<T>(task: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    this.#pending += 1
    const run = this.#tail.then(() => task(this.#connection))
    const settled = run.finally(() => {
      this.#pending -= 1
    })
    this.#tail = settled.catch(() => undefined)
    return settled
  }

  /** Runs `task` inside BEGIN … COMMIT, rolling back when it throws. */
  transaction<T>(task: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.use(async (c) => {
      await c.run('BEGIN TRANSACTION')
      try {
        const result = await task(c)
        await c.run('COMMIT')
        return result
      } catch (error) {
        await c.run('ROLLBACK').catch(() => undefined)
        throw error
      }
    })
  }

  /**
   * Resolves once every task queued before has settled, and keeps later tasks waiting until
   * `until` settles: the store holds all its connections this way while it replaces them.
   */
  hold(until: Promise<void>): Promise<void> {
    return new Promise((held) => {
      void this.use(async () => {
        held()
        await until
      })
    })
  }

  /** Disconnects now; call only while holding this connection (see hold). */
  disconnect(): void {
    try {
      this.#connection.closeSync()
    } catch {
      // a connection of an invalidated database may refuse to close cleanly; it goes with it
    }
  }

  /** Gives later tasks `next`; call only while holding this connection, after disconnect. */
  replace(next: DuckDBConnection): void {
    this.#connection = next
  }

  /** Waits for queued work, then disconnects. */
  async close(): Promise<void> {
    await this.#tail
    this.#connection.closeSync()
  }
}

/** A statement with its bound parameters (and their types where JS values cannot tell). */
export interface BoundSql {
  sql: string
  params?: Params
  types?: Types
}

/** Reads `sql` with bound parameters and returns rows keyed by column name. */
export async function queryRows(c: DuckDBConnection, sql: string, params?: Params): Promise<Row[]> {
  return queryBound(c, { sql, params })
}

export async function queryBound(c: DuckDBConnection, q: BoundSql): Promise<Row[]> {
  const reader = await c.runAndReadAll(q.sql, q.params, q.types)
  return reader.getRowObjectsJS()
}

/** Read connections: queries run concurrently with each other and with the writer. */
export class ReaderPool {
  readonly #readers: SerialConnection[]

  private constructor(readers: SerialConnection[]) {
    this.#readers = readers
  }

  static async open(connect: () => Promise<DuckDBConnection>, size: number): Promise<ReaderPool> {
    const readers: SerialConnection[] = []
    for (let i = 0; i < Math.max(1, size); i += 1) {
      readers.push(new SerialConnection(await connect()))
    }
    return new ReaderPool(readers)
  }

  /** Runs a read-only query on the least busy connection. */
  query(q: BoundSql): Promise<Row[]> {
    let best = this.#readers[0]!
    for (const reader of this.#readers) if (reader.pending < best.pending) best = reader
    return best.use((c) => queryBound(c, q))
  }

  /** The pool's connections, for the store to hold and replace them all at once. */
  get connections(): readonly SerialConnection[] {
    return this.#readers
  }

  async close(): Promise<void> {
    await Promise.all(this.#readers.map((r) => r.close()))
  }
}
