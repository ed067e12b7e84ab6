import { AttributeReader } from '../attributes.js'
import type { OtlpMapper } from '../mapper.js'

/**
 * Plain OpenTelemetry and Vigil's own `vigil.*` attributes, read last: user and session
 * (`user.id`, `enduser.id`, `session.id`, shared by OpenInference and Langfuse), environment
 * and release from the span or its resource.
 */
export const commonMapper: OtlpMapper = {
  name: 'otel-common',
  matches: () => true,
  map({ span, attrs, draft }) {
    draft.set('userId', attrs.firstString(['vigil.user_id', 'user.id', 'enduser.id']))
    draft.set('sessionId', attrs.firstString(['vigil.session_id', 'session.id']))
    draft.set('feature', attrs.string('vigil.feature'))
    draft.set('promptName', attrs.string('vigil.prompt'))
    draft.set('promptVersion', attrs.string('vigil.prompt_version'))
    draft.set('tags', attrs.strings('vigil.tags'))
    const envKeys = ['vigil.environment', 'deployment.environment.name', 'deployment.environment']
    draft.set('environment', attrs.firstString(envKeys))
    draft.set('release', attrs.string('vigil.release'))
    // the resource is shared by many spans: read it without marking it consumed
    const resource = new AttributeReader(span.resource)
    draft.set('environment', resource.firstString(envKeys))
    draft.set('release', resource.string('service.version'))
  },
}
