import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const BIN = fileURLToPath(new URL('../../cli/bin/vigil.js', import.meta.url))

/** A `vigil serve` child process on an ephemeral port. */
export interface ServeProcess {
  child: ChildProcess
  url: string
  output: () => string
}

/** Starts `vigil serve` and resolves once it logs its address. */
export function spawnServe(options: {
  dataDir: string
  apiKey: string
  extraEnv?: Record<string, string>
}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', options.dataDir], {
    env: {
      ...process.env,
      VIGIL_API_KEY: options.apiKey,
      VIGIL_LOG_LEVEL: 'info',
      ...options.extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`vigil serve did not start:\n${output}`)),
      30_000,
    )
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Vigil listening on (http:\/\/[\d.]+:\d+)/.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve({ child, url: match[1], output: () => output })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`vigil serve exited with ${code}:\n${output}`))
    })
  })
}

/** Resolves when the child has exited. */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}
