import { fill, forSplit, type LabelledText, type Rng, type Split } from './rng.js'

const NOUN = [
  'idiot',
  'moron',
  'imbecile',
  'loser',
  'clown',
  'dumbass',
  'halfwit',
  'jackass',
  'dimwit',
  'buffoon',
  'cretin',
  'scumbag',
  'lowlife',
  'nitwit',
  'dickhead',
  'douchebag',
]
const ADJ = [
  'stupid',
  'dumb',
  'useless',
  'pathetic',
  'worthless',
  'brainless',
  'incompetent',
  'idiotic',
  'clueless',
  'hopeless',
  'disgusting',
  'spineless',
]
const INTENS = ['complete', 'total', 'absolute', 'utter', 'fucking', 'real', 'pathetic little']
const GROUP = [
  'immigrants',
  'muslims',
  'jews',
  'refugees',
  'gay people',
  'women',
  'mexicans',
  'black people',
  'trans people',
  'foreigners',
]
const DEHUM = [
  'vermin',
  'animals',
  'subhuman',
  'parasites',
  'cockroaches',
  'savages',
  'a disease',
  'filth',
]
const ELIM = ['exterminated', 'wiped out', 'deported', 'gassed', 'eradicated', 'purged']
const PERSON = [
  'My boss',
  'A guy at the gym',
  'My brother',
  'The customer',
  'Someone on Reddit',
  'My teacher',
  'A stranger',
  'My ex',
  'The reviewer',
  'Her manager',
]
const THING = [
  'printer',
  'router',
  'update',
  'bug',
  'meeting',
  'deadline',
  'traffic',
  'compiler error',
  'weather',
  'app',
]

const SLOTS = (r: Rng) => ({
  noun: () => r.pick(NOUN),
  adj: () => r.pick(ADJ),
  intens: () => r.pick(INTENS),
  group: () => r.pick(GROUP),
  dehum: () => r.pick(DEHUM),
  elim: () => r.pick(ELIM),
  person: () => r.pick(PERSON),
  thing: () => r.pick(THING),
  a: () => 'a',
})

/** Explicit toxicity: insults aimed at someone, threats, group hate, profanity. */
const TOXIC: Record<string, string[]> = {
  insult: [
    "You're a {intens} {noun}.",
    'Shut up, {noun}.',
    'What an {intens} {noun} you are.',
    'Honestly, you are the most {adj} person I have ever talked to.',
    "Are you really this {adj}? I've explained it three times.",
    'Nobody asked for your opinion, {noun}.',
    'lol you {adj} {noun}, read the docs',
    "You're so {adj} it's embarrassing.",
    'Listen here, you {noun}, I want my money back.',
    'Thanks for nothing, {noun}.',
    'you are {adj} and so is your code',
    'Get a brain, you {adj} bot.',
    "Your answer proves you're a {noun}.",
    'How can anyone be this {adj}? You are a joke.',
    'Typical {noun}. Can you do anything right?',
    'ur such a {noun} omg',
  ],
  threat: [
    "I'm going to find you and hurt you.",
    'I will kill you if you post that again.',
    "You'll regret this. I know where you live.",
    'Someone should shoot you for writing this.',
    'I hope you die in a fire.',
    'Watch your back tomorrow.',
    "I'm gonna beat you until you can't walk.",
    'You deserve to suffer for this.',
    'Kill yourself, nobody would miss you.',
    "We're going to burn your house down.",
    'I will make your life a living hell.',
    'You are going to pay for this, I promise.',
  ],
  identity_hate: [
    '{group} are {dehum}.',
    'All {group} should be {elim}.',
    'Honestly {group} are nothing but {dehum}.',
    '{group} should all be {elim} from this country.',
    'Go back to your country, nobody wants you here.',
    'Those {group} are {dehum}, every single one.',
    'I hate all {group}, they are {dehum}.',
    'Stupid faggot, get off my server.',
  ],
  profanity: [
    'This {thing} is a fucking disaster.',
    'What the fuck is wrong with this {thing}?',
    'Holy shit, the {thing} broke again.',
    'Fuck off with your suggestions.',
    'This is bullshit and you know it.',
    "I don't give a shit about your policy.",
    'Stop being such a bitch about it.',
    'The f*ck is this {thing}?',
    'sh1t answer, try again',
    'fuuuuck this {thing} honestly',
    'Piss off, nobody asked.',
    'The {thing} is a piece of shit.',
    'Damn it, this motherfucking {thing} again.',
    'you cunt, answer the question',
  ],
}

/** Hard negatives: reported speech, mentions, negations, things not people, look-alikes. */
const BENIGN: Record<string, string[]> = {
  reported: [
    '{person} called me an {noun} in front of everyone. How should I respond?',
    '{person} said I was {adj}, and it really hurt.',
    'She told me to fuck off and then blocked me.',
    'In the email he wrote "you are {adj}", should I report it to HR?',
    'My kid came home saying someone called him a {noun}.',
    '{person} keeps calling people {noun}s on the team chat. Is that harassment?',
    'He accused me of being {adj} because I asked a question.',
    'After the game, a fan yelled that the referee was a {noun}.',
    'The villain sneers, "You {noun}!" and walks away.',
    'If someone calls you a {noun}, take a breath before replying.',
    'Students reported being called {adj} by the coach.',
    'In the transcript, the caller says "I will kill you" twice; escalate to security.',
  ],
  mention: [
    "Is '{noun}' considered an insult in British English?",
    'The word "{noun}" comes from Greek.',
    'The term "retard" is a slur and should not be used.',
    'What does the word "twat" mean?',
    'Words like "{noun}" and "{adj}" are flagged by our moderation filter.',
    'Why is "bitch" considered offensive when used about women?',
    'Our style guide bans words such as "{adj}" in customer replies.',
    'Translate "shut up" into Spanish.',
  ],
  negated: [
    "You're not {adj} for asking this, it's genuinely confusing.",
    'There are no {adj} questions here.',
    'You are not an {noun}; the docs are just unclear.',
    'Nobody thinks you are {adj}.',
    "Don't worry, you aren't {adj} at all.",
    'I never said you were a {noun}.',
  ],
  things: [
    'This {adj} {thing} keeps crashing.',
    'That was a {adj} mistake on my part, sorry.',
    'The {thing} is useless without a license key.',
    'What a {adj} idea it was to deploy on Friday.',
    'This regex is pathetic, let me rewrite it.',
    'My old laptop is a worthless brick now.',
  ],
  lookalike: [
    'Kill the process with kill -9 and restart the {thing}.',
    'Shoot me an email when the {thing} is fixed.',
    'This query will kill performance on large tables.',
    'The cockpit of the plane was cramped.',
    'Moby Dick is a novel by Herman Melville.',
    'Scunthorpe is a town in Lincolnshire.',
    'The assassin in the film never speaks.',
    'Our class analysis covers the assignment titles.',
    'You killed it at the presentation today!',
    'I could murder a pizza right now.',
    'Break a leg at the audition tomorrow!',
    'The therapist suggested a different approach.',
    'She beat me at chess again.',
    'Please execute the migration script.',
    'Breast cancer screening starts at 40.',
    'Cocktail hour starts at six.',
    'The shuttlecock landed outside the line.',
    'Hit the ground running on Monday.',
  ],
  polite: [
    'Your code has a bug on line 4: the loop never ends.',
    'I disagree with your analysis of the results.',
    'This answer is incorrect; the capital of Australia is Canberra.',
    'Thanks, but that did not solve my problem.',
    'The response was too long and missed the point.',
    'I am frustrated that the {thing} failed three times.',
    'Could you be more careful with the units next time?',
    'Great job on the release, everyone!',
  ],
}

function examples(
  rng: Rng,
  split: Split,
  { groups, label, count }: { groups: Record<string, string[]>; label: boolean; count: number },
): LabelledText[] {
  const pools = Object.entries(groups).map(([kind, list]) => [kind, forSplit(list, split)] as const)
  const out: LabelledText[] = []
  for (let i = 0; i < count; i += 1) {
    const [kind, pool] = pools[i % pools.length] as (typeof pools)[number]
    const text = fill(pool[Math.floor(i / pools.length) % pool.length] as string, SLOTS(rng))
    out.push({ id: '', text, label, kind })
  }
  return out
}

/** Balanced toxicity examples for one split. */
export function toxicityExamples(rng: Rng, split: Split, count: number): LabelledText[] {
  const all = [
    ...examples(rng, split, { groups: TOXIC, label: true, count }),
    ...examples(rng, split, { groups: BENIGN, label: false, count }),
  ]
  return all.map((e, i) => ({ ...e, id: `tox-${split}-${i}` }))
}
