import type { Score } from '../model/score.js'
import type { Span } from '../model/span.js'

let counter = 0

/** A complete, valid stored span; override any field. */
export function makeSpan(overrides: Partial<Span> = {}): Span {
  counter += 1
  const startTime = overrides.startTime ?? Date.UTC(2026, 10, 1, 12, 0, 0) + counter * 1000
  const endTime = overrides.endTime === undefined ? startTime + 850 : overrides.endTime
  return {
    projectId: 'p_test',
    traceId: `trace-${counter}`,
    spanId: `span-${counter}`,
    parentSpanId: null,
    name: 'chat gpt-4o-mini',
    kind: 'generation',
    source: 'api',
    startTime,
    endTime,
    durationMs: endTime === null ? null : endTime - startTime,
    status: 'ok',
    statusMessage: null,
    userId: 'user-1',
    sessionId: 'session-1',
    feature: 'support-chat',
    environment: 'production',
    release: 'v1.2.3',
    tags: ['beta'],
    promptName: 'support',
    promptVersion: '3',
    provider: 'openai',
    requestModel: 'gpt-4o-mini',
    responseModel: 'gpt-4o-mini-2024-07-18',
    model: 'gpt-4o-mini-2024-07-18',
    params: { temperature: 0.2 },
    input: [
      { role: 'system', content: 'You are a helpful support agent.' },
      { role: 'user', content: `How do I reset my password? #${counter}` },
    ],
    output: [{ role: 'assistant', content: 'Open Settings, then Security, then Reset.' }],
    finishReason: 'stop',
    usage: { input: 42, output: 12 },
    usageEstimated: false,
    cost: { input: 0.0000063, output: 0.0000072, total: 0.0000135 },
    costTotal: 0.0000135,
    ttftMs: 120,
    context: null,
    metadata: { region: 'eu' },
    ingestedAt: Date.UTC(2026, 10, 1, 12, 5, 0),
    ...overrides,
  }
}

/** A complete, valid stored score; override any field. */
export function makeScore(overrides: Partial<Score> = {}): Score {
  counter += 1
  return {
    projectId: 'p_test',
    scoreId: `score-${counter}`,
    traceId: 'trace-x',
    spanId: null,
    name: 'helpfulness',
    dataType: 'numeric',
    value: 0.8,
    stringValue: null,
    source: 'judge',
    evaluator: 'llm-judge',
    evaluatorVersion: '1',
    explanation: 'Answers the question.',
    cost: null,
    costTotal: null,
    latencyMs: 300,
    metadata: null,
    createdAt: Date.UTC(2026, 10, 1, 12, 6, 0),
    ingestedAt: Date.UTC(2026, 10, 1, 12, 6, 0),
    ...overrides,
  }
}
