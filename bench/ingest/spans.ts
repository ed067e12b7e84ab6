import type { SpanInput } from '@vigil/core'

/**
 * Deterministic, realistic LLM spans for benchmarks and tests: the same (count, seed, options)
 * always gives the same spans. Prompts are a per-feature system prompt plus a user message
 * (1–4 KB together), outputs are 0.5–2 KB, and the attribution fields follow skewed
 * (Zipf-like) distributions as production traffic does.
 */

/** Where the generated traffic starts and which traces it belongs to. */
export interface RealisticSpanOptions {
  /** Epoch ms of the first span; default 2026-11-08T00:00:00Z. */
  startTime?: number
  /** Mean gap between consecutive traces in ms; default 250. */
  gapMs?: number
}

interface ModelSpec {
  provider: string
  request: string
  response: string
  /** USD per million input / output tokens. */
  price: [number, number]
  medianLatencyMs: number
}

const MODELS: readonly ModelSpec[] = (
  [
    ['openai', 'gpt-4o-mini', 'gpt-4o-mini-2024-07-18', 0.15, 0.6, 700],
    ['openai', 'gpt-4o', 'gpt-4o-2024-08-06', 2.5, 10, 1400],
    ['anthropic', 'claude-3-5-haiku-latest', 'claude-3-5-haiku-20241022', 0.8, 4, 900],
    ['anthropic', 'claude-sonnet-4-5', 'claude-sonnet-4-5-20250929', 3, 15, 2200],
    ['openai', 'gpt-4.1-mini', 'gpt-4.1-mini-2025-04-14', 0.4, 1.6, 800],
    ['google', 'gemini-2.0-flash', 'gemini-2.0-flash-001', 0.1, 0.4, 600],
    ['mistral', 'mistral-small-latest', 'mistral-small-2503', 0.1, 0.3, 650],
    ['openai', 'o4-mini', 'o4-mini-2025-04-16', 1.1, 4.4, 3800],
  ] as const
).map(([provider, request, response, inPrice, outPrice, medianLatencyMs]) => ({
  provider,
  request,
  response,
  price: [inPrice, outPrice],
  medianLatencyMs,
}))

const FEATURES = [
  'support-chat',
  'search-answer',
  'summarize-ticket',
  'email-draft',
  'code-review',
  'sql-assistant',
  'product-qa',
  'translate',
  'classify-intent',
  'extract-invoice',
  'meeting-notes',
  'onboarding-bot',
] as const

const SYLLABLES =
  'ka lo mi ne ru sa ti vo be da fe gi ho ju ky la mo nu pe qui ra so tu ve wa xe yo ze'
const RARE_WORD = 'zanzibarite'
const CORPUS_CHARS = 1 << 20

/** mulberry32: small, fast, good enough for test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Rand = () => number

const int = (rand: Rand, lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1))
/** Index in [0, n) with P(i) ∝ 1/(i+1): a cheap Zipf. */
const zipf = (rand: Rand, n: number): number =>
  Math.min(n - 1, Math.floor(Math.exp(rand() * Math.log(n + 1)) - 1))
const hex = (rand: Rand, chars: number): string => {
  let out = ''
  while (out.length < chars)
    out += Math.floor(rand() * 0x100000000)
      .toString(16)
      .padStart(8, '0')
  return out.slice(0, chars)
}
/** Log-normal around `median` with shape sigma (Box–Muller). */
const logNormal = (rand: Rand, median: number, sigma: number): number =>
  median * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()))

/** A text corpus of Zipf-distributed pseudo-words, built once per seed. */
function buildCorpus(rand: Rand): string {
  const syllables = SYLLABLES.split(' ')
  const vocab = Array.from({ length: 4000 }, () => {
    let word = ''
    for (let i = int(rand, 1, 4); i > 0; i -= 1)
      word += syllables[int(rand, 0, syllables.length - 1)]
    return word
  })
  const parts: string[] = []
  let size = 0
  while (size < CORPUS_CHARS) {
    const sentence: string[] = []
    for (let i = int(rand, 6, 18); i > 0; i -= 1) sentence.push(vocab[zipf(rand, vocab.length)]!)
    const text = `${sentence.join(' ')}. `
    parts.push(text.charAt(0).toUpperCase() + text.slice(1))
    size += text.length
  }
  return parts.join('')
}

function slice(rand: Rand, corpus: string, length: number): string {
  const start = int(rand, 0, corpus.length - length - 1)
  return corpus.slice(start, start + length)
}

interface Generator {
  rand: Rand
  corpus: string
  systemPrompts: string[]
}

/** The corpus does not depend on the seed: building it costs ~100 ms, so it is built once. */
let sharedCorpus: string | undefined

function makeGenerator(seed: number): Generator {
  sharedCorpus ??= buildCorpus(prng(0x5eed))
  const corpus = sharedCorpus
  const rand = prng(seed)
  const systemPrompts = FEATURES.map(
    (f) => `You are the ${f} assistant of Acme Corp. ${slice(rand, corpus, int(rand, 250, 600))}`,
  )
  return { rand, corpus, systemPrompts }
}

interface TraceContext {
  traceId: string
  userId: string
  sessionId: string
  featureIndex: number
  model: ModelSpec
  release: string
}

function newTrace(g: Generator): TraceContext {
  const { rand } = g
  const user = zipf(rand, 5000)
  return {
    traceId: hex(rand, 32),
    userId: `user_${user}`,
    sessionId: `sess_${user}_${int(rand, 0, 3)}`,
    featureIndex: zipf(rand, FEATURES.length),
    model: MODELS[zipf(rand, MODELS.length)]!,
    release: `v1.${4 + zipf(rand, 4)}.${int(rand, 0, 9)}`,
  }
}

function makeSpan(
  g: Generator,
  t: TraceContext,
  at: { startTime: number; parent: string | null },
): SpanInput {
  const { rand, corpus } = g
  const system = g.systemPrompts[t.featureIndex]!
  const promptBytes = int(rand, 1024, 4096)
  let user = slice(rand, corpus, Math.max(200, promptBytes - system.length))
  if (rand() < 0.0005) user = `${user} ${RARE_WORD}`
  const failed = rand() < 0.015
  const output = failed ? null : slice(rand, corpus, int(rand, 512, 2048))
  const latency = failed && rand() < 0.3 ? 60_000 : logNormal(rand, t.model.medianLatencyMs, 0.55)
  const input = Math.round((system.length + user.length) / 4)
  const cacheRead = rand() < 0.3 ? Math.round(system.length / 4) : 0
  const outputTokens = output === null ? 0 : Math.round(output.length / 4)
  const [inPrice, outPrice] = t.model.price
  const inCost = ((input - cacheRead) * inPrice + cacheRead * inPrice * 0.5) / 1e6
  const outCost = (outputTokens * outPrice) / 1e6
  const feature = FEATURES[t.featureIndex]!
  const startTime = Math.round(at.startTime * 1000) / 1000
  return {
    traceId: t.traceId,
    spanId: hex(rand, 16),
    parentSpanId: at.parent,
    name: `chat ${t.model.request}`,
    kind: 'generation',
    startTime,
    endTime: Math.round((startTime + latency) * 1000) / 1000,
    status: failed ? 'error' : 'ok',
    statusMessage: failed ? (latency >= 60_000 ? 'upstream timeout' : 'rate limited (429)') : null,
    userId: t.userId,
    sessionId: t.sessionId,
    feature,
    environment: rand() < 0.9 ? 'production' : 'staging',
    release: t.release,
    tags: rand() < 0.2 ? ['beta', feature] : [feature],
    promptName: feature,
    promptVersion: String(1 + zipf(rand, 6)),
    provider: t.model.provider,
    requestModel: t.model.request,
    responseModel: failed ? null : t.model.response,
    params: { temperature: int(rand, 0, 10) / 10, max_tokens: 1024 },
    input: [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ],
    output: output === null ? null : [{ role: 'assistant', content: output }],
    finishReason: failed ? null : rand() < 0.97 ? 'stop' : 'length',
    usage:
      cacheRead > 0
        ? { input: input - cacheRead, output: outputTokens, cache_read: cacheRead }
        : { input, output: outputTokens },
    cost: { input: inCost, output: outCost, total: inCost + outCost },
    ttftMs: failed ? null : Math.round(latency * (0.1 + rand() * 0.3)),
    metadata: { region: rand() < 0.6 ? 'eu-west-1' : 'us-east-1', client: 'web' },
  }
}

/** `count` realistic wire spans in traces of 1–4 spans, deterministic for a given seed. */
export function makeRealisticSpans(
  count: number,
  seed: number,
  options: RealisticSpanOptions = {},
): SpanInput[] {
  const g = makeGenerator(seed)
  const gapMs = options.gapMs ?? 250
  let clock = options.startTime ?? Date.UTC(2026, 10, 8)
  const spans: SpanInput[] = []
  while (spans.length < count) {
    const trace = newTrace(g)
    const size = Math.min(count - spans.length, 1 + zipf(g.rand, 4))
    let parent: string | null = null
    for (let i = 0; i < size; i += 1) {
      const span = makeSpan(g, trace, { startTime: clock + i * 3.217, parent })
      parent ??= span.spanId
      spans.push(span)
    }
    clock += g.rand() * 2 * gapMs
  }
  return spans
}
