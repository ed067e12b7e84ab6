/** What a command gets: its own arguments, the environment, and where to print. */
export interface CommandContext {
  argv: string[]
  env: Record<string, string | undefined>
  out: (line: string) => void
  err: (line: string) => void
}

/** One `vigil` subcommand. `run` resolves to the exit code; long-running commands never resolve. */
export interface Command {
  name: string
  describe: string
  usage: string
  run(ctx: CommandContext): Promise<number>
}
