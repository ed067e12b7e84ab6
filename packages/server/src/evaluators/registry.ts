import {
  AppError,
  toFieldIssues,
  type EvalContext,
  type EvalOutcome,
  type Evaluator,
  type Span,
} from '@vigil/core'

/** An evaluator plug-in that can name a finer code version per config (e.g. its rubric's). */
export interface VersionedEvaluator<TConfig> extends Evaluator<TConfig> {
  /** The code version that evaluates this config; defaults to `version`. */
  versionOf?(config: TConfig): string
}

/** How the engine treats a plug-in's scores and what it gives the plug-in. */
export interface RegistrationOptions {
  /** `judge` for plug-ins that ask a model; default `heuristic`. */
  source?: 'heuristic' | 'judge'
  /** Load later spans of the same session into the context (costs a read per evaluation). */
  sessionFollowUps?: boolean
  /** Run this long after the span arrived (e.g. so follow-up turns exist); default 0. */
  delayMs?: number
}

/** A plug-in with its config type erased: configs are checked against its schema at each use. */
export interface RegisteredEvaluator {
  readonly kind: string
  readonly version: string
  readonly source: 'heuristic' | 'judge'
  readonly sessionFollowUps: boolean
  readonly delayMs: number
  /** The parsed config, or INVALID_INPUT with field paths under `config`. */
  parseConfig(config: unknown): unknown
  versionOf(config: unknown): string
  evaluate(span: Span, config: unknown, ctx: EvalContext): Promise<EvalOutcome>
}

/** Erases a plug-in's config type so plug-ins of every kind fit in one registry. */
export function registerEvaluator<TConfig>(
  plugin: VersionedEvaluator<TConfig>,
  options: RegistrationOptions = {},
): RegisteredEvaluator {
  const parse = (config: unknown): TConfig => {
    const parsed = plugin.configSchema.safeParse(config)
    if (parsed.success) return parsed.data
    const issues = toFieldIssues('config', parsed.error)
    const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ')
    throw new AppError('INVALID_INPUT', `invalid ${plugin.kind} config: ${summary}`, {
      details: { issues },
    })
  }
  return {
    kind: plugin.kind,
    version: plugin.version,
    source: options.source ?? 'heuristic',
    sessionFollowUps: options.sessionFollowUps ?? false,
    delayMs: options.delayMs ?? 0,
    parseConfig: parse,
    versionOf: (config) => plugin.versionOf?.(parse(config)) ?? plugin.version,
    evaluate: (span, config, ctx) => plugin.evaluate(span, parse(config), ctx),
  }
}

/** The plug-ins of one server, by kind; built once at the composition root. */
export interface EvaluatorRegistry {
  get(kind: string): RegisteredEvaluator | undefined
  list(): RegisteredEvaluator[]
}

/** A registry over the given plug-ins; two plug-ins of one kind is a wiring mistake. */
export function createEvaluatorRegistry(
  plugins: readonly RegisteredEvaluator[],
): EvaluatorRegistry {
  const byKind = new Map<string, RegisteredEvaluator>()
  for (const plugin of plugins) {
    if (byKind.has(plugin.kind)) {
      throw new AppError('INTERNAL', `two evaluator plug-ins of kind ${plugin.kind}`)
    }
    byKind.set(plugin.kind, plugin)
  }
  return {
    get: (kind) => byKind.get(kind),
    list: () => [...byKind.values()].sort((a, b) => (a.kind < b.kind ? -1 : 1)),
  }
}
