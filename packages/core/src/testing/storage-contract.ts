import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../errors.js'
import type { Span } from '../model/span.js'
import type { Storage } from '../ports/storage.js'
import { makeScore, makeSpan } from './fixtures.js'

/** How a contract run gets a fresh, empty storage, and (for durable adapters) reopens it. */
export interface StorageContractOptions {
  open(): Promise<Storage>
  /** Closes `storage` and opens the same data again; omit for non-durable adapters. */
  reopen?(storage: Storage): Promise<Storage>
}

const T0 = Date.UTC(2026, 10, 2, 0, 0, 0)

async function collectAll(storage: Storage, limit: number): Promise<Span[]> {
  const all: Span[] = []
  let cursor
  for (let guard = 0; guard < 1000; guard += 1) {
    const page = await storage.events.listSpans({ projectId: 'p1', limit, cursor })
    all.push(...page.items)
    if (!page.nextCursor) return all
    cursor = page.nextCursor
  }
  throw new Error('pagination did not end')
}

/** The one behaviour every Storage adapter must have. */
export function describeStorageContract(name: string, options: StorageContractOptions): void {
  describe(`storage contract: ${name}`, () => {
    let storage: Storage | undefined
    const open = async (): Promise<Storage> => {
      storage = await options.open()
      return storage
    }
    afterEach(async () => {
      await storage?.close()
      storage = undefined
    })

    it('stores a span once when the same key is appended twice', async () => {
      const s = await open()
      const span = makeSpan({ projectId: 'p1', traceId: 't1', spanId: 'a' })
      const first = await s.events.append({ spans: [span, { ...span }], scores: [] })
      const second = await s.events.append({ spans: [span], scores: [] })
      expect(first.spansInserted).toBe(1)
      expect(second.spansInserted).toBe(0)
      const trace = await s.events.getTrace('p1', 't1')
      expect(trace?.spans).toHaveLength(1)
    })

    it('returns every field of a span and a score exactly as written', async () => {
      const s = await open()
      const span = makeSpan({
        projectId: 'p1',
        traceId: 't-round',
        startTime: T0 + 0.5,
        tags: ['a', 'b'],
        context: [{ id: 'd1', content: 'Paris is the capital of France.', score: 0.9 }],
        costTotal: null,
        cost: null,
        usage: { input: 10, output: 3, cache_read: 5, reasoning: 2 },
        input: [{ role: 'user', content: [{ type: 'text', text: 'hi' }], name: 'u' }],
        metadata: { nested: { deep: [1, 'two', null] } },
      })
      const score = makeScore({ projectId: 'p1', traceId: 't-round', spanId: span.spanId })
      const bool = makeScore({
        projectId: 'p1',
        traceId: 't-round',
        dataType: 'boolean',
        value: 1,
        stringValue: 'true',
        cost: { input: 0.001, total: 0.001 },
        costTotal: 0.001,
        metadata: { k: 'v' },
      })
      await s.events.append({ spans: [span], scores: [score, bool] })
      const trace = await s.events.getTrace('p1', 't-round')
      expect(trace?.spans[0]).toEqual(span)
      const byId = new Map(trace?.scores.map((x) => [x.scoreId, x]))
      expect(byId.get(score.scoreId)).toEqual(score)
      expect(byId.get(bool.scoreId)).toEqual(bool)
    })

    it('stores a score once when the same id is appended twice', async () => {
      const s = await open()
      await s.events.append({ spans: [makeSpan({ projectId: 'p1', traceId: 't2' })], scores: [] })
      const score = makeScore({ projectId: 'p1', traceId: 't2', scoreId: 'dup' })
      const r1 = await s.events.append({ spans: [], scores: [score] })
      const r2 = await s.events.append({ spans: [], scores: [score] })
      expect([r1.scoresInserted, r2.scoresInserted]).toEqual([1, 0])
      expect((await s.events.getTrace('p1', 't2'))?.scores).toHaveLength(1)
    })

    it('stores the new events of a batch that also repeats known ones', async () => {
      const s = await open()
      const known = makeSpan({ projectId: 'p1', traceId: 't3', spanId: 'known' })
      const knownScore = makeScore({ projectId: 'p1', traceId: 't3', scoreId: 'known-score' })
      await s.events.append({ spans: [known], scores: [knownScore] })
      const fresh = makeSpan({ projectId: 'p1', traceId: 't3', spanId: 'fresh' })
      const freshScore = makeScore({ projectId: 'p1', traceId: 't3', scoreId: 'fresh-score' })
      // a new span beside a known score, then a known span beside a new score
      const r1 = await s.events.append({ spans: [fresh], scores: [knownScore] })
      const r2 = await s.events.append({ spans: [known], scores: [freshScore, freshScore] })
      expect([r1.spansInserted, r1.scoresInserted]).toEqual([1, 0])
      expect([r2.spansInserted, r2.scoresInserted]).toEqual([0, 1])
      const trace = await s.events.getTrace('p1', 't3')
      expect(trace?.spans.map((x) => x.spanId).sort()).toEqual(['fresh', 'known'])
      expect(trace?.scores.map((x) => x.scoreId).sort()).toEqual(['fresh-score', 'known-score'])
      // and the store goes on taking plain batches afterwards
      const later = makeSpan({ projectId: 'p1', traceId: 't3', spanId: 'later' })
      expect((await s.events.append({ spans: [later], scores: [] })).spansInserted).toBe(1)
    })

    it('scopes every read to its project', async () => {
      const s = await open()
      await s.events.append({
        spans: [makeSpan({ projectId: 'pA', traceId: 'shared', spanId: 's1', userId: 'u' })],
        scores: [makeScore({ projectId: 'pA', traceId: 'shared' })],
      })
      expect(await s.events.getTrace('pB', 'shared')).toBeNull()
      expect((await s.events.listSpans({ projectId: 'pB', limit: 10 })).items).toHaveLength(0)
      expect((await s.events.listSpans({ projectId: 'pA', limit: 10 })).items).toHaveLength(1)
    })

    it('returns a trace with spans ordered by start time and null for an unknown trace', async () => {
      const s = await open()
      const root = makeSpan({ projectId: 'p1', traceId: 'tt', spanId: 'root', startTime: T0 })
      const child = makeSpan({
        projectId: 'p1',
        traceId: 'tt',
        spanId: 'child',
        parentSpanId: 'root',
        startTime: T0 + 5,
      })
      await s.events.append({ spans: [child, root], scores: [] })
      const trace = await s.events.getTrace('p1', 'tt')
      expect(trace?.spans.map((x) => x.spanId)).toEqual(['root', 'child'])
      expect(await s.events.getTrace('p1', 'nope')).toBeNull()
    })

    describe('listSpans filters', () => {
      const seed = async (s: Storage): Promise<void> => {
        const spans = [
          makeSpan({
            projectId: 'p1',
            traceId: 'f1',
            spanId: '1',
            startTime: T0,
            model: 'gpt-4o',
            userId: 'alice',
            sessionId: 'S1',
            feature: 'chat',
            status: 'ok',
            output: 'The 50% Refund policy_x',
          }),
          makeSpan({
            projectId: 'p1',
            traceId: 'f2',
            spanId: '2',
            startTime: T0 + 1000,
            model: 'claude',
            userId: 'bob',
            sessionId: 'S2',
            feature: 'search',
            status: 'error',
            kind: 'retrieval',
            input: 'zanzibarite lookup',
          }),
          makeSpan({
            projectId: 'p1',
            traceId: 'f3',
            spanId: '3',
            startTime: T0 + 2000,
            model: 'gpt-4o',
            userId: 'bob',
            sessionId: 'S2',
            feature: 'chat',
            status: 'ok',
          }),
          makeSpan({
            projectId: 'p2',
            traceId: 'f4',
            spanId: '4',
            startTime: T0 + 3000,
            model: 'gpt-4o',
            userId: 'alice',
          }),
        ]
        const scores = [
          makeScore({ projectId: 'p1', traceId: 'f1', spanId: '1', name: 'quality', value: 0.2 }),
          makeScore({ projectId: 'p1', traceId: 'f3', spanId: null, name: 'quality', value: 0.9 }),
          makeScore({ projectId: 'p2', traceId: 'f4', spanId: '4', name: 'quality', value: 0.5 }),
        ]
        await s.events.append({ spans, scores })
      }
      const ids = async (s: Storage, filter: Record<string, unknown>): Promise<string[]> => {
        const page = await s.events.listSpans({ projectId: 'p1', limit: 50, ...filter })
        return page.items.map((x) => x.spanId)
      }

      it('filters by model, user, session, feature, status, kind and trace', async () => {
        const s = await open()
        await seed(s)
        expect(await ids(s, {})).toEqual(['3', '2', '1'])
        expect(await ids(s, { model: 'gpt-4o' })).toEqual(['3', '1'])
        expect(await ids(s, { userId: 'bob' })).toEqual(['3', '2'])
        expect(await ids(s, { sessionId: 'S1' })).toEqual(['1'])
        expect(await ids(s, { feature: 'chat' })).toEqual(['3', '1'])
        expect(await ids(s, { status: 'error' })).toEqual(['2'])
        expect(await ids(s, { kind: 'retrieval' })).toEqual(['2'])
        expect(await ids(s, { traceId: 'f3' })).toEqual(['3'])
      })

      it('filters by time range with from inclusive and to exclusive', async () => {
        const s = await open()
        await seed(s)
        expect(await ids(s, { from: T0 + 1000 })).toEqual(['3', '2'])
        expect(await ids(s, { to: T0 + 1000 })).toEqual(['1'])
        expect(await ids(s, { from: T0, to: T0 + 2000 })).toEqual(['2', '1'])
      })

      it('filters by score presence and range on the span or its trace', async () => {
        const s = await open()
        await seed(s)
        expect(await ids(s, { score: { name: 'quality' } })).toEqual(['3', '1'])
        expect(await ids(s, { score: { name: 'quality', min: 0.5 } })).toEqual(['3'])
        expect(await ids(s, { score: { name: 'quality', max: 0.5 } })).toEqual(['1'])
        expect(await ids(s, { score: { name: 'missing' } })).toEqual([])
      })

      it('matches text case-insensitively and treats % and _ literally', async () => {
        const s = await open()
        await seed(s)
        expect(await ids(s, { text: 'ZANZIBARITE' })).toEqual(['2'])
        expect(await ids(s, { text: 'refund POLICY' })).toEqual(['1'])
        expect(await ids(s, { text: '50%' })).toEqual(['1'])
        expect(await ids(s, { text: 'y_x' })).toEqual(['1'])
        expect(await ids(s, { text: 'policy%x' })).toEqual([])
        expect(await ids(s, { text: 'ref_nd' })).toEqual([])
      })

      it('matches the text of messages, parts and tool calls, never their structure', async () => {
        const s = await open()
        const span = (spanId: string, startTime: number, over: Partial<Span>): Span =>
          makeSpan({ projectId: 'p1', traceId: 'm', spanId, startTime, ...over })
        await s.events.append({
          spans: [
            span('quoted', T0, {
              input: [{ role: 'user', content: 'She said "hi"\nthen left \\ back' }],
              output: [{ role: 'assistant', content: 'Noted.' }],
            }),
            span('parts', T0 + 1, {
              input: [{ role: 'user', content: [{ type: 'text', text: 'Überprüfe das Angebot' }] }],
              output: null,
            }),
            span('tool', T0 + 2, {
              input: [{ role: 'user', content: 'weather?' }],
              output: [
                {
                  role: 'assistant',
                  content: null,
                  toolCalls: [{ id: 'c1', name: 'get_weather', arguments: '{"city":"Lyon"}' }],
                },
              ],
            }),
          ],
          scores: [],
        })
        const found = (text: string) =>
          s.events
            .listSpans({ projectId: 'p1', text, limit: 10 })
            .then((p) => p.items.map((x) => x.spanId))
        expect(await found('SAID "HI"\nTHEN')).toEqual(['quoted'])
        expect(await found('left \\ back')).toEqual(['quoted'])
        expect(await found('überprüfe')).toEqual(['parts'])
        expect(await found('get_weather')).toEqual(['tool'])
        expect(await found('"city":"lyon"')).toEqual(['tool'])
        // words that appear only as keys, roles or part types in the stored JSON
        for (const structure of ['role', 'user', 'assistant', 'content', 'toolcalls', 'type'])
          expect(await found(structure)).toEqual([])
      })
    })

    it('paginates newest first with a cursor, without gaps or repeats', async () => {
      const s = await open()
      const spans = Array.from({ length: 23 }, (_, i) =>
        // pairs share a start time so the tie-breaker is exercised
        makeSpan({
          projectId: 'p1',
          traceId: `pg${i % 3}`,
          spanId: `s${i}`,
          startTime: T0 + Math.floor(i / 2),
        }),
      )
      await s.events.append({ spans, scores: [] })
      const all = await collectAll(s, 5)
      expect(all).toHaveLength(23)
      expect(new Set(all.map((x) => `${x.traceId}/${x.spanId}`)).size).toBe(23)
      for (let i = 1; i < all.length; i += 1) {
        expect(all[i - 1]!.startTime).toBeGreaterThanOrEqual(all[i]!.startTime)
      }
    })

    it('creates projects and finds, lists and revokes API keys by project', async () => {
      const s = await open()
      await s.meta.createProject({ id: 'p1', name: 'one', createdAt: T0 })
      await s.meta.createProject({ id: 'p2', name: 'two', createdAt: T0 })
      expect(await s.meta.getProject('p1')).toEqual({ id: 'p1', name: 'one', createdAt: T0 })
      expect((await s.meta.getProjectByName('two'))?.id).toBe('p2')
      expect(await s.meta.getProject('nope')).toBeNull()
      expect((await s.meta.listProjects()).map((p) => p.id).sort()).toEqual(['p1', 'p2'])
      const key = {
        id: 'k1',
        projectId: 'p1',
        name: 'ci',
        hash: 'h'.repeat(64),
        prefix: 'vk_abcd',
        createdAt: T0,
        revokedAt: null,
      }
      await s.meta.createApiKey(key)
      expect(await s.meta.findApiKeyByHash(key.hash)).toEqual(key)
      await expect(s.meta.createApiKey({ ...key, id: 'k2' })).rejects.toSatisfy(
        (e: unknown) => e instanceof AppError && e.code === 'CONFLICT',
      )
      await expect(
        s.meta.createProject({ id: 'p1', name: 'again', createdAt: T0 }),
      ).rejects.toSatisfy((e: unknown) => e instanceof AppError && e.code === 'CONFLICT')
      expect(await s.meta.revokeApiKey('p2', 'k1', T0 + 1)).toBe(false)
      expect(await s.meta.revokeApiKey('p1', 'k1', T0 + 1)).toBe(true)
      expect((await s.meta.findApiKeyByHash(key.hash))?.revokedAt).toBe(T0 + 1)
      expect(await s.meta.listApiKeys('p1')).toHaveLength(1)
      expect(await s.meta.listApiKeys('p2')).toHaveLength(0)
    })

    if (options.reopen) {
      const reopen = options.reopen
      it('keeps spans, scores, projects and keys across close and reopen', async () => {
        const s = await open()
        const span = makeSpan({ projectId: 'p1', traceId: 'dur' })
        await s.events.append({
          spans: [span],
          scores: [makeScore({ projectId: 'p1', traceId: 'dur' })],
        })
        await s.meta.createProject({ id: 'p1', name: 'one', createdAt: T0 })
        storage = await reopen(s)
        const trace = await storage.events.getTrace('p1', 'dur')
        expect(trace?.spans[0]).toEqual(span)
        expect(trace?.scores).toHaveLength(1)
        expect((await storage.meta.getProject('p1'))?.name).toBe('one')
      })
    }
  })
}
