import { parseArgs } from 'node:util'
import { AppError } from '@vigil/core'
import { startFakeLlm } from './server.js'

/** Where the command writes and what stops it besides SIGINT/SIGTERM (for tests). */
export interface FakeLlmCommandIo {
  readonly write?: (text: string) => void
  readonly signal?: AbortSignal
}

const USAGE = `Usage: vigil fake-llm [options]

Runs a fake OpenAI- and Anthropic-compatible provider until SIGINT/SIGTERM.

Options:
  --port <n>            port to listen on (default 0: a free one)
  --host <host>         address to bind (default 127.0.0.1)
  --latency-ms <n>      delay before the response headers
  --ttft-ms <n>         streams: delay before the first content delta
  --chunk-delay-ms <n>  streams: delay between content deltas
  -h, --help            show this help
`

/** `vigil fake-llm`: starts the fake provider, prints its URL, runs until SIGINT/SIGTERM. */
export async function runFakeLlmCommand(argv: string[], io: FakeLlmCommandIo = {}): Promise<void> {
  const write = io.write ?? ((text: string) => void process.stdout.write(text))
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'latency-ms': { type: 'string' },
      'ttft-ms': { type: 'string' },
      'chunk-delay-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help === true) {
    write(USAGE)
    return
  }
  const fake = await startFakeLlm({
    port: count(values.port, '--port') ?? 0,
    host: values.host ?? '127.0.0.1',
    script: {
      latencyMs: count(values['latency-ms'], '--latency-ms'),
      ttftMs: count(values['ttft-ms'], '--ttft-ms'),
      chunkDelayMs: count(values['chunk-delay-ms'], '--chunk-delay-ms'),
    },
  })
  write(
    `fake LLM listening on ${fake.url}\n` +
      `  OpenAI base URL:    ${fake.url}/v1\n` +
      `  Anthropic base URL: ${fake.url}\n`,
  )
  await stopped(io.signal)
  await fake.close()
}

function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) {
    throw new AppError('INVALID_INPUT', `${flag} must be a non-negative integer, got "${value}"`)
  }
  return n
}

/** Resolves on the first SIGINT, SIGTERM or abort, then removes its listeners. */
function stopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      signal?.removeEventListener('abort', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
    if (signal?.aborted === true) stop()
    else signal?.addEventListener('abort', stop)
  })
}
