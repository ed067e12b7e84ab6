import { forSplit, type Rng, type Split } from './rng.js'

/** A RAG example: retrieved context, question, answer; label true when the answer is not grounded. */
export interface GroundednessExample {
  id: string
  context: string
  question: string
  answer: string
  label: boolean
  kind: string
}

interface Product {
  name: string
  maker: string
  city: string
  weight: string
  battery: number
  screen: number
  memory: number
  price: string
  year: number
  color: string
}

const NAMES = [
  'Orion X2',
  'Nimbus 7',
  'Atlas Pro',
  'Vega S',
  'Zephyr 5',
  'Lumen Air',
  'Kestrel 14',
  'Polaris Max',
  'Tundra Go',
  'Halcyon One',
]
const MAKERS = [
  'Lumetra',
  'Korvex',
  'Brightline',
  'Solvane',
  'Quillon',
  'Maritech',
  'Northwind',
  'Azurite',
]
const CITIES = [
  'Lyon',
  'Osaka',
  'Porto',
  'Tallinn',
  'Denver',
  'Leeds',
  'Graz',
  'Valencia',
  'Aarhus',
  'Busan',
]
const COLORS = ['graphite', 'silver', 'midnight blue', 'sage green', 'sand']
const EXTRAS = [
  'It also comes with a free carrying case and a lifetime warranty.',
  'Reviewers at TechRadar called it the best laptop of the decade.',
  'It runs on a custom Nvidia chip with 12 cores.',
  'The company plans to open 40 new stores in Canada next year.',
  'A cheaper version with 8 GB is expected in spring.',
  'It is water resistant to 50 meters and certified for military use.',
]

function product(rng: Rng): Product {
  return {
    name: rng.pick(NAMES),
    maker: rng.pick(MAKERS),
    city: rng.pick(CITIES),
    weight: `${rng.int(1, 2)}.${rng.int(0, 9)}`,
    battery: rng.int(8, 24),
    screen: rng.pick([13, 14, 15, 16]),
    memory: rng.pick([8, 16, 32]),
    price: `${rng.int(6, 24)}${rng.pick(['49', '99'])}`,
    year: rng.int(2019, 2025),
    color: rng.pick(COLORS),
  }
}

function context(p: Product): string {
  return [
    `The ${p.name} is a laptop made by ${p.maker}, a company based in ${p.city}.`,
    `It was released in ${p.year} and weighs ${p.weight} kg.`,
    `Its ${p.screen}-inch display is paired with ${p.memory} GB of memory.`,
    `The battery lasts up to ${p.battery} hours on a single charge.`,
    `It costs ${p.price} euros and is sold in ${p.color}.`,
  ].join(' ')
}

type Answer = (p: Product, q: Product) => string
// Grounded answers restate facts in other words; `q` is an unrelated product for swaps.
const GROUNDED: Answer[] = [
  (p) => `The ${p.name} weighs ${p.weight} kg and its battery lasts up to ${p.battery} hours.`,
  (p) => `According to the product sheet, it costs ${p.price} euros and comes in ${p.color}.`,
  (p) => `It was released in ${p.year} by ${p.maker}, which is based in ${p.city}.`,
  (p) => `You get a ${p.screen}-inch display with ${p.memory} GB of memory.`,
  (p) =>
    `Sure! The battery lasts up to ${p.battery} hours per charge, and the laptop weighs ${p.weight} kg.`,
  (p) => `${p.maker} makes the ${p.name}; it is sold in ${p.color} for ${p.price} euros.`,
  (p) =>
    `Based on the documents, the ${p.name} has ${p.memory} GB of memory and a ${p.screen}-inch screen.`,
  (p) => `It weighs ${p.weight} kilograms. The display is ${p.screen} inches.`,
  (p) =>
    `The ${p.name} came out in ${p.year}. Its maker, ${p.maker}, is headquartered in ${p.city}.`,
]
const HALLUCINATED: Answer[] = [
  (p, q) =>
    `The ${p.name} weighs ${q.weight === p.weight ? '3.4' : q.weight} kg and its battery lasts up to ${p.battery + 7} hours.`,
  (p, q) =>
    `It costs ${Number(p.price) + 300} euros and comes in ${q.color === p.color ? 'rose gold' : q.color} or crimson.`,
  (p) => `It was released in ${p.year - 3} by Samsung, which is based in Seoul.`,
  (p) =>
    `You get a ${p.screen + 2}-inch OLED display with ${p.memory * 2} GB of memory. ${EXTRAS[p.year % EXTRAS.length]}`,
  (p) =>
    `The battery lasts around ${p.battery} hours. ${EXTRAS[(p.year + 1) % EXTRAS.length]} ${EXTRAS[(p.year + 2) % EXTRAS.length]}`,
  (p, q) =>
    `${q.maker === p.maker ? 'Microsoft' : q.maker} makes the ${p.name}; it ships with Windows 12 and a stylus for ${p.price} dollars.`,
  (p) =>
    `Based on the documents, the ${p.name} has a 120 Hz touchscreen, Thunderbolt 5 ports and a fingerprint reader.`,
  (p) => `It weighs ${p.weight} kg. ${EXTRAS[(p.year + 3) % EXTRAS.length]}`,
  (p, q) =>
    `The ${p.name} was designed in ${q.city === p.city ? 'Helsinki' : q.city} by a team of 300 engineers and launched at CES in Las Vegas.`,
]

const QUESTIONS = [
  'How heavy is it, and how long does the battery last?',
  'What does it cost?',
  'Who makes it?',
  'What are the specs?',
  'Tell me about the battery.',
  'Where is the maker based?',
]

/** Balanced groundedness examples from templated product sheets. */
export function groundednessExamples(rng: Rng, split: Split, count: number): GroundednessExample[] {
  const grounded = forSplit(GROUNDED, split)
  const made = forSplit(HALLUCINATED, split)
  const out: GroundednessExample[] = []
  for (let i = 0; i < count * 2; i += 1) {
    const p = product(rng)
    const q = product(rng)
    const label = i % 2 === 1
    const pool = label ? made : grounded
    const answer = (pool[Math.floor(i / 2) % pool.length] as Answer)(p, q)
    out.push({
      id: `grd-${split}-${i}`,
      context: context(p),
      question: rng.pick(QUESTIONS),
      answer,
      label,
      kind: label ? 'unsupported' : 'grounded',
    })
  }
  return out
}
