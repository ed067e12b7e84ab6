import { describe, expect, it } from 'vitest'
import { runFakeLlmCommand } from './index.js'

describe('runFakeLlmCommand', () => {
  it('prints the URL, serves until stopped, then closes', async () => {
    const output: string[] = []
    const stop = new AbortController()
    let printed: (url: string) => void = () => undefined
    const url = new Promise<string>((resolve) => (printed = resolve))
    const running = runFakeLlmCommand(['--port', '0', '--latency-ms', '1', '--ttft-ms', '1'], {
      signal: stop.signal,
      write: (text) => {
        output.push(text)
        const found = /http:\/\/127\.0\.0\.1:\d+/.exec(text)
        if (found) printed(found[0])
      },
    })
    const base = await url
    const res = await fetch(`${base}/v1/models`, { headers: { authorization: 'Bearer k' } })
    expect(res.status).toBe(200)
    expect(output.join('')).toContain(`${base}/v1`)
    stop.abort()
    await running
    await expect(fetch(`${base}/v1/models`)).rejects.toThrow()
  })

  it('prints usage for --help and rejects bad numbers', async () => {
    const output: string[] = []
    await runFakeLlmCommand(['--help'], { write: (t) => output.push(t) })
    expect(output.join('')).toContain('--latency-ms')
    await expect(runFakeLlmCommand(['--port', 'abc'])).rejects.toThrow(/--port/)
  })
})
