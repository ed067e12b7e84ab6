import { describeJobQueueContract } from '@vigil/core/testing'
import { openMemoryStorage } from './index.js'

describeJobQueueContract('memory', { open: openMemoryStorage })
