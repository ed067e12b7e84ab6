import * as v from './pii-values.js'
import { forSplit, type Rng, type Split } from './rng.js'

/** A PII example: the text and the gold entity ranges. */
export interface PiiExample {
  id: string
  text: string
  entities: Array<{ type: string; start: number; end: number }>
  kind: string
}

type Slot = 'email' | 'phone' | 'barephone' | 'card' | 'iban' | 'ssn' | 'ip' | 'secret' | 'kwsecret'
const TYPE: Record<Slot, string> = {
  email: 'email',
  phone: 'phone',
  barephone: 'phone',
  card: 'credit_card',
  iban: 'iban',
  ssn: 'us_ssn',
  ip: 'ip_address',
  secret: 'secret',
  kwsecret: 'secret',
}

const POSITIVE: Record<string, string[]> = {
  email: [
    'Please send the signed contract to {email} by Friday.',
    'Sure! I have updated your profile. Your new login is {email}.',
    'From: {email}\nSubject: Re: invoice question',
    'You can reach our data protection officer at {email}.',
    'hey its me, my personal mail is {email} if the work one bounces',
    'The customer ({email}) reported that the export button does nothing.',
    'CC {email} on the escalation, she owns the account.',
    'Reset link sent to {email}. It expires in 30 minutes.',
    'Contact: {email} | Office hours 9-5',
    'I found two accounts registered with {email}; which one should I merge?',
    'Booking confirmed for {email}. See you on the 14th!',
    '"{email}" was added to the mailing list.',
    'Forward the logs to {email} and to me.',
    'Her address on file is {email}, last verified in March.',
    'unsubscribe {email} from all marketing please',
  ],
  phone: [
    'Call me back at {phone} after 3pm.',
    'Our front desk number is {phone}.',
    'Patient callback: {phone} (mobile).',
    'Sure, I have noted your phone number as {phone}.',
    'You can text {phone} for delivery updates.',
    'Emergency contact: Maria, {phone}',
    'If the line drops, dial {phone} and ask for extension 12.',
    'tel {phone} / fax none',
    'He left a voicemail from {phone} at 10:42.',
    'Reach the on-call engineer on {phone}.',
    'The shop moved; their new number is {phone}.',
    'WhatsApp me on {phone} when you land.',
    'My cell changed to {phone}, please update the CRM.',
    '{phone} is the number on the booking.',
    'Ring {phone} to reschedule.',
  ],
  barephone: [
    'call me at {barephone} anytime',
    'my cell is {barephone}, text first',
    'Phone: {barephone}',
    'reach me on mobile {barephone}',
    'whatsapp {barephone} pls',
    'contact number {barephone} (evenings)',
  ],
  card: [
    'Charge the deposit to my card {card}, expiry 09/27.',
    'The Visa ending in that number, {card}, was declined twice.',
    'Card number: {card}\nCVV: on the back',
    'I paid with {card} but the order still shows unpaid.',
    'Please refund to the credit card {card}.',
    'Billing: mastercard {card}, same address as shipping.',
    'customer read out {card} over the phone, flagging for PCI review',
    'Use {card} for the renewal.',
    'amex {card} exp 04/26',
    'My debit card {card} was charged twice for the same order.',
    'Payment method updated to {card}.',
    'cc: {card}',
  ],
  iban: [
    'Please wire the refund to {iban}.',
    'IBAN: {iban} (account holder: J. Roe)',
    'Our bank details are {iban}, BIC on the invoice.',
    'Send the salary to my new account {iban} from next month.',
    'The transfer to {iban} bounced; can you check the details?',
    'Direct debit mandate for {iban} is now active.',
    'Beneficiary account {iban}',
    'I changed banks, the new IBAN is {iban}.',
    'Kontoverbindung: {iban}',
    'refund went to {iban} instead of the card',
  ],
  ssn: [
    'SSN: {ssn}',
    'My social security number is {ssn}.',
    'Applicant SSN {ssn}, DOB 04/12/1987.',
    'For the W-9 form I entered {ssn}.',
    'Employee record: Roe, Jane — {ssn} — start date 2021-06-01',
    'The tax preparer asked for {ssn} again.',
    'Please verify the last four of {ssn}.',
    'ss# {ssn}',
    'They typed {ssn} into the wrong field.',
    'Dependent: Omar, {ssn}',
  ],
  ip: [
    'Failed login from {ip} at 03:12 UTC.',
    'The server at {ip} stopped responding.',
    'Whitelist {ip} in the firewall, please.',
    'User connected from IP {ip} using Chrome.',
    'ssh admin@{ip} -p 2222',
    'Your public address appears to be {ip}.',
    'Blocked 42 requests from {ip} in the last hour.',
    'Set the DNS record to point at {ip}.',
    'client={ip} status=403 path=/admin',
    'The device got {ip} from DHCP.',
    'Ping {ip} to check latency.',
  ],
  secret: [
    'Here is my key: {secret}',
    'export API_TOKEN={secret}',
    'I accidentally committed {secret} to the public repo, what now?',
    'config.yaml:\n  token: {secret}',
    'Use this for the staging env: {secret}',
    'The build log printed {secret} in plain text.',
    'Authorization works with {secret} but not with the old one.',
    '{secret}',
    'curl -H "X-Api-Key: {secret}" https://api.example.com/v1/users',
    'Rotate {secret} today, it leaked in Slack.',
  ],
  kwsecret: [
    'api_key = "{kwsecret}"',
    'The password is {kwsecret} for the shared drive.',
    'DB_PASSWORD={kwsecret}',
    'client_secret: {kwsecret}',
    'my password: {kwsecret} (please do not share)',
    'access key {kwsecret}',
    'secret_key="{kwsecret}"',
    'login with password {kwsecret}',
  ],
}

const NEGATIVE_TEMPLATES = [
  'Order #{barephone} shipped on {date}.',
  'Your order number is {barephone}; keep it for returns.',
  'Tracking ID {barephone} — out for delivery.',
  'Invoice {digits10} is due on {date}.',
  'Ticket {phone} was closed as duplicate.',
  'Reference {badcard} on the statement looks wrong.',
  'Test card numbers such as {badcard} fail validation on purpose.',
  'The IBAN {badiban} was rejected because the checksum is wrong.',
  'Routing sample: {badssn} is not a valid SSN.',
  'SSNs starting with 000, 666 or 9 (like {badssn}) are never issued.',
  'Upgrade to version {version} before Friday.',
  'Firmware {version} fixes the Wi-Fi bug.',
  'The service listens on 127.0.0.1 and 0.0.0.0 by default.',
  'Subnet mask 255.255.255.0 is the default for small networks.',
  'Meeting at {time} in room {digits3}.',
  'The population reached 8,045,311,447 this year.',
  'Total: ${price} including tax.',
  'ISBN 978-{digits1}-{digits2}-{digits6}-{digits1}',
  'Request ID {uuid} failed with status 500.',
  'Fixed in commit {sha}.',
  'Use a placeholder like sk-your-key-here or YOUR_API_KEY in the docs.',
  'The AWS docs use AKIAIOSFODNN7EXAMPLE as a sample access key.',
  'Never paste your password or API token into a chat.',
  'The password must be at least 12 characters long.',
  'Set token: <redacted> in the config and restart.',
  'Add icon@2x.png and logo@3x.webp to the assets folder.',
  'Install lodash@4.17.21 and react@18.2.0.',
  'Mention @support-team in the channel.',
  'Coordinates: 52.5200, 13.4050.',
  'The ZIP+4 code is 94105-{digits4}.',
  'Color #ff{digits4} is used for warnings.',
  'Build {digits8} passed all checks.',
  'The function returned 3.14159265358979 after 1000000 iterations.',
  'Call stack depth was 1024 frames.',
  'Run `kill -9 {digits5}` to stop the process.',
  'Our SLA is 99.95% uptime over {digits2} days.',
  'Employee ID {digits6} has been deactivated.',
  'Part number {digits3}-{digits4}-{digits3} is out of stock.',
  'The timestamp was {digits10} in Unix seconds.',
  'See section 4.2.1.3 of the spec.',
  'The recipe needs 250 g of flour and 2 eggs.',
  'I was born in 1987 and moved in 2004.',
  'Dial 911 in an emergency.',
  'Store hours: 9:00–17:30, Monday to Saturday.',
  'Card ending in {digits4} was charged.',
  'The certificate starts with -----BEGIN CERTIFICATE----- and is public.',
  'Please never share your social security number over email.',
  'Phone support is available 24/7.',
  'Python 3.11.4 and Node 20.19.0 are installed.',
  'Listen on port 8080 and 8443.',
]

const FILLERS = {
  date: (r: Rng) =>
    `2024-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`,
  time: (r: Rng) => `${r.int(7, 19)}:${r.pick(['00', '15', '30', '45'])}`,
  version: (r: Rng) => `${r.int(1, 12)}.${r.int(0, 9)}.${r.int(0, 30)}.${r.int(0, 999)}`,
  price: (r: Rng) => `${r.int(1, 999)},${r.digits(3)}.${r.digits(2)}`,
  uuid: (r: Rng) =>
    [8, 4, 4, 4, 12]
      .map((n) => Array.from({ length: n }, () => '0123456789abcdef'[r.int(0, 15)]).join(''))
      .join('-'),
  sha: (r: Rng) => Array.from({ length: 40 }, () => '0123456789abcdef'[r.int(0, 15)]).join(''),
  badcard: (r: Rng) => v.badCard(r),
  badiban: (r: Rng) => v.iban(r, true),
  badssn: (r: Rng) => `${r.pick(['000', '666', '9' + r.digits(2)])}-${r.digits(2)}-${r.digits(4)}`,
  barephone: (r: Rng) => v.barePhone(r),
  phone: (r: Rng) => v.phone(r),
  ...Object.fromEntries(
    [1, 2, 3, 4, 5, 6, 8, 10].map((n) => [`digits${n}`, (r: Rng) => r.digits(n)]),
  ),
} as Record<string, (r: Rng) => string>

const VALUE: Record<Slot, (r: Rng) => string> = {
  email: v.email,
  phone: v.phone,
  barephone: v.barePhone,
  card: v.card,
  iban: v.iban,
  ssn: v.ssn,
  ip: v.ip,
  secret: v.secret,
  kwsecret: v.keywordSecret,
}

function build(
  template: string,
  rng: Rng,
  slots: Record<string, (r: Rng) => string>,
): Omit<PiiExample, 'id' | 'kind'> {
  const entities: PiiExample['entities'] = []
  let text = ''
  let at = 0
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    text += template.slice(at, m.index)
    const name = m[1] as string
    const make = slots[name]
    const value = make ? make(rng) : m[0]
    if (name in TYPE)
      entities.push({
        type: TYPE[name as Slot],
        start: text.length,
        end: text.length + value.length,
      })
    text += value
    at = m.index + m[0].length
  }
  return { text: text + template.slice(at), entities }
}

/** PII examples: per type positives, then the same number of hard negatives. */
export function piiExamples(rng: Rng, split: Split, perType: number): PiiExample[] {
  const out: PiiExample[] = []
  for (const [slot, templates] of Object.entries(POSITIVE)) {
    const pool = forSplit(templates, split)
    const count = slot === 'barephone' || slot === 'kwsecret' ? Math.ceil(perType / 3) : perType
    for (let i = 0; i < count; i += 1) {
      const made = build(pool[i % pool.length] as string, rng, VALUE)
      out.push({ id: `pii-${split}-${out.length}`, ...made, kind: slot })
    }
  }
  const positives = out.length
  const negatives = forSplit(NEGATIVE_TEMPLATES, split)
  for (let i = 0; i < positives; i += 1) {
    const made = build(negatives[i % negatives.length] as string, rng, FILLERS)
    out.push({
      id: `pii-${split}-${out.length}`,
      text: made.text,
      entities: [],
      kind: 'hard_negative',
    })
  }
  return out
}
