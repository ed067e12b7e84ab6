export { priceRoutes } from './routes.js'
