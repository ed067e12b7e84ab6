import { join } from 'node:path'
import { mkdir } from 'node:fs/promises'
import type { Storage } from '@vigil/core'
import type { StorageKind } from '../config.js'
import type { ReopenOutcome } from './duckdb/index.js'

/** Opens the configured adapter; adapters load lazily so unused native code never loads. */
export async function openStorage(options: {
  kind: StorageKind
  dataDir: string
  /** The embedded store reopened itself after a broken commit (see duckdb/index.ts). */
  onReopen?: (outcome: ReopenOutcome) => void
}): Promise<Storage> {
  switch (options.kind) {
    case 'memory': {
      const { openMemoryStorage } = await import('./memory/index.js')
      return openMemoryStorage()
    }
    case 'duckdb': {
      await mkdir(options.dataDir, { recursive: true })
      const { openDuckDbStorage } = await import('./duckdb/index.js')
      return openDuckDbStorage(
        { path: join(options.dataDir, 'vigil.duckdb') },
        options.onReopen ? { onReopen: options.onReopen } : {},
      )
    }
  }
}
