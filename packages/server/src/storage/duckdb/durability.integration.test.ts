import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, it } from 'vitest'
import { openDuckDbStorage } from './index.js'

const dir = mkdtempSync(join(tmpdir(), 'vigil-duckdb-kill-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Runs the child until it prints "committed", then SIGKILLs it: no clean shutdown, no checkpoint. */
function appendThenKill(path: string, count: number): Promise<NodeJS.Signals | null> {
  const tsx = createRequire(import.meta.url).resolve('tsx')
  const child = spawn(
    process.execPath,
    [
      '--import',
      tsx,
      fileURLToPath(new URL('./durability-child.ts', import.meta.url)),
      path,
      String(count),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('committed')) child.kill('SIGKILL')
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(signal)
      else reject(new Error(`child exited with ${code}: ${stderr}`))
    })
  })
}

it('keeps every acknowledged span when the process is killed with SIGKILL', async () => {
  const path = join(dir, 'killed.duckdb')
  expect(await appendThenKill(path, 500)).toBe('SIGKILL')
  // the batch is only in the WAL: reopening must replay it
  expect(statSync(`${path}.wal`).size).toBeGreaterThan(0)
  const storage = await openDuckDbStorage({ path })
  try {
    const page = await storage.events.listSpans({ projectId: 'p1', limit: 1000 })
    expect(page.items).toHaveLength(500)
    expect((await storage.events.getTrace('p1', 'kill-3'))?.spans).toHaveLength(50)
  } finally {
    await storage.close()
  }
}, 60_000)
