import type { Command } from '../command.js'

export const fakeLlmCommand: Command = {
  name: 'fake-llm',
  describe: 'Run a fake OpenAI- and Anthropic-compatible LLM provider (tests, demos, benchmarks)',
  usage: `vigil fake-llm [--port N] [--host ADDR] [--latency-ms N] [--ttft-ms N] [--chunk-delay-ms N]

  --port            port to listen on (default 0: a free one; the URL is printed)
  --host            address to bind (default 127.0.0.1)
  --latency-ms      delay before the response headers
  --ttft-ms         streams: delay before the first content delta
  --chunk-delay-ms  streams: delay between content deltas
  Requests can script their own answer with x-fake-* headers (x-fake-reply, x-fake-error-status,
  x-fake-hang, …). Point Vigil at it with VIGIL_OPENAI_BASE_URL / VIGIL_ANTHROPIC_BASE_URL.
  Runs until SIGINT or SIGTERM.`,
  async run(ctx) {
    const { runFakeLlmCommand } = await import('@vigil/server')
    await runFakeLlmCommand(ctx.argv, { write: (text) => ctx.out(text.replace(/\n$/, '')) })
    return 0
  },
}
