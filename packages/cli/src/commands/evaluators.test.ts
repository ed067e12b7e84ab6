import { startServer, testConfig, type RunningServer } from '@vigil/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evaluatorsCommand } from './evaluators.js'

const KEY = 'vk_cli_evaluators_test'
let server: RunningServer

beforeAll(async () => {
  server = await startServer(testConfig({ apiKey: KEY }))
})
afterAll(async () => {
  await server.close()
})

async function vigil(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const env = {
    VIGIL_URL: server.url,
    VIGIL_API_KEY: KEY,
    VIGIL_JUDGE_API_KEY: 'sk-cli-judge-0042',
  }
  const code = await evaluatorsCommand.run({
    argv,
    env,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('vigil evaluators', () => {
  it('sets, lists and deletes evaluators over HTTP; each change is a version', async () => {
    const first = await vigil(
      'set',
      'pii-check',
      '--kind',
      'pii',
      '--rate',
      '0.25',
      '--tags',
      'beta,vip',
    )
    expect(first).toMatchObject({ code: 0, out: 'pii-check: version 1 (pii, code 1)' })
    expect((await vigil('set', 'pii-check', '--kind', 'pii', '--rate', '0.5')).out).toMatch(
      /version 2/,
    )
    const judge = await vigil(
      'set',
      'halluc',
      '--kind',
      'judge',
      '--config',
      '{"rubric":"hallucination"}',
    )
    expect(judge.out).toBe('halluc: version 1 (judge, code judge-1/hallucination-1)')
    const listed = await vigil('list')
    expect(listed.out.split('\n')).toEqual([
      'halluc\tjudge\tv1\tenabled\trate 1\tjudge-1/hallucination-1',
      'pii-check\tpii\tv2\tenabled\trate 0.5\t1',
    ])
    expect((await vigil('delete', 'halluc')).out).toBe('deleted halluc')
    expect((await vigil('list')).out).not.toMatch(/halluc/)
  })

  it('sets the judge endpoint with the key from the environment and prints it masked', async () => {
    const res = await vigil(
      'judge',
      '--base-url',
      'http://127.0.0.1:9/v1',
      '--model',
      'gpt-4o-mini',
    )
    expect(res.code).toBe(0)
    expect(res.out).toContain('"apiKey": "…0042"')
    expect(res.out).not.toContain('sk-cli-judge-0042')
  })

  it('lists evaluation jobs with counts', async () => {
    const res = await vigil('jobs', '--state', 'dead')
    expect(res.out.split('\n')[0]).toMatch(/^pending \d+ {2}running \d+ {2}done \d+ {2}dead 0$/)
  })

  it('explains usage and server refusals', async () => {
    expect(await vigil('frobnicate')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/usage/),
    })
    await expect(vigil('set', 'x', '--kind', 'nope')).rejects.toThrow(
      /400: unknown evaluator kind nope/,
    )
  })
})
