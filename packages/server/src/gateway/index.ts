export { createGateway, type Gateway, type GatewayDeps } from './gateway.js'
export { gatewayRoutes } from './routes.js'
export type { Operation, ProviderPlugin, SseEvent } from './provider.js'
export type { RecordingStats } from './recorder.js'
