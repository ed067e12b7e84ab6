import type { SpanKind } from '@vigil/core'
import type { AttributeReader } from '../attributes.js'
import type { SpanDraft } from '../draft.js'
import { namespacesOf, type OtlpMapper } from '../mapper.js'
import { toIo } from '../messages.js'

const TRACELOOP_KINDS: Record<string, SpanKind> = {
  workflow: 'chain',
  task: 'chain',
  agent: 'agent',
  tool: 'tool',
}

const REQUEST_KINDS: Record<string, SpanKind> = {
  chat: 'generation',
  completion: 'generation',
  embedding: 'embedding',
  rerank: 'retrieval',
}

const USER_KEYS = ['user_id', 'userId', 'user', 'end_user_id']
const SESSION_KEYS = ['session_id', 'sessionId', 'conversation_id', 'thread_id']

/** `traceloop.association.properties.*`: user and session ids under their usual names. */
function readAssociation(attrs: AttributeReader, draft: SpanDraft): void {
  const prefix = 'traceloop.association.properties.'
  draft.set('userId', attrs.firstString(USER_KEYS.map((k) => prefix + k)))
  draft.set('sessionId', attrs.firstString(SESSION_KEYS.map((k) => prefix + k)))
}

/**
 * OpenLLMetry (Traceloop): `traceloop.span.kind`, entity input/output, workflow name as the
 * feature, association properties for user and session, managed prompt key and version, and
 * `llm.request.type`. Its model, messages and usage are GenAI attributes (the next mappers).
 */
export const openLlmetryMapper: OtlpMapper = {
  name: 'openllmetry',
  matches: (span) =>
    span.scope.name.startsWith('@traceloop/') ||
    span.scope.name.startsWith('opentelemetry.instrumentation.') ||
    namespacesOf(span).has('traceloop') ||
    span.attributes['llm.request.type'] !== undefined,
  map({ attrs, draft }) {
    const spanKind = attrs.string('traceloop.span.kind')
    draft.set('kind', spanKind === undefined ? undefined : TRACELOOP_KINDS[spanKind])
    const requestType = attrs.string('llm.request.type')
    draft.set('kind', requestType === undefined ? undefined : REQUEST_KINDS[requestType])
    draft.set('input', toIo(attrs.json('traceloop.entity.input')))
    draft.set('output', toIo(attrs.json('traceloop.entity.output'), 'assistant'))
    draft.set('feature', attrs.string('traceloop.workflow.name'))
    readAssociation(attrs, draft)
    draft.set('promptName', attrs.string('traceloop.prompt.key'))
    draft.set(
      'promptVersion',
      attrs.firstString(['traceloop.prompt.version', 'traceloop.prompt.version_name']),
    )
    draft.set('tags', attrs.strings('traceloop.association.properties.tags'))
    attrs.drop('llm.usage.total_tokens')
  },
}
