import type { Storage } from '@vigil/core'
import { MemoryEventStore } from './event-store.js'
import { MemoryMetaStore } from './meta-store.js'
import { MemoryConfigStore } from './config-store.js'
import { MemoryJobQueue, withMemoryOutbox } from './job-queue.js'

/** Opens an empty in-memory storage (tests, demos). */
export function openMemoryStorage(): Promise<Storage> {
  const jobs = new MemoryJobQueue()
  return Promise.resolve({
    name: 'memory',
    events: withMemoryOutbox(new MemoryEventStore(), jobs),
    meta: new MemoryMetaStore(),
    configs: new MemoryConfigStore(),
    jobs,
    close: () => Promise.resolve(),
  })
}
