import { describeConfigStoreContract, describeStorageContract } from '@vigil/core/testing'
import { openMemoryStorage } from './index.js'

describeStorageContract('memory', { open: openMemoryStorage })
describeConfigStoreContract('memory', async () => (await openMemoryStorage()).configs)
