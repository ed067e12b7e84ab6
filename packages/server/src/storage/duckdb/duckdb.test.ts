import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Storage } from '@vigil/core'
import { makeScore, makeSpan } from '@vigil/core/testing'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { queryRows } from './connections.js'
import { openDuckDbStorage } from './index.js'
import { openInstance } from './instance.js'
import { MIGRATIONS, migrate } from './migrations.js'
import { appendSpan } from './span-rows.js'
import { createStaging, moveStaged, stageRows } from './staging.js'

const dir = mkdtempSync(join(tmpdir(), 'vigil-duckdb-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let counter = 0
const freshPath = (): string => join(dir, `t-${(counter += 1)}.duckdb`)

/** An in-memory database, migrated, and a connection with its staging tables. */
async function stagingConnection() {
  const { instance, connect } = await openInstance({ path: ':memory:' })
  const c = await connect()
  await migrate(c)
  await createStaging(c)
  return { instance, c }
}

describe('duckdb instance and migrations', () => {
  it("returns DuckDB's freed memory to the OS in the background (instance.ts)", async () => {
    const { instance, connect } = await openInstance({ path: ':memory:' })
    const c = await connect()
    const [row] = await queryRows(
      c,
      `SELECT current_setting('allocator_background_threads') AS purge`,
    )
    expect(row).toEqual({ purge: true })
    c.closeSync()
    instance.closeSync()
  })

  it('never autoloads or autoinstalls extensions', async () => {
    const { instance, connect } = await openInstance({ path: ':memory:' })
    const c = await connect()
    const [row] = await queryRows(
      c,
      `SELECT current_setting('autoinstall_known_extensions') AS install,
              current_setting('autoload_known_extensions') AS load`,
    )
    expect(row).toEqual({ install: false, load: false })
    // fts is not built in: using it must fail at once instead of downloading it
    await expect(c.run("PRAGMA create_fts_index('t', 'id', 'body')")).rejects.toThrow()
    c.closeSync()
    instance.closeSync()
  })

  it('records each migration once and runs none on reopen', async () => {
    const path = freshPath()
    for (const expected of [MIGRATIONS.map((m) => m.version), []]) {
      const { instance, connect } = await openInstance({ path })
      const c = await connect()
      expect(await migrate(c)).toEqual(expected)
      const rows = await queryRows(c, 'SELECT version FROM schema_migrations ORDER BY version')
      expect(rows.map((r) => r['version'])).toEqual(MIGRATIONS.map((m) => m.version))
      c.closeSync()
      instance.closeSync()
    }
  })

  it('upgrades a version-1 file: its spans survive and are found by text', async () => {
    const path = freshPath()
    const old = await openInstance({ path })
    const c = await old.connect()
    await migrate(
      c,
      MIGRATIONS.filter((m) => m.version === 1),
    )
    await c.run(`INSERT INTO spans (key_hash, project_id, trace_id, span_id, name, kind, source,
        start_time, status, tags, usage_estimated, ingested_at, input, output, input_text,
        output_text)
      VALUES (1, 'p1', 't1', 's1', 'chat', 'generation', 'api', TIMESTAMP '2026-11-01 12:00:00',
        'ok', [], false, TIMESTAMP '2026-11-01 12:00:01', '"What is zanzibarite?"',
        '[{"role":"assistant","content":"A mineral."}]', 'What is zanzibarite?', 'A mineral.')`)
    c.closeSync()
    old.instance.closeSync()

    const s = await openDuckDbStorage({ path })
    try {
      const page = await s.events.listSpans({ projectId: 'p1', text: 'MINERAL', limit: 10 })
      expect(page.items.map((x) => [x.spanId, x.input])).toEqual([['s1', 'What is zanzibarite?']])
      await s.events.append({ spans: [makeSpan({ projectId: 'p1', spanId: 's2' })], scores: [] })
      expect((await s.events.listSpans({ projectId: 'p1', limit: 10 })).items).toHaveLength(2)
    } finally {
      await s.close()
    }
  })

  it('gives the event loop turns while it stages a large batch', async () => {
    const { instance, c } = await stagingConnection()
    const text = 'lorem ipsum '.repeat(300)
    const rows = Array.from({ length: 4000 }, (_, i) =>
      makeSpan({ projectId: 'p1', spanId: `y-${i}`, input: `${text}${i}` }),
    )
    let turns = 0
    let staged = false
    const count = (): void => {
      if (staged) return
      turns += 1
      setImmediate(count)
    }
    setImmediate(count)
    await stageRows(c, 'span_staging', { rows, append: appendSpan })
    staged = true
    // appending 4,000 rows of ~3.6 KB takes far more than the few ms staging runs between turns
    expect(turns).toBeGreaterThan(1)
    const [row] = await queryRows(c, 'SELECT count(*)::INTEGER AS n FROM span_staging')
    expect(row).toEqual({ n: 4000 })
    c.closeSync()
    instance.closeSync()
  })

  it('keeps no storage behind in staging once a batch has moved', async () => {
    const { instance, c } = await stagingConnection()
    const text = 'lorem ipsum '.repeat(400)
    for (let batch = 0; batch < 4; batch += 1) {
      const rows = Array.from({ length: 300 }, (_, i) =>
        makeSpan({ projectId: 'p1', spanId: `${batch}-${i}`, input: `${text}${batch}-${i}` }),
      )
      await stageRows(c, 'span_staging', { rows, append: appendSpan })
      await moveStaged(c, 'span_staging')
    }
    // deleted temp rows keep their row groups (DuckDB never reclaims them): staging must be new
    const [used] = await queryRows(
      c,
      "SELECT count(*)::INTEGER AS segments FROM pragma_storage_info('span_staging')",
    )
    expect(used).toEqual({ segments: 0 })
    const [stored] = await queryRows(c, 'SELECT count(*)::INTEGER AS n FROM spans')
    expect(stored).toEqual({ n: 1200 })
    c.closeSync()
    instance.closeSync()
  })

  it('rolls a failing migration back whole', async () => {
    const { instance, connect } = await openInstance({ path: ':memory:' })
    const c = await connect()
    const broken = [{ version: 1, name: 'broken', statements: ['CREATE TABLE a (x INT)', 'NOPE'] }]
    await expect(migrate(c, broken)).rejects.toThrow()
    const tables = await queryRows(
      c,
      "SELECT table_name FROM duckdb_tables() WHERE table_name = 'a'",
    )
    expect(tables).toEqual([])
    expect(await queryRows(c, 'SELECT * FROM schema_migrations')).toEqual([])
    c.closeSync()
    instance.closeSync()
  })
})

describe('duckdb event store', () => {
  let storage: Storage | undefined
  const open = async (): Promise<Storage> =>
    (storage = await openDuckDbStorage({ path: freshPath() }))
  afterEach(async () => {
    await storage?.close()
    storage = undefined
  })

  it('keeps microsecond start and end times exactly', async () => {
    const s = await open()
    const startTime = Date.UTC(2026, 10, 2) + 0.001
    const span = makeSpan({
      projectId: 'p1',
      traceId: 'us',
      startTime,
      endTime: startTime + 12.345,
    })
    await s.events.append({ spans: [span], scores: [] })
    const [stored] = (await s.events.getTrace('p1', 'us'))?.spans ?? []
    expect([stored?.startTime, stored?.endTime]).toEqual([span.startTime, span.endTime])
  })

  it('commits nothing of a batch that fails part-way, and keeps working afterwards', async () => {
    const s = await open()
    const span = makeSpan({ projectId: 'p1', traceId: 'atomic', spanId: 'a' })
    const badScore = makeScore({ projectId: 'p1', traceId: 'atomic', metadata: { n: 1n } })
    await expect(s.events.append({ spans: [span], scores: [badScore] })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    })
    expect(await s.events.getTrace('p1', 'atomic')).toBeNull()
    const retried = await s.events.append({ spans: [span], scores: [] })
    expect(retried.spansInserted).toBe(1)
    expect((await s.events.getTrace('p1', 'atomic'))?.spans).toHaveLength(1)
  })

  it('commits concurrent batches each whole, one failing in its transaction among them', async () => {
    const s = await open()
    const spans = Array.from({ length: 40 }, (_, i) =>
      makeSpan({ projectId: 'p1', traceId: `c${i % 5}`, spanId: `s${i}` }),
    )
    // tags is NOT NULL in spans but not in staging: this batch stages, then fails to move
    const broken = makeSpan({ projectId: 'p1', traceId: 'bad', tags: null as unknown as string[] })
    const batches = [
      spans.slice(0, 15),
      [spans[15]!, broken],
      spans.slice(10, 25).filter((_, i) => i !== 5),
      spans.slice(20, 40),
      [spans[0]!],
    ]
    const results = await Promise.allSettled(
      batches.map((b) => s.events.append({ spans: b, scores: [] })),
    )
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ])
    const inserted = results.flatMap((r) =>
      r.status === 'fulfilled' ? [r.value.spansInserted] : [],
    )
    // every span but spans[15] (only in the failed batch) is stored once
    expect(inserted.reduce((a, b) => a + b, 0)).toBe(39)
    const stored = (await s.events.listSpans({ projectId: 'p1', limit: 100 })).items
    expect(stored.map((x) => x.spanId).sort()).toEqual(
      spans
        .filter((_, i) => i !== 15)
        .map((x) => x.spanId)
        .sort(),
    )
    // the failed batch left nothing staged behind: the next batches carry only their own rows
    for (let i = 0; i < 2; i += 1) {
      const next = await s.events.append({ spans: [spans[15]!], scores: [] })
      expect(next.spansInserted).toBe(i === 0 ? 1 : 0)
    }
    expect(await s.events.getTrace('p1', 'bad')).toBeNull()
  })

  it('counts only new rows across many batches, within and between them', async () => {
    const s = await open()
    const spans = Array.from({ length: 30 }, (_, i) =>
      makeSpan({ projectId: 'p1', traceId: `t${i % 4}`, spanId: `s${i}` }),
    )
    const first = await s.events.append({ spans: spans.slice(0, 20), scores: [] })
    const second = await s.events.append({ spans: [...spans.slice(10), spans[0]!], scores: [] })
    expect([first.spansInserted, second.spansInserted]).toEqual([20, 10])
    expect((await s.events.listSpans({ projectId: 'p1', limit: 100 })).items).toHaveLength(30)
  })

  it('keeps key parts apart, so ids that concatenate alike are distinct spans', async () => {
    const s = await open()
    const a = makeSpan({ projectId: 'p1', traceId: 'ab', spanId: 'c' })
    const b = makeSpan({ projectId: 'p1', traceId: 'a', spanId: 'bc' })
    expect((await s.events.append({ spans: [a, b], scores: [] })).spansInserted).toBe(2)
  })

  it('matches a backslash in search text literally', async () => {
    const s = await open()
    const span = makeSpan({ projectId: 'p1', traceId: 'bs', output: 'C:\\Temp\\x' })
    await s.events.append({ spans: [span], scores: [] })
    const found = async (text: string): Promise<number> =>
      (await s.events.listSpans({ projectId: 'p1', limit: 5, text })).items.length
    expect([await found('c:\\temp'), await found('c:\\\\temp'), await found('c:_temp')]).toEqual([
      1, 0, 0,
    ])
  })

  it('serves reads while a large batch is being written', async () => {
    const s = await open()
    await s.events.append({ spans: [makeSpan({ projectId: 'p1', traceId: 'old' })], scores: [] })
    const big = Array.from({ length: 2000 }, (_, i) =>
      makeSpan({ projectId: 'p1', traceId: `big${i}`, output: 'x'.repeat(2000) }),
    )
    const writing = s.events.append({ spans: big, scores: [] })
    const read = await s.events.getTrace('p1', 'old')
    expect(read?.spans).toHaveLength(1)
    expect((await writing).spansInserted).toBe(2000)
  })

  it('returns a trace larger than one key fetch, in start-time order', async () => {
    const s = await open()
    const t0 = Date.UTC(2026, 10, 2)
    const spans = Array.from({ length: 1201 }, (_, i) =>
      makeSpan({
        projectId: 'p1',
        traceId: 'huge',
        spanId: `s${i}`,
        startTime: t0 + ((i * 7) % 1201),
      }),
    )
    await s.events.append({ spans, scores: [] })
    const trace = await s.events.getTrace('p1', 'huge')
    expect(trace?.spans).toHaveLength(1201)
    const times = trace?.spans.map((x) => x.startTime) ?? []
    expect(times).toEqual([...times].sort((a, b) => a - b))
  })

  it('closes once, however often it is asked', async () => {
    const s = await open()
    await Promise.all([s.close(), s.close()])
    storage = undefined
  })
})
