import type { Command } from '../command.js'

export const serveCommand: Command = {
  name: 'serve',
  describe: 'Run Vigil (API, gateway, OTLP receiver, workers) in one process',
  usage: `vigil serve [--port N] [--host ADDR] [--data DIR] [--storage duckdb|memory] [--role api|worker|all]

  --port     port to listen on (env VIGIL_PORT, default 8700)
  --host     address to bind (env VIGIL_HOST, default 127.0.0.1)
  --data     data directory (env VIGIL_DATA_DIR, default ./.vigil)
  --storage  duckdb (default, one file in the data directory) or memory
  --role     api | worker | all (default all)
  env VIGIL_API_KEY=<key> makes <key> valid for the default project.`,
  async run(ctx) {
    const { runServeCommand } = await import('@vigil/server')
    await runServeCommand(ctx.argv, ctx.env)
    return new Promise<number>(() => undefined)
  },
}
