import { toAppError } from '@vigil/core'
import type { Command } from './command.js'
import { keysCommand, projectsCommand } from './commands/admin.js'
import { evaluatorsCommand } from './commands/evaluators.js'
import { fakeLlmCommand } from './commands/fake-llm.js'
import { serveCommand } from './commands/serve.js'

const COMMANDS: Command[] = [
  serveCommand,
  keysCommand,
  projectsCommand,
  fakeLlmCommand,
  evaluatorsCommand,
]

function help(): string {
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.describe}`)
  return `usage: vigil <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nvigil <command> --help for details`
}

/** Entry point of the `vigil` binary; returns the exit code. */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
): Promise<number> {
  const [name, ...rest] = argv
  const out = (line: string) => console.log(line)
  const err = (line: string) => console.error(line)
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(help())
    return name ? 0 : 2
  }
  const command = COMMANDS.find((c) => c.name === name)
  if (!command) {
    err(`unknown command ${name}\n\n${help()}`)
    return 2
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out(`${command.describe}\n\n${command.usage}`)
    return 0
  }
  try {
    return await command.run({ argv: rest, env, out, err })
  } catch (cause) {
    err(`vigil ${name}: ${toAppError(cause).message}`)
    return 1
  }
}
