import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SCRIPT_HEADERS, startFakeLlm, type FakeLlm } from './index.js'

let fake: FakeLlm
let openai: OpenAI
let anthropic: Anthropic

const verdictSchema = {
  type: 'object',
  properties: {
    reasons: { type: 'string' },
    choice: { type: 'string', enum: ['Y', 'N'] },
  },
  required: ['reasons', 'choice'],
}

beforeAll(async () => {
  fake = await startFakeLlm({
    script: {
      verdicts: [
        { match: /capital of Germany is Paris/, choice: 'N', reasons: 'Berlin, not Paris.' },
      ],
    },
  })
  openai = new OpenAI({ apiKey: 'sk-test', baseURL: `${fake.url}/v1`, maxRetries: 0 })
  anthropic = new Anthropic({ apiKey: 'k', authToken: null, baseURL: fake.url, maxRetries: 0 })
})
afterAll(() => fake.close())

function judge(answer: string, headers: Record<string, string> = {}) {
  return openai.chat.completions.create(
    {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Grade the answer. Call the verdict tool.' },
        { role: 'user', content: `Answer: ${answer}` },
      ],
      tools: [{ type: 'function', function: { name: 'verdict', parameters: verdictSchema } }],
      tool_choice: { type: 'function', function: { name: 'verdict' } },
    },
    { headers },
  )
}

function argumentsOf(res: OpenAI.ChatCompletion): string {
  const call = res.choices[0]!.message.tool_calls![0]!
  if (call.type !== 'function') throw new Error('expected a function call')
  expect(call.function.name).toBe('verdict')
  return call.function.arguments
}

describe('judge mode', () => {
  it('a forced tool call defaults to the first enum value of choice', async () => {
    const res = await judge('The capital of France is Paris.')
    expect(res.choices[0]!.finish_reason).toBe('stop')
    expect(JSON.parse(argumentsOf(res))).toEqual({ reasons: 'Scripted verdict: Y.', choice: 'Y' })
  })

  it('the first verdict rule matching the prompt decides', async () => {
    const res = await judge('The capital of Germany is Paris.')
    expect(JSON.parse(argumentsOf(res))).toEqual({ reasons: 'Berlin, not Paris.', choice: 'N' })
  })

  it('a verdict header wins over the rules', async () => {
    const res = await judge('The capital of Germany is Paris.', { [SCRIPT_HEADERS.verdict]: 'Y' })
    expect(JSON.parse(argumentsOf(res)).choice).toBe('Y')
  })

  it('can return unparsable arguments', async () => {
    const res = await judge('anything', { [SCRIPT_HEADERS.malformedToolArguments]: 'true' })
    expect(() => JSON.parse(argumentsOf(res)) as unknown).toThrow(SyntaxError)
  })

  it('numeric choices come back as numbers', async () => {
    const res = await openai.chat.completions.create(
      {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Rate 1-5' }],
        tools: [
          {
            type: 'function',
            function: {
              name: 'score',
              parameters: {
                type: 'object',
                properties: {
                  reasons: { type: 'string' },
                  choice: { type: 'integer', minimum: 1 },
                },
              },
            },
          },
        ],
        tool_choice: { type: 'function', function: { name: 'score' } },
      },
      { headers: { [SCRIPT_HEADERS.verdict]: '4' } },
    )
    const call = res.choices[0]!.message.tool_calls![0]!
    if (call.type !== 'function') throw new Error('expected a function call')
    expect(JSON.parse(call.function.arguments)).toMatchObject({ choice: 4 })
  })

  it('structured output with a choice schema answers a verdict too', async () => {
    const res = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Answer: The capital of Germany is Paris.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'v', schema: verdictSchema } },
    })
    expect(JSON.parse(res.choices[0]!.message.content!)).toMatchObject({ choice: 'N' })
  })

  it('Anthropic tool_choice {type: tool} answers with the tool call', async () => {
    const msg = await anthropic.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 512,
      system: 'Grade the answer.',
      messages: [{ role: 'user', content: 'Answer: The capital of Germany is Paris.' }],
      tools: [{ name: 'verdict', input_schema: { ...verdictSchema, type: 'object' } }],
      tool_choice: { type: 'tool', name: 'verdict' },
    })
    expect(msg.stop_reason).toBe('tool_use')
    expect(msg.content).toEqual([
      expect.objectContaining({
        type: 'tool_use',
        name: 'verdict',
        input: { reasons: 'Berlin, not Paris.', choice: 'N' },
      }),
    ])
  })

  it('Anthropic streamed judge arguments can be made unparsable', async () => {
    const events = await anthropic.messages.create(
      {
        model: 'claude-haiku-4-5',
        max_tokens: 512,
        messages: [{ role: 'user', content: 'Answer: ok' }],
        tools: [{ name: 'verdict', input_schema: { ...verdictSchema, type: 'object' } }],
        tool_choice: { type: 'tool', name: 'verdict' },
        stream: true,
      },
      { headers: { [SCRIPT_HEADERS.malformedToolArguments]: '1' } },
    )
    let json = ''
    for await (const event of events) {
      if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') {
        json += event.delta.partial_json
      }
    }
    expect(json.startsWith('{"reasons"')).toBe(true)
    expect(() => JSON.parse(json) as unknown).toThrow(SyntaxError)
  })

  it('the Responses API forces a function call the same way', async () => {
    const res = await openai.responses.create({
      model: 'gpt-4.1-mini',
      input: 'Answer: The capital of Germany is Paris.',
      tools: [{ type: 'function', name: 'verdict', parameters: verdictSchema, strict: true }],
      tool_choice: { type: 'function', name: 'verdict' },
    })
    const item = res.output[0]!
    if (item.type !== 'function_call') throw new Error('expected a function call')
    expect(JSON.parse(item.arguments)).toEqual({ reasons: 'Berlin, not Paris.', choice: 'N' })
  })
})
