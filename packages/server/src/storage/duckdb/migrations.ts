import type { DuckDBConnection } from '@duckdb/node-api'
import { queryRows } from './connections.js'
import { readNumber } from './values.js'

/** One schema step. Steps are append-only: never edit a released one, add the next. */
export interface Migration {
  version: number
  name: string
  statements: readonly string[]
}

/*
 * Spans are keyed by an md5 of (project_id, trace_id, span_id) rather than by the three strings:
 * measured on 1M realistic keys, the ART index of the composite string key took 98 MB and made
 * INSERT OR IGNORE 2.8x slower than the 16-byte hash key (50 MB). The length prefixes make the
 * encoding unambiguous; at 128 bits a collision (which would drop a span as a duplicate) is
 * ~1e-26 likely per million spans. Indexes are persisted and loaded lazily on reopen, and they
 * leave memory after a checkpoint, so the index does not pin RSS as the table grows.
 *
 * JSON-valued fields are VARCHAR holding JSON text: the JSON type would re-parse every
 * multi-KB prompt on insert, and DuckDB's JSON functions read VARCHAR just as well.
 */
export const SPAN_KEY_HASH_SQL =
  "md5_number(length(project_id) || ':' || project_id || length(trace_id) || ':' || trace_id || span_id)"

const CREATE_SPANS = `CREATE TABLE spans (
  key_hash UHUGEINT PRIMARY KEY,
  project_id VARCHAR NOT NULL,
  trace_id VARCHAR NOT NULL,
  span_id VARCHAR NOT NULL,
  parent_span_id VARCHAR,
  name VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  start_time TIMESTAMP NOT NULL,
  end_time TIMESTAMP,
  duration_ms DOUBLE,
  status VARCHAR NOT NULL,
  status_message VARCHAR,
  user_id VARCHAR,
  session_id VARCHAR,
  feature VARCHAR,
  environment VARCHAR,
  release VARCHAR,
  tags VARCHAR[] NOT NULL,
  prompt_name VARCHAR,
  prompt_version VARCHAR,
  provider VARCHAR,
  request_model VARCHAR,
  response_model VARCHAR,
  model VARCHAR,
  params VARCHAR,
  input VARCHAR,
  output VARCHAR,
  finish_reason VARCHAR,
  usage MAP(VARCHAR, DOUBLE),
  usage_estimated BOOLEAN NOT NULL,
  cost MAP(VARCHAR, DOUBLE),
  cost_total DOUBLE,
  ttft_ms DOUBLE,
  context VARCHAR,
  metadata VARCHAR,
  ingested_at TIMESTAMP NOT NULL,
  input_text VARCHAR NOT NULL,
  output_text VARCHAR NOT NULL
)`

const CREATE_SCORES = `CREATE TABLE scores (
  project_id VARCHAR NOT NULL,
  score_id VARCHAR NOT NULL,
  trace_id VARCHAR NOT NULL,
  span_id VARCHAR,
  name VARCHAR NOT NULL,
  data_type VARCHAR NOT NULL,
  value DOUBLE,
  string_value VARCHAR,
  source VARCHAR NOT NULL,
  evaluator VARCHAR,
  evaluator_version VARCHAR,
  explanation VARCHAR,
  cost MAP(VARCHAR, DOUBLE),
  cost_total DOUBLE,
  latency_ms DOUBLE,
  metadata VARCHAR,
  created_at TIMESTAMP NOT NULL,
  ingested_at TIMESTAMP NOT NULL,
  PRIMARY KEY (project_id, score_id)
)`

const CREATE_PROJECTS = `CREATE TABLE projects (
  id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL UNIQUE,
  created_at TIMESTAMP NOT NULL
)`

const CREATE_API_KEYS = `CREATE TABLE api_keys (
  id VARCHAR PRIMARY KEY,
  project_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  hash VARCHAR NOT NULL UNIQUE,
  prefix VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL,
  revoked_at TIMESTAMP
)`

const CREATE_CONFIGS = `CREATE TABLE configs (
  project_id VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  id VARCHAR NOT NULL,
  version INTEGER NOT NULL,
  value VARCHAR NOT NULL,
  deleted BOOLEAN NOT NULL,
  created_at TIMESTAMP NOT NULL,
  PRIMARY KEY (project_id, kind, id, version)
)`

const CREATE_JOBS = `CREATE TABLE jobs (
  id VARCHAR PRIMARY KEY,
  queue VARCHAR NOT NULL,
  type VARCHAR NOT NULL,
  project_id VARCHAR NOT NULL,
  payload VARCHAR NOT NULL,
  state VARCHAR NOT NULL,
  attempts INTEGER NOT NULL,
  run_at TIMESTAMP NOT NULL,
  lease_until TIMESTAMP,
  last_error VARCHAR,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
)`

/** The schema, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events, meta, configs and jobs',
    statements: [
      CREATE_SPANS,
      CREATE_SCORES,
      CREATE_PROJECTS,
      CREATE_API_KEYS,
      CREATE_CONFIGS,
      CREATE_JOBS,
    ],
  },
  {
    // Text search reads the JSON columns (span-query.ts). The copies doubled the text every
    // span writes: measure-append.ts, 40k realistic spans in batches of 2000, back to back:
    // 500 → 248 ms CPU per 1k spans, 1,358 → 2,472 spans/s, file 128 → 74 MB.
    version: 2,
    name: 'drop the search-text copies of input and output',
    statements: [
      'ALTER TABLE spans DROP COLUMN input_text',
      'ALTER TABLE spans DROP COLUMN output_text',
    ],
  },
]

/** Applies the migrations not yet recorded in schema_migrations, each in its own transaction. */
export async function migrate(
  c: DuckDBConnection,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  await c.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
  )`)
  const rows = await queryRows(c, 'SELECT version FROM schema_migrations')
  const applied = new Set(rows.map((r) => readNumber(r, 'version')))
  const ran: number[] = []
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue
    await c.run('BEGIN TRANSACTION')
    try {
      for (const sql of migration.statements) await c.run(sql)
      await c.run('INSERT INTO schema_migrations (version, name) VALUES ($version, $name)', {
        version: migration.version,
        name: migration.name,
      })
      await c.run('COMMIT')
    } catch (error) {
      await c.run('ROLLBACK').catch(() => undefined)
      throw error
    }
    ran.push(migration.version)
  }
  return ran
}
