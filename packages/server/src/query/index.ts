export { queryRoutes } from './routes.js'
export { buildSpanTree } from './tree.js'
