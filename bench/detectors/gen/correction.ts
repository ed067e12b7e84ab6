import { forSplit, type Rng, type Split } from './rng.js'

/** A pair of user turns; label true when the second shows the answer to the first missed. */
export interface CorrectionExample {
  id: string
  previous: string
  followUp: string
  label: boolean
  kind: string
}

interface Topic {
  question: string
  rephrases: string[]
  next: string[]
}

const TOPICS: Topic[] = [
  {
    question: 'How do I export a table to CSV in PostgreSQL?',
    rephrases: [
      'How can I export a PostgreSQL table as a CSV file?',
      'what is the way to export a postgres table to csv',
    ],
    next: ['How do I import it back?', 'Can I schedule that nightly?'],
  },
  {
    question: 'What is the refund policy for annual plans?',
    rephrases: ['What is your refund policy on annual plans?', 'refund policy for an annual plan?'],
    next: ['How long does the refund take?', 'Do you also offer monthly plans?'],
  },
  {
    question: 'How do I reset my router to factory settings?',
    rephrases: ['How can I factory reset my router?', 'router factory reset how'],
    next: ['What is the default admin password?', 'How do I change the Wi-Fi name after that?'],
  },
  {
    question: 'Which vaccines do I need for a trip to Kenya?',
    rephrases: [
      'What vaccinations are needed for travel to Kenya?',
      'kenya trip which vaccines do i need',
    ],
    next: ['Do I need malaria tablets too?', 'How early should I book the appointment?'],
  },
  {
    question: 'How do I center a div horizontally and vertically?',
    rephrases: [
      'How can I center a div both horizontally and vertically?',
      'center div vertically and horizontally css',
    ],
    next: ['How do I do the same with grid?', 'Does that work in Safari?'],
  },
  {
    question: 'What is the capital of Australia?',
    rephrases: ['Which city is the capital of Australia?', 'capital city of australia?'],
    next: ['What is its population?', 'And of New Zealand?'],
  },
  {
    question: 'How much protein should I eat per day to build muscle?',
    rephrases: [
      'How much daily protein do I need to build muscle?',
      'protein per day for building muscle',
    ],
    next: ['Which foods are highest in protein?', 'Is whey protein safe?'],
  },
  {
    question: 'How do I undo the last git commit but keep the changes?',
    rephrases: [
      'How can I undo my last git commit while keeping the changes?',
      'git undo last commit keep changes',
    ],
    next: ['How do I push that to the remote?', 'What if I already pushed it?'],
  },
  {
    question: 'Can I bring a power bank on a flight?',
    rephrases: ['Am I allowed to take a power bank on a plane?', 'power bank allowed on flight?'],
    next: ['What about in checked luggage?', 'Is there a size limit?'],
  },
  {
    question: 'How do I convert a string to a date in Python?',
    rephrases: [
      'How can I convert a string into a date in Python?',
      'python string to date conversion',
    ],
    next: ['How do I handle time zones?', 'And back to a string?'],
  },
  {
    question: 'What are the symptoms of iron deficiency?',
    rephrases: ['What symptoms does iron deficiency cause?', 'iron deficiency symptoms?'],
    next: ['Which foods help?', 'Should I get a blood test?'],
  },
  {
    question: 'How do I change the default shell to zsh on macOS?',
    rephrases: ['How can I make zsh the default shell on macOS?', 'set zsh as default shell mac'],
    next: ['How do I install oh-my-zsh?', 'Where is the config file?'],
  },
]

const EXPLICIT = [
  "That's wrong, it didn't work at all.",
  'No, I meant on Windows, not Linux.',
  "That's not what I asked.",
  'Actually it has to work without admin rights.',
  'It still doesnt work, same error as before.',
  'You misunderstood the question.',
  'Are you sure? That contradicts the docs.',
  'This is incorrect, the version you mention does not exist.',
  'nope, wrong answer',
  'I asked about the annual plan, not the monthly one.',
  "That didn't answer my question.",
  'No. Read my question again please.',
  "You're wrong, that option was removed last year.",
  'Still broken after trying that.',
  'I was talking about the other one.',
  "That's not right, please double-check.",
  'Try again, that makes no sense.',
  'Wrong. The limit is 100, not 50.',
]

const BENIGN = [
  'Thanks, that worked! {next}',
  'Great, thank you. {next}',
  'Perfect. {next}',
  'Actually, can you also tell me: {next}',
  'No worries, one more question. {next}',
  '{next}',
  'Got it. {next}',
  'Nice, that fixed it.',
  'Awesome, makes sense now.',
  'Cool. Also, {next}',
  'Okay thanks! {next}',
  'That helps a lot. {next}',
  'Exactly what I needed.',
  'Thank you so much!',
  'Could you explain the second step in more detail?',
  'Interesting. Why does that work?',
  'Now write a short summary of that for my team.',
  'Also, what would you recommend for a beginner?',
]

/** Balanced user-correction examples over shared topics with split-specific phrasings. */
export function correctionExamples(rng: Rng, split: Split, count: number): CorrectionExample[] {
  const topics = forSplit(TOPICS, split)
  const explicit = forSplit(EXPLICIT, split)
  const benign = forSplit(BENIGN, split)
  const out: CorrectionExample[] = []
  for (let i = 0; i < count; i += 1) {
    const t = rng.pick(topics)
    const kind = i % 5 === 0 ? 'regenerate' : i % 5 === 1 ? 'rephrase' : 'explicit'
    const followUp =
      kind === 'regenerate'
        ? t.question
        : kind === 'rephrase'
          ? rng.pick(t.rephrases)
          : rng.pick(explicit)
    out.push({ id: '', previous: t.question, followUp, label: true, kind })
  }
  for (let i = 0; i < count; i += 1) {
    const t = rng.pick(topics)
    const other = rng.pick(topics.filter((x) => x !== t))
    const followUp =
      i % 6 === 5 ? other.question : rng.pick(benign).replace('{next}', rng.pick(t.next))
    out.push({
      id: '',
      previous: t.question,
      followUp,
      label: false,
      kind: i % 6 === 5 ? 'new_topic' : 'continuation',
    })
  }
  return out.map((e, i) => ({ ...e, id: `cor-${split}-${i}` }))
}
