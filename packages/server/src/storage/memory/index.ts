import type { Storage } from '@vigil/core'
import { MemoryEventStore } from './event-store.js'
import { MemoryMetaStore } from './meta-store.js'
import { MemoryConfigStore } from './config-store.js'

/** Opens an empty in-memory storage (tests, demos). */
export function openMemoryStorage(): Promise<Storage> {
  return Promise.resolve({
    name: 'memory',
    events: new MemoryEventStore(),
    meta: new MemoryMetaStore(),
    configs: new MemoryConfigStore(),
    close: () => Promise.resolve(),
  })
}
