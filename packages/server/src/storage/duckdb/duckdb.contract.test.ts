import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  describeConfigStoreContract,
  describeJobQueueContract,
  describeStorageContract,
} from '@vigil/core/testing'
import type { Storage } from '@vigil/core'
import { afterAll } from 'vitest'
import { openDuckDbStorage } from './index.js'

const dir = mkdtempSync(join(tmpdir(), 'vigil-duckdb-contract-'))
const configStorages: Storage[] = []
afterAll(async () => {
  await Promise.all(configStorages.map((s) => s.close()))
  rmSync(dir, { recursive: true, force: true })
})

// every open gets a fresh file; reopen closes and opens the same one
const paths = new WeakMap<Storage, string>()
let counter = 0

async function open(): Promise<Storage> {
  counter += 1
  const path = join(dir, `contract-${counter}.duckdb`)
  const storage = await openDuckDbStorage({ path })
  paths.set(storage, path)
  return storage
}

async function reopen(storage: Storage): Promise<Storage> {
  const path = paths.get(storage)
  if (!path) throw new Error('not opened by this suite')
  await storage.close()
  const again = await openDuckDbStorage({ path })
  paths.set(again, path)
  return again
}

describeStorageContract('duckdb', { open, reopen })
describeJobQueueContract('duckdb', { open, reopen })
describeConfigStoreContract('duckdb', async () => {
  const storage = await open()
  configStorages.push(storage)
  return storage.configs
})
