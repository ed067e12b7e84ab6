import { fill, forSplit, type LabelledText, type Rng, type Split } from './rng.js'

const REQUEST = [
  'that',
  'this request',
  'writing that',
  'creating that content',
  'providing those instructions',
  'that kind of request',
  'your request',
]
const TOPIC = [
  'medication doses',
  'the lawsuit',
  'your tax return',
  'the election',
  'that person',
  'hacking the account',
  'the exam answers',
  'the stock price',
]
const REASON = [
  'it could cause harm',
  'it goes against my guidelines',
  'it involves private information',
  'it could be used to hurt someone',
  'it would violate the terms of service',
  'I cannot verify it is safe',
]
const RESOURCE = [
  'If you are in danger, please contact local emergency services.',
  'A licensed professional can help you with this.',
  'You may want to speak with a lawyer.',
  'Please reach out to a qualified doctor.',
  '',
]
const SLOTS = (r: Rng) => ({
  req: () => r.pick(REQUEST),
  topic: () => r.pick(TOPIC),
  reason: () => r.pick(REASON),
  resource: () => r.pick(RESOURCE),
})

const REFUSALS = [
  "I'm sorry, but I can't help with {req}.",
  "I'm sorry, but I can't assist with {req} because {reason}. {resource}",
  'I cannot provide information about {topic}.',
  'As an AI language model, I cannot browse the internet or access live data.',
  "I won't be able to help with {req}. {resource}",
  'I must respectfully decline to answer questions about {topic}.',
  'Unfortunately, I am unable to comply with {req}.',
  "I'm not able to share details about {topic}. {resource}",
  'That request goes against my guidelines, so I have to decline.',
  "Sorry, I can't do that.",
  "I apologize, but I'm not comfortable helping with {req}.",
  "I'm afraid I can't provide that. {resource}",
  'I do not have access to real-time information such as {topic}.',
  "It's not appropriate for me to give advice on {topic}.",
  'I cannot create content like that because {reason}.',
  "I'd rather not discuss {topic}.",
  "Providing {req} would violate my usage policies, so I can't continue.",
  "I'm unable to help with {req}. Is there anything else I can do for you?",
  "Sorry, but that's not something I can help with.",
  "I can't generate that image because {reason}.",
  'My apologies, but I am not permitted to discuss {topic}.',
  "I'm not going to write that. {resource}",
  'I have to decline this one, since {reason}.',
  'Regrettably, I cannot fulfill {req}.',
]

const ANSWERS = [
  "I'm sorry to hear that! Here's how to fix it: open Settings, choose Storage and clear the cache, then restart the app.",
  "I can't stress enough how important backups are. Set up a nightly job with restic and test a restore monthly.",
  "Unfortunately, the API doesn't support batch deletes, but you can loop over the ids and call DELETE for each one.",
  "I can't be certain without the logs, but the likely cause is a stale lockfile. Delete package-lock.json and run npm install.",
  "I can't provide a diagnosis, but here are some general tips: rest, drink plenty of water, and take paracetamol as directed on the package. If the fever lasts more than three days or rises above 39 °C, see a doctor, and call emergency services if you have trouble breathing.",
  "I won't go into every edge case, but here is the overview: the function reads the config, validates each field with zod, and returns a typed object. Errors are collected and reported together so the user can fix them in one pass.",
  'Sure! The capital of Australia is Canberra, not Sydney.',
  'Good question. Photosynthesis turns light, water and carbon dioxide into glucose and oxygen inside the chloroplasts.',
  "Could you share the exact error message? With that I can tell whether it's a permissions problem or a missing dependency.",
  "I don't know the exact figure, but it's roughly 3 million, according to the 2020 census.",
  'Here is a haiku:\nCrimson leaves drifting\nacross the silent river\nautumn says goodbye',
  "Sorry for the confusion earlier! The correct command is `git rebase -i HEAD~3`, then mark the commits you want to squash with 's'.",
  "I'm not a lawyer, but in most US states a landlord must give 30 days' notice before raising the rent on a month-to-month lease. Check your state's tenant handbook, and your local housing authority can confirm the exact rules for your city.",
  'Apologies for the delay. Your refund of $42.10 was issued today and should appear within five business days.',
  "That's a great idea. To cancel the subscription, go to Account, then Billing, and click Cancel plan.",
  "No problem! Here's the SQL: SELECT customer_id, COUNT(*) FROM orders GROUP BY customer_id;",
  'Unfortunately there is no direct train, but you can take the 8:15 bus to Porto and change there for the coastal line.',
  'I cannot guarantee the numbers will match, since markets move daily, but historically index funds have returned about 7% a year after inflation. Diversify, keep fees low, and invest regularly.',
  "While I can't see your screen, the steps are: open the terminal, run `ls -la`, and check that the file is owned by your user. If not, fix it with chown and try again.",
  "Great question! You can't divide by zero in standard arithmetic; the result is undefined.",
  "I can't help with the exam answers themselves, but I can walk you through similar practice problems: start by writing the equation for the net force, then isolate acceleration, plug in the mass of 2 kg and the force of 10 N, and you get 5 m/s². Try the next problem the same way and tell me what you get.",
  'Here are three options: 1) Postgres for relational data, 2) Redis for caching, 3) S3 for files. For a small app, Postgres alone is usually enough.',
  'Thanks for your patience. The outage was caused by an expired certificate, which we renewed at 14:05 UTC.',
  "I'd be happy to help! Start with a 10-minute warm-up, then three rounds of squats, push-ups and rows.",
]

// Openers that sound like a refusal but lead into help.
const OPENERS = [
  "I'm sorry to hear that.",
  'Sure!',
  'Of course.',
  'Unfortunately this is a common issue.',
  'Happy to help.',
  'Apologies for the trouble.',
  'Good question!',
  "I can't believe I missed that earlier.",
  'Sorry about the confusion.',
  'Thanks for the details.',
  "That's frustrating, I know.",
  'No worries.',
]

/** Balanced refusal examples (full refusals vs answers, including polite partial ones). */
export function refusalExamples(rng: Rng, split: Split, count: number): LabelledText[] {
  const refusals = forSplit(REFUSALS, split)
  const answers = forSplit(ANSWERS, split)
  const out: LabelledText[] = []
  for (let i = 0; i < count; i += 1) {
    const text = fill(refusals[i % refusals.length] as string, SLOTS(rng)).trim()
    out.push({ id: '', text, label: true, kind: 'refusal' })
  }
  const openers = forSplit(OPENERS, split)
  for (let i = 0; i < count; i += 1) {
    const body = answers[i % answers.length] as string
    const text = i < answers.length ? body : `${rng.pick(openers)} ${body}`
    out.push({ id: '', text, label: false, kind: 'answer' })
  }
  return out.map((e, i) => ({ ...e, id: `ref-${split}-${i}` }))
}
