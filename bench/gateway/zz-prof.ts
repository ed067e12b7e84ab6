import { spawn } from 'node:child_process'
import { runLoad } from './loadgen.js'
const start = (args: string[]) =>
  new Promise<{ child: any; info: any }>((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
    child.stdout!.once('data', (d: Buffer) =>
      resolve({ child, info: JSON.parse(d.toString().split('\n')[0]!) }),
    )
  })
const fake = await start(['--import', 'tsx', 'bench/gateway/fake-child.ts'])
const vigil = await start([
  '--cpu-prof',
  '--cpu-prof-dir=/tmp/gw/prof',
  '--import',
  'tsx',
  'bench/gateway/vigil-child.ts',
  fake.info.url,
  process.argv[2] ?? 'memory',
  'vk_k',
])
const body = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You are a helpful assistant. '.repeat(20) },
    { role: 'user', content: 'Summarise: ' + 'the quick brown fox '.repeat(40) },
  ],
})
const spec = {
  url: vigil.info.url,
  path: '/proxy/openai/v1/chat/completions',
  headers: {
    'content-type': 'application/json',
    authorization: 'Bearer sk',
    'x-vigil-key': 'vk_k',
  },
  body,
  requests: 12000,
  concurrency: 50,
}
const r = await runLoad(spec)
console.log('rps', r.rps.toFixed(0), 'errors', r.errors)
vigil.child.kill('SIGTERM')
fake.child.kill('SIGTERM')
await new Promise((res) => vigil.child.once('exit', res))
