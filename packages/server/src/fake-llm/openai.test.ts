import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeLlm, type FakeLlm } from './index.js'

let fake: FakeLlm
let client: OpenAI

beforeAll(async () => {
  fake = await startFakeLlm({ script: { reply: 'Paris is the capital of France.' } })
  client = new OpenAI({ apiKey: 'sk-test-key', baseURL: `${fake.url}/v1`, maxRetries: 0 })
})
afterAll(() => fake.close())

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
      required: ['city', 'unit'],
    },
  },
} as const

describe('chat completions', () => {
  it('answers with the scripted text and usage', async () => {
    const res = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'What is the capital of France?' }],
    })
    expect(res.object).toBe('chat.completion')
    expect(res.id).toMatch(/^chatcmpl-/)
    expect(res.model).toBe('gpt-4o-mini')
    expect(res.choices).toHaveLength(1)
    expect(res.choices[0]!.message).toMatchObject({
      role: 'assistant',
      content: 'Paris is the capital of France.',
    })
    expect(res.choices[0]!.finish_reason).toBe('stop')
    expect(res.usage!.prompt_tokens).toBeGreaterThan(0)
    expect(res.usage!.completion_tokens).toBeGreaterThan(0)
    expect(res.usage!.total_tokens).toBe(res.usage!.prompt_tokens + res.usage!.completion_tokens)
    expect(res.usage!.prompt_tokens_details?.cached_tokens).toBe(0)
  })

  it('streams deltas, a finish chunk and the usage chunk when asked', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    })
    const chunks = []
    for await (const chunk of stream) chunks.push(chunk)
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')
    expect(text).toBe('Paris is the capital of France.')
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant')
    expect(chunks.length).toBeGreaterThan(4)
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop')
    const last = chunks.at(-1)!
    expect(last.choices).toEqual([])
    expect(last.usage!.completion_tokens).toBeGreaterThan(0)
  })

  it('sends no usage chunk without include_usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    })
    const chunks = []
    for await (const chunk of stream) chunks.push(chunk)
    expect(chunks.every((c) => c.usage === undefined)).toBe(true)
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop')
  })

  it('the stream helper accumulates the same message', async () => {
    const runner = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    })
    const done = await runner.finalChatCompletion()
    expect(done.choices[0]!.message.content).toBe('Paris is the capital of France.')
  })

  it('calls an offered tool with schema-shaped arguments', async () => {
    const res = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tools: [weatherTool],
    })
    const choice = res.choices[0]!
    expect(choice.finish_reason).toBe('tool_calls')
    expect(choice.message.content).toBeNull()
    const call = choice.message.tool_calls![0]!
    expect(call.type).toBe('function')
    expect(call.id).toMatch(/^call_/)
    if (call.type !== 'function') throw new Error('expected a function call')
    expect(call.function.name).toBe('get_weather')
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'example', unit: 'c' })
  })

  it('streams a tool call as incremental argument deltas', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      tools: [weatherTool],
      stream: true,
    })
    const deltas: string[] = []
    let name: string | undefined
    let finish: string | null = null
    for await (const chunk of stream) {
      const choice = chunk.choices[0]
      for (const call of choice?.delta.tool_calls ?? []) {
        name ??= call.function?.name
        if (call.function?.arguments) deltas.push(call.function.arguments)
      }
      finish = choice?.finish_reason ?? finish
    }
    expect(name).toBe('get_weather')
    expect(deltas.length).toBeGreaterThan(1)
    expect(JSON.parse(deltas.join(''))).toEqual({ city: 'example', unit: 'c' })
    expect(finish).toBe('tool_calls')
  })

  it('answers in text after a tool result', async () => {
    const res = await client.chat.completions.create({
      model: 'gpt-4o',
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        {
          role: 'assistant',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '12C' },
      ],
    })
    expect(res.choices[0]!.message.content).toBe('Paris is the capital of France.')
  })

  it('returns n choices, streamed or not', async () => {
    const res = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      n: 3,
    })
    expect(res.choices.map((c) => c.index)).toEqual([0, 1, 2])
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      n: 2,
      stream: true,
    })
    const texts = ['', '']
    for await (const chunk of stream) {
      for (const c of chunk.choices) texts[c.index] += c.delta.content ?? ''
    }
    expect(texts).toEqual(['Paris is the capital of France.', 'Paris is the capital of France.'])
  })

  it('answers JSON in json_object and json_schema modes', async () => {
    const obj = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'answer in JSON' }],
      response_format: { type: 'json_object' },
    })
    expect(JSON.parse(obj.choices[0]!.message.content!)).toEqual({
      answer: 'Paris is the capital of France.',
    })
    const schema = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'extract' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'city',
          schema: {
            type: 'object',
            properties: { name: { type: 'string' }, population: { type: 'integer' } },
          },
        },
      },
    })
    expect(JSON.parse(schema.choices[0]!.message.content!)).toEqual({
      name: 'example',
      population: 1,
    })
  })

  it('stops at max_tokens with finish_reason length', async () => {
    const res = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      max_completion_tokens: 3,
    })
    expect(res.choices[0]!.finish_reason).toBe('length')
    expect(res.choices[0]!.message.content!.length).toBeLessThan(31)
  })
})

describe('legacy completions', () => {
  it('answers with text completions, streamed or not', async () => {
    const res = await client.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Say hi',
      max_tokens: 100,
    })
    expect(res.object).toBe('text_completion')
    expect(res.choices[0]!.text).toBe('Paris is the capital of France.')
    expect(res.usage!.prompt_tokens).toBeGreaterThan(0)
    const stream = await client.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Say hi',
      max_tokens: 100,
      stream: true,
      stream_options: { include_usage: true },
    })
    let text = ''
    let usage: OpenAI.CompletionUsage | undefined | null
    for await (const chunk of stream) {
      text += chunk.choices[0]?.text ?? ''
      usage = chunk.usage ?? usage
    }
    expect(text).toBe('Paris is the capital of France.')
    expect(usage!.completion_tokens).toBeGreaterThan(0)
  })
})

describe('embeddings', () => {
  it('returns deterministic unit vectors, decoded from the default base64', async () => {
    const res = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['the cat sat on the mat', 'the cat sat on the mat', 'quarterly revenue grew'],
    })
    expect(res.data).toHaveLength(3)
    const [a, b, c] = res.data.map((d) => d.embedding)
    expect(a).toHaveLength(1536)
    expect(a).toEqual(b)
    const norm = Math.sqrt(a!.reduce((s, x) => s + x * x, 0))
    expect(norm).toBeCloseTo(1, 4)
    const dot = (x: number[], y: number[]): number => x.reduce((s, v, i) => s + v * y[i]!, 0)
    expect(dot(a!, c!)).toBeLessThan(0.5)
    expect(res.usage.prompt_tokens).toBeGreaterThan(0)
    expect(fake.requests.at(-1)!.body).toMatchObject({ encoding_format: 'base64' })
  })

  it('honours dimensions and float encoding; shared words make vectors similar', async () => {
    const res = await client.embeddings.create({
      model: 'text-embedding-3-large',
      input: ['the cat sat on the mat', 'the cat sat on a mat'],
      dimensions: 256,
      encoding_format: 'float',
    })
    const [a, b] = res.data.map((d) => d.embedding)
    expect(a).toHaveLength(256)
    expect(a!.reduce((s, v, i) => s + v * b![i]!, 0)).toBeGreaterThan(0.6)
  })
})

describe('responses API', () => {
  it('answers with an output_text message and usage', async () => {
    const res = await client.responses.create({
      model: 'gpt-4.1',
      instructions: 'Be brief.',
      input: 'Capital of France?',
    })
    expect(res.object).toBe('response')
    expect(res.status).toBe('completed')
    expect(res.output_text).toBe('Paris is the capital of France.')
    expect(res.usage!.input_tokens).toBeGreaterThan(0)
    expect(res.usage!.output_tokens_details.reasoning_tokens).toBe(0)
  })

  it('streams the real event sequence ending in response.completed', async () => {
    const stream = await client.responses.create({
      model: 'gpt-4.1',
      input: [{ role: 'user', content: 'Capital of France?' }],
      stream: true,
    })
    const types: string[] = []
    let text = ''
    let sequence = -1
    for await (const event of stream) {
      types.push(event.type)
      expect(event.sequence_number).toBe(sequence + 1)
      sequence = event.sequence_number
      if (event.type === 'response.output_text.delta') text += event.delta
      if (event.type === 'response.completed') {
        expect(event.response.usage!.total_tokens).toBeGreaterThan(0)
      }
    }
    expect(text).toBe('Paris is the capital of France.')
    expect(types.slice(0, 4)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
    ])
    expect(types.slice(-4)).toEqual([
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ])
  })

  it('the stream helper assembles the final response', async () => {
    const stream = client.responses.stream({ model: 'gpt-4.1', input: 'Capital of France?' })
    const final = await stream.finalResponse()
    expect(final.output_text).toBe('Paris is the capital of France.')
  })

  it('calls a function tool, streamed and not', async () => {
    const tool = {
      type: 'function' as const,
      name: 'get_weather',
      strict: true,
      parameters: weatherTool.function.parameters,
    }
    const res = await client.responses.create({ model: 'gpt-4.1', input: 'Oslo?', tools: [tool] })
    const item = res.output[0]!
    expect(item.type).toBe('function_call')
    if (item.type !== 'function_call') throw new Error('expected a function call')
    expect(JSON.parse(item.arguments)).toEqual({ city: 'example', unit: 'c' })
    const stream = await client.responses.create({
      model: 'gpt-4.1',
      input: 'Oslo?',
      tools: [tool],
      stream: true,
    })
    let args = ''
    for await (const event of stream) {
      if (event.type === 'response.function_call_arguments.delta') args += event.delta
    }
    expect(JSON.parse(args)).toEqual({ city: 'example', unit: 'c' })
  })
})

describe('models', () => {
  it('lists and retrieves models', async () => {
    const ids = []
    for await (const model of client.models.list()) ids.push(model.id)
    expect(ids).toContain('gpt-4o-mini')
    const model = await client.models.retrieve('gpt-4o')
    expect(model).toMatchObject({ id: 'gpt-4o', object: 'model', owned_by: 'openai' })
  })
})
