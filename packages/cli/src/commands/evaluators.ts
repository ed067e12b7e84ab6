import { parseArgs } from 'node:util'
import { AppError } from '@vigil/core'
import type { Command, CommandContext } from '../command.js'

const USAGE = `vigil evaluators list
vigil evaluators set NAME --kind KIND [--config JSON] [--rate 0..1] [--no-errors] [--no-flagged]
                 [--kinds generation,...] [--models m,...] [--features f,...] [--tags t,...]
                 [--environments e,...] [--disabled]
vigil evaluators delete NAME
vigil evaluators judge [--base-url URL --model MODEL] [--embedding-model MODEL] [--timeout-ms N]
vigil evaluators jobs [--state pending|running|done|dead] [--limit N]
vigil evaluators retry JOB_ID

Talks to a running server: --url (or VIGIL_URL, default http://127.0.0.1:8700) and
--key (or VIGIL_API_KEY). The judge's API key is read from VIGIL_JUDGE_API_KEY (or
--api-key); the server stores it for the project and only ever shows it masked.`

const OPTIONS = {
  url: { type: 'string' },
  key: { type: 'string' },
  kind: { type: 'string' },
  config: { type: 'string' },
  rate: { type: 'string' },
  'no-errors': { type: 'boolean', default: false },
  'no-flagged': { type: 'boolean', default: false },
  kinds: { type: 'string' },
  models: { type: 'string' },
  features: { type: 'string' },
  tags: { type: 'string' },
  environments: { type: 'string' },
  disabled: { type: 'boolean', default: false },
  'base-url': { type: 'string' },
  model: { type: 'string' },
  'api-key': { type: 'string' },
  'embedding-model': { type: 'string' },
  'timeout-ms': { type: 'string' },
  state: { type: 'string' },
  limit: { type: 'string' },
} as const

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values']
type Api = (method: string, path: string, body?: unknown) => Promise<unknown>

function client(ctx: CommandContext, values: Values): Api {
  const base = (values.url ?? ctx.env['VIGIL_URL'] ?? 'http://127.0.0.1:8700').replace(/\/+$/, '')
  const key = values.key ?? ctx.env['VIGIL_API_KEY']
  if (!key) throw new AppError('UNAUTHORIZED', 'no API key: pass --key or set VIGIL_API_KEY')
  return async (method, path, body) => {
    const headers: Record<string, string> = { authorization: `Bearer ${key}` }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    const json: unknown = text === '' ? null : JSON.parse(text)
    if (!res.ok) {
      const message = (json as { error?: { message?: string } } | null)?.error?.message
      throw new AppError('INVALID_INPUT', `${res.status}: ${message ?? text}`)
    }
    return json
  }
}

const list = (v: string | undefined) =>
  v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)

function settingOf(name: string, values: Values): Record<string, unknown> {
  if (!values.kind)
    throw new AppError('INVALID_INPUT', 'set needs --kind (see GET /api/v1/evaluator-kinds)')
  const filter: Record<string, unknown> = {}
  for (const field of ['kinds', 'models', 'features', 'tags', 'environments'] as const) {
    const items = list(values[field])
    if (items) filter[field] = items
  }
  return {
    name,
    kind: values.kind,
    enabled: !values.disabled,
    config: values.config === undefined ? {} : (JSON.parse(values.config) as unknown),
    ...(Object.keys(filter).length > 0 ? { filter } : {}),
    sampling: {
      rate: values.rate === undefined ? 1 : Number(values.rate),
      errors: !values['no-errors'],
      flagged: !values['no-flagged'],
    },
  }
}

interface EvaluatorView {
  name: string
  kind: string
  version: number
  enabled: boolean
  sampling: { rate: number }
  codeVersion: string | null
}

async function judge(ctx: CommandContext, api: Api, values: Values): Promise<void> {
  let view
  if (values['base-url'] === undefined && values.model === undefined) {
    view = await api('GET', '/api/v1/judge-endpoint')
  } else {
    const apiKey = values['api-key'] ?? ctx.env['VIGIL_JUDGE_API_KEY']
    const timeout = values['timeout-ms']
    view = await api('PUT', '/api/v1/judge-endpoint', {
      baseUrl: values['base-url'],
      model: values.model,
      ...(apiKey ? { apiKey } : {}),
      ...(values['embedding-model'] ? { embeddingModel: values['embedding-model'] } : {}),
      ...(timeout ? { timeoutMs: Number(timeout) } : {}),
    })
  }
  ctx.out(JSON.stringify(view, null, 2))
}

async function jobs(ctx: CommandContext, api: Api, values: Values): Promise<void> {
  const query = new URLSearchParams()
  if (values.state) query.set('state', values.state)
  if (values.limit) query.set('limit', values.limit)
  const page = (await api('GET', `/api/v1/evaluation-jobs?${query.toString()}`)) as {
    data: { id: string; type: string; state: string; attempts: number; lastError: string | null }[]
    counts: Record<string, number>
  }
  ctx.out(
    Object.entries(page.counts)
      .map(([s, n]) => `${s} ${n}`)
      .join('  '),
  )
  for (const j of page.data)
    ctx.out(`${j.id}\t${j.type}\t${j.state}\t${j.attempts}\t${j.lastError ?? ''}`)
}

async function dispatch(
  ctx: CommandContext,
  args: { action?: string; name?: string; values: Values },
): Promise<number> {
  const { action, name, values } = args
  const api = client(ctx, values)
  switch (action ?? '') {
    case 'list': {
      const { data } = (await api('GET', '/api/v1/evaluators')) as { data: EvaluatorView[] }
      for (const e of data) {
        ctx.out(
          `${e.name}\t${e.kind}\tv${e.version}\t${e.enabled ? 'enabled' : 'disabled'}\trate ${e.sampling.rate}\t${e.codeVersion ?? '?'}`,
        )
      }
      return 0
    }
    case 'set': {
      if (!name) break
      const saved = (await api(
        'POST',
        '/api/v1/evaluators',
        settingOf(name, values),
      )) as EvaluatorView
      ctx.out(
        `${saved.name}: version ${saved.version} (${saved.kind}, code ${saved.codeVersion ?? '?'})`,
      )
      return 0
    }
    case 'delete':
      if (!name) break
      await api('DELETE', `/api/v1/evaluators/${encodeURIComponent(name)}`)
      ctx.out(`deleted ${name}`)
      return 0
    case 'judge':
      await judge(ctx, api, values)
      return 0
    case 'jobs':
      await jobs(ctx, api, values)
      return 0
    case 'retry':
      if (!name) break
      await api('POST', `/api/v1/evaluation-jobs/${encodeURIComponent(name)}/retry`)
      ctx.out(`retrying ${name}`)
      return 0
    default:
      break
  }
  ctx.err(`usage:\n${USAGE}`)
  return 2
}

export const evaluatorsCommand: Command = {
  name: 'evaluators',
  describe: 'Configure evaluators and the judge endpoint, inspect evaluation jobs (over HTTP)',
  usage: USAGE,
  run(ctx) {
    const { values, positionals } = parseArgs({
      args: ctx.argv,
      options: OPTIONS,
      allowPositionals: true,
    })
    const [action, name] = positionals
    return dispatch(ctx, { action, name, values })
  },
}
