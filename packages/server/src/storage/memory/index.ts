import type { Storage } from '@vigil/core'
import { MemoryMetaStore } from './meta-store.js'
import { MemoryConfigStore } from './config-store.js'
import { MemoryEventStoreWithOutbox, MemoryJobQueue } from './job-queue.js'

/** Opens an empty in-memory storage (tests, demos). */
export function openMemoryStorage(): Promise<Storage> {
  const jobs = new MemoryJobQueue()
  return Promise.resolve({
    name: 'memory',
    events: new MemoryEventStoreWithOutbox(jobs),
    meta: new MemoryMetaStore(),
    configs: new MemoryConfigStore(),
    jobs,
    close: () => Promise.resolve(),
  })
}
