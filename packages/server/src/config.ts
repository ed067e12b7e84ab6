import { parseArgs } from 'node:util'
import { AppError } from '@vigil/core'

export const ROLES = ['api', 'worker', 'all'] as const
export type Role = (typeof ROLES)[number]
export const STORAGE_KINDS = ['duckdb', 'memory'] as const
export type StorageKind = (typeof STORAGE_KINDS)[number]

/** Everything the server is told from outside, parsed once at start and passed down. */
export interface Config {
  host: string
  port: number
  dataDir: string
  storage: StorageKind
  role: Role
  apiKey: string | undefined
  logLevel: string
  bodyLimitBytes: number
  maxPendingRows: number
  openaiBaseUrl: string
  anthropicBaseUrl: string
}

export const DEFAULT_PORT = 8700

function pick<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new AppError('INVALID_INPUT', `${name} must be one of ${allowed.join(', ')}; got ${value}`)
}

function positiveInt(name: string, value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) {
    throw new AppError('INVALID_INPUT', `${name} must be a non-negative integer; got ${value}`)
  }
  return n
}

/** Parses `vigil serve` flags over VIGIL_* environment variables (flags win). */
export function parseConfig(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Config {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      data: { type: 'string' },
      storage: { type: 'string' },
      role: { type: 'string' },
      'log-level': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  })
  return {
    host: values.host ?? env['VIGIL_HOST'] ?? '127.0.0.1',
    port: positiveInt('port', values.port ?? env['VIGIL_PORT'] ?? String(DEFAULT_PORT)),
    dataDir: values.data ?? env['VIGIL_DATA_DIR'] ?? '.vigil',
    storage: pick('storage', values.storage ?? env['VIGIL_STORAGE'] ?? 'duckdb', STORAGE_KINDS),
    role: pick('role', values.role ?? env['VIGIL_ROLE'] ?? 'all', ROLES),
    apiKey: env['VIGIL_API_KEY'] || undefined,
    logLevel: values['log-level'] ?? env['VIGIL_LOG_LEVEL'] ?? 'info',
    bodyLimitBytes: positiveInt('VIGIL_MAX_BODY_BYTES', env['VIGIL_MAX_BODY_BYTES'] ?? '10485760'),
    maxPendingRows: positiveInt('VIGIL_MAX_PENDING_ROWS', env['VIGIL_MAX_PENDING_ROWS'] ?? '20000'),
    openaiBaseUrl: env['VIGIL_OPENAI_BASE_URL'] ?? 'https://api.openai.com',
    anthropicBaseUrl: env['VIGIL_ANTHROPIC_BASE_URL'] ?? 'https://api.anthropic.com',
  }
}

/** Test and embedding defaults: memory storage, ephemeral port, quiet logs. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...parseConfig([], {}), storage: 'memory', port: 0, logLevel: 'silent', ...overrides }
}
