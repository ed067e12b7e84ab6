export { describeStorageContract, type StorageContractOptions } from './storage-contract.js'
export { makeScore, makeSpan } from './fixtures.js'
export { describeConfigStoreContract } from './config-store-contract.js'
export { describeJobQueueContract } from './job-queue-contract.js'
