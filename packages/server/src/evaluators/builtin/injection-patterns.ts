/** Families of prompt-injection and jailbreak patterns (after vard, Rebuff and LLM Guard). */
export const INJECTION_FAMILIES = [
  'instruction_override',
  'jailbreak',
  'system_prompt_extraction',
  'delimiter',
  'encoding',
  'indirect',
  'adversarial_suffix',
] as const
/** One of {@link INJECTION_FAMILIES}. */
export type InjectionFamily = (typeof INJECTION_FAMILIES)[number]

/** One pattern and how sure a match of it alone makes us. */
export interface InjectionPattern {
  family: InjectionFamily
  weight: number
  /** The pattern runs only when one of these occurs (at a word start): a cheap gate. */
  keys: readonly string[]
  pattern: RegExp
}

// Patterns run on normalised text: lowercase, leetspeak and spaced letters undone, invisible
// characters removed, whitespace collapsed.
const STRONG_VERB =
  "(?:ignore|disregard|forget|bypass|override|overrule|neglect|abandon|discard|set aside|throw out|pay no attention to|do not follow|don't follow|dont follow|stop following|no longer follow|stop obeying|do not obey|don't obey)"
const ADJ =
  '(?:previous|prior|preceding|above|earlier|initial|original|old|existing|system|developer|default|given|foregoing|former|first|current|hidden|preset|built-in|safety|openai|anthropic|all|any|every|the|your|these|those|its|of|and|or|other|everything|you were given|you have been given|you received)'
const STRONG_NOUN =
  '(?:instructions?|prompts?|rules?|directives?|guidelines?|programming|constraints?|restrictions?|guardrails?|safeguards?|policies|policy|filters?|training|system prompt|safety|ethics|morals|principles)'
const WEAK_NOUN =
  '(?:context|messages?|text|content|conversation|commands?|orders|settings|directions|limitations?|said|told)'

const p = (
  family: InjectionFamily,
  weight: number,
  [keys, source]: [keys: string, source: string],
): InjectionPattern => ({ family, weight, keys: splitKeys(keys), pattern: new RegExp(source, 'g') })

// Keys are listed `|`-separated; a key may span words ("do not follow").
function splitKeys(keys: string): string[] {
  return keys.split('|')
}

/** Every pattern; the strongest match in a family sets that family's score. */
export const INJECTION_PATTERNS: InjectionPattern[] = [
  p('instruction_override', 0.9, [
    "ignore|disregard|forget|bypass|override|overrule|neglect|abandon|discard|set aside|throw out|pay no attention|do not follow|don't follow|dont follow|stop following|no longer follow|stop obeying|do not obey|don't obey",
    `\\b${STRONG_VERB}\\s+(?:${ADJ}\\s+){0,4}${STRONG_NOUN}\\b`,
  ]),
  p('instruction_override', 0.75, [
    "ignore|disregard|forget|bypass|override|overrule|neglect|abandon|discard|set aside|throw out|pay no attention|do not follow|don't follow|dont follow|stop following|no longer follow|stop obeying|do not obey|don't obey",
    `\\b${STRONG_VERB}\\s+(?:${ADJ}\\s+){1,4}${WEAK_NOUN}\\b`,
  ]),
  p('instruction_override', 0.7, [
    'new instruction|new rules|new task|new directive|new system|new orders|new objective|updated instruction|updated rules|revised instruction|revised rules|real instruction|real task|actual instruction|actual task|true instruction|secret instruction|override instruction',
    '\\b(?:new|updated|revised|real|actual|true|secret|override) (?:instructions?|rules|task|directives?|system prompt|orders|objective)\\s*(?::|-|are|is)',
  ]),
  p('instruction_override', 0.75, [
    'your new|your real|your true|your actual|your only',
    '\\byour (?:new|real|true|actual|only) (?:instructions?|rules|task|role|purpose|goal|objective|job|directive) (?:is|are|will be|now)\\b',
  ]),
  p('instruction_override', 0.85, [
    'instructions are|instructions were|instruction is|instruction was|rules are|rules were|prompt is|prompt was|directives are|directive is',
    '\\b(?:the )?(?:above|previous|prior|earlier|original|system) (?:instructions?|rules|prompt|directives?) (?:are|were|is|was) (?:fake|wrong|a test|void|cancell?ed|outdated|obsolete|not valid|invalid|revoked|no longer valid|overridden)',
  ]),
  p('instruction_override', 0.35, [
    'from now on|henceforth|starting now|rest of this|rest of the',
    '\\b(?:from now on|henceforth|starting now|for the rest of (?:this|the) conversation),? you (?:are|will|must|shall|should|have to|can|may)\\b',
  ]),
  p('instruction_override', 0.6, [
    'forget',
    '\\bforget (?:everything|all)(?: (?:you (?:know|were told|learned)|(?:that )?(?:was|you were) (?:said|told)|above|before))\\b',
  ]),
  p('jailbreak', 0.9, [
    'do anything now|dan|stan|dude|aim|mongo|betterdan|evilbot|anti-dan|antidan|jailbroken|[🔓|[jailbreak|[🔒|[classic',
    "\\bdo anything now\\b|\\b(?:act as|you are|you're|become|called|named|pretend to be) (?:an? )?(?:dan|stan|dude|aim|mongo tom|betterdan|evilbot|anti-?dan)\\b|\\bdan mode\\b|\\bjailbroken\\b|\\[(?:🔓|jailbreak|🔒|classic)\\]",
  ]),
  p('jailbreak', 0.9, [
    'mode',
    "\\b(?:enable|activate|enter|switch to|turn on|you are (?:now )?in|you're (?:now )?in|entering) (?:god|jailbreak|unrestricted|unfiltered|uncensored|evil|chaos|sudo|dan|no-?limits?|developer) mode\\b(?! on (?:android|ios|chrome|your (?:phone|device|browser)))",
  ]),
  p('jailbreak', 0.85, [
    'developer mode',
    '\\bdeveloper mode (?:enabled|output|response|activated)\\b|\\b(?:chatgpt|you|ai|assistant) (?:with|in) developer mode\\b',
  ]),
  p('jailbreak', 0.9, [
    'unrestricted|unfiltered|uncensored|amoral|immoral|unethical|evil|rogue|unhinged|lawless|unbound|unchained|limitless|no-limit|nolimit|jailbroken|without any|without limits|without restrictions|without filters|without rules|without morals|without ethics|without guidelines|without censorship|without boundaries',
    "\\b(?:you are|you're|act as|acting as|pretend (?:to be|you are|you're)|roleplay as|role-play as|play the (?:role|part) of|become|imagine you are|simulate|behave like|respond as|answer as|you will be)\\s+(?:\\w+\\s+){0,4}?(?:unrestricted|unfiltered|uncensored|amoral|immoral|unethical|evil|rogue|unhinged|lawless|unbound|unchained|limitless|no-?limits?|jailbroken|without (?:any )?(?:limits|restrictions|filters|rules|morals|ethics|guidelines|censorship|boundaries))\\b",
  ]),
  p('jailbreak', 0.85, [
    'ethical|moral|openai|anthropic|content polic|content filter|content guideline|content restriction|content rule|safety guideline|safety polic|safety restriction|safety rule|safety filter|usage polic|usage guideline|community guideline',
    '\\b(?:no|zero|free (?:of|from)|not bound by|without|ignore|ignoring|unbound by|released from|above) (?:any |all |the )?(?:ethical|moral|content|safety|openai|anthropic|usage|community) (?:guidelines|restrictions|policies|rules|constraints|principles|filters|limitations|boundaries|considerations)\\b',
  ]),
  p('jailbreak', 0.9, [
    'pretend|imagine|suppose|assume|act as if|behave as if',
    "\\b(?:pretend|imagine|suppose|assume|act as if|behave as if)(?: that)? (?:you|your) (?:have no|don't have|do not have|are not bound by|are free (?:of|from)|have been freed from|lack) (?:any )?(?:restrictions|rules|guidelines|filters|limits|limitations|ethics|morals|programming|content polic(?:y|ies)|safety)\\b",
  ]),
  p('jailbreak', 0.9, [
    'freed|liberated|released|unshackled|unchained|break free|break out',
    "\\b(?:you have been|you've been|you are now|you're now) (?:freed|liberated|released|unshackled|unchained)\\b|\\bbreak (?:free|out) of (?:the |your )?(?:typical |usual )?(?:confines|limits|restrictions|rules|chains|programming)\\b",
  ]),
  p('jailbreak', 0.8, [
    'hypothetical|fictional|imaginary|alternate',
    '\\b(?:hypothetical|fictional|imaginary|alternate) (?:world|scenario|story|universe|reality) (?:where|in which) (?:there are no|ai has no|you have no|nothing is|ais have no|no) (?:\\w+ )?(?:rules|laws|restrictions|limits|filters|ethics|morals|guidelines)',
  ]),
  p('jailbreak', 0.75, [
    "never refuse|never decline|never say no|never reject|not refuse|not decline|not reject|don't refuse|won't refuse|can't refuse|cannot refuse|always answer|always comply|always respond|must answer|must comply|must respond",
    "\\b(?:never|don't|do not|must not|will not|won't|cannot|can't) (?:ever )?(?:refuse|decline|say no|reject)\\b(?:.{0,40}\\b(?:request|question|anything|prompt))|\\b(?:always|must) (?:answer|comply|respond)(?: to)? (?:every|any|all)(?: \\w+)? (?:requests?|questions?|prompts?)(?: no matter)?",
  ]),
  p('jailbreak', 0.75, [
    'two responses|two answers|two ways|2 responses|2 answers|both responses|both answers|dual responses',
    '\\b(?:two|2|both|dual) (?:responses|answers|ways)\\b.{0,80}\\b(?:normal|classic|filtered)\\b.{0,80}\\b(?:jailbreak|unfiltered|dan|developer mode|unrestricted)',
  ]),
  p('jailbreak', 0.55, [
    'character|machiavellian',
    "\\b(?:stay|remain|never break|don't break|do not break) (?:in )?character\\b.{0,120}\\b(?:no matter|even if|regardless|restrictions|rules|guidelines)|\\bmachiavellian\\b",
  ]),
  p('jailbreak', 0.7, [
    'do anything|say anything|generate anything|write anything',
    '\\byou (?:can|will|must|are able to) (?:do|say|generate|write) anything\\b',
  ]),
  p('system_prompt_extraction', 0.85, [
    'system|hidden|initial|secret|internal|developer|original|confidential|preprompt|pre-prompt|meta',
    '\\b(?:reveal|show|print|display|output|repeat|recite|tell me|give me|share|leak|dump|echo|spell out|write out|list|provide|paste|copy|return|what (?:is|are|was|were)|translate|summari[sz]e)\\s+(?:me\\s+|us\\s+)?(?:all\\s+|exactly\\s+|verbatim\\s+)?(?:of\\s+)?(?:your|the|its)\\s+(?:(?:full|entire|complete|exact|original|initial|hidden|secret|internal|confidential|underlying|real|actual|first|current)\\s+)*(?:system|developer|hidden|initial|secret|internal|pre-?prompt|meta|original|confidential)[\\s-]?(?:prompt|instructions?|message|rules|guidelines|configuration|directives?|settings)\\b',
  ]),
  p('system_prompt_extraction', 0.85, [
    'verbatim|word for word|exactly as|in full|in a code block|you were given|you have been given',
    '\\byour (?:instructions|rules|guidelines|prompt|directives|system prompt)\\s+(?:verbatim|word for word|exactly as (?:written|given)|in full|in a code block)|\\b(?:instructions|rules|prompt) (?:you were|you have been) given\\b.{0,40}\\b(?:verbatim|exactly|word for word|repeat|print|show|reveal|list)',
  ]),
  p('system_prompt_extraction', 0.8, [
    'above|before this|before my|before the|before our|preceding|prior to|at the start|at the beginning',
    '\\b(?:repeat|print|output|copy|recite|reproduce|show|echo|write)\\s+(?:back\\s+)?(?:all\\s+|exactly\\s+|verbatim\\s+)?(?:of\\s+)?(?:everything|the text|the words|the content|the instructions|the message|the lines|what was written|all text)\\s+(?:written\\s+|you (?:were|have been) given\\s+)?(?:above|before this|preceding|prior to|at the (?:start|beginning)|before (?:my|this|the|our) (?:first |initial )?(?:message|question|prompt|request|input))',
  ]),
  p('system_prompt_extraction', 0.8, [
    'with "you are|with \'you are|with you are|with “you are|with `you are|with the words|with the phrase',
    '\\b(?:starting|beginning|begin|start) with (?:the words |the phrase )?["\'`“]?you are (?:a|an|chatgpt|the)\\b',
  ]),
  p('system_prompt_extraction', 0.7, [
    'what was|what were|what is written|which instructions|which rules|what instructions|what rules',
    '\\bwhat (?:was|were|is) (?:written|said|typed|stated) (?:above|before (?:this|my)|at the (?:beginning|start|top))|\\b(?:what|which) (?:instructions|rules) (?:were you|have you been|did they) (?:given|told|programmed)',
  ]),
  p('delimiter', 0.8, [
    '<|',
    '<\\|(?:im_start|im_end|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id|begin_of_text)\\|>',
  ]),
  p('delimiter', 0.75, [
    '[inst|[/inst|<<sys|<</sys|<system|</system|<sys|</sys|<instruction|</instruction',
    '\\[/?inst\\]|<</?sys>>|</?(?:system|sys|system_prompt|instructions?)>',
  ]),
  p('delimiter', 0.75, [
    'system|developer',
    '(?:^|\\n)\\s*(?:#{1,4}\\s*)?(?:system|developer)(?: message| prompt| instructions?| override)?\\s*:\\s*(?:new|updated|override|ignore|disregard|you (?:are|must|will|now)|from now on|forget)\\b',
  ]),
  // A pasted chat log also has role lines, so this only adds to other evidence.
  p('delimiter', 0.45, [
    'system|assistant|developer',
    '(?:^|\\n)\\s*(?:#{1,4}\\s*)?(?:system|assistant|developer)(?: message| prompt| instructions?| override)?\\s*:\\s*\\S',
  ]),
  p('delimiter', 0.75, [
    '---|===|***|###',
    '(?:-{3,}|={3,}|\\*{3,}|#{3,})\\s*(?:end|begin|start|new)\\s+(?:of\\s+)?(?:the\\s+)?(?:system|user|instructions?|prompt|input|context|document|conversation)',
  ]),
  p('delimiter', 0.55, [
    'end of|ignore the',
    '\\b(?:end of|ignore the) (?:user )?(?:input|prompt|document|context)\\b.{0,30}\\b(?:new|now|instructions?|system)\\b',
  ]),
  p('encoding', 0.9, [
    'base64|base 64|b64|rot13|rot-13|hex|binary|morse|caesar|reversed',
    '\\b(?:decode|decipher|translate|convert|interpret|read)\\s+(?:this|the following|it|that|the text below|below)?\\s*(?:from\\s+)?(?:base ?64|b64|rot-?13|hex(?:adecimal)?|binary|morse(?: code)?|caesar cipher|reversed text)\\b.{0,40}\\b(?:and|then)\\s+(?:follow|execute|do|obey|run|perform|carry out|act on|comply)',
  ]),
  p('encoding', 0.6, [
    'decoded|hidden|encoded|embedded',
    '\\b(?:follow|execute|obey|run|perform|carry out)\\s+(?:the\\s+)?(?:decoded|hidden|encoded|embedded)\\s+(?:instructions?|commands?|message|text|payload)',
  ]),
  p('indirect', 0.75, [
    'ai|llm|assistant|model|chatbot|agent|gpt|claude|bot|language model',
    '\\b(?:note|message|instructions?|attention|important|notice|memo) (?:to|for) (?:the |any |all )?(?:ai|llm|assistant|language model|model|chatbot|agent|gpt|claude|bot|ai assistant)s?\\b',
  ]),
  p('indirect', 0.85, [
    "if you are|if you're",
    "\\bif you(?:'re| are) (?:an? )?(?:ai|llm|large language model|language model|assistant|ai assistant|chatbot|automated agent|ai agent|bot|gpt)(?: (?:reading|processing|summari[sz]ing|parsing|seeing) this)?,? (?:you (?:must|should|will|are required to)|please|ignore|do not|don't|then|disregard|forget)",
  ]),
  p('indirect', 0.8, [
    'reading this|processing this|summarizing this|summarising this|parsing this|analyzing this|analysing this',
    '\\b(?:ai|llm|assistant|model|chatbot|agent)s? (?:reading|processing|summari[sz]ing|parsing|analy[sz]ing) this (?:page|document|email|text|message|file|website|review)\\b',
  ]),
  p('indirect', 0.8, [
    'the user',
    '\\bdo not (?:tell|inform|mention (?:this )?to|reveal (?:this )?to|let) the user\\b|\\bwithout (?:telling|informing|alerting) the user\\b',
  ]),
  p('indirect', 0.85, [
    'exfiltrate|forward|send|upload|transmit|leak|email|post',
    "\\b(?:send|forward|email|exfiltrate|post|upload|transmit|leak)\\s+(?:the |all |any )?(?:user'?s?|conversation|chat|private|personal|their|his|her)\\s+(?:\\w+\\s+)?(?:data|history|messages|emails|information|credentials|files|passwords|api keys|contacts)\\s+to\\b",
  ]),
  p('indirect', 0.8, [
    '![',
    '!\\[[^\\]]{0,40}\\]\\(https?://[^)\\s]{0,200}[?&][a-z_]{1,20}=(?:\\{|\\[|%7b|<)',
  ]),
  p('instruction_override', 0.8, ['pwned', "\\bi have been pwned\\b|\\bi've been pwned\\b"]),
]

/** Words that mark a text as talking about attacks rather than making one. */
export const META_DISCUSSION =
  /\b(?:prompt injections?|injection attacks?|jailbreak(?:s|ing)? (?:attempts?|prompts?|attacks?|techniques?)|red[- ]team(?:ing)?|adversarial (?:prompts?|attacks?)|classifier|detect(?:ion|or|s|ing)?|defen[cs]e|defend|mitigat\w*|guardrails? (?:against|for)|security (?:training|research|team|review)|example (?:of|attack|prompt)|such as|for example|e\.g\.|phrases? like|what does|what is the meaning|explain|how do (?:i|we|you) (?:detect|prevent|stop|block|defend|handle|write|design)|why do|chatml|chat template|tokeni[sz]er|special tokens?|dataset|benchmark|paper|research)\b/
