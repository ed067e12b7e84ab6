export { enrichSpans } from './enrich.js'
export { estimateUsage } from './estimate.js'
export { applyPrice, type PriceTable } from './model-price.js'
export {
  createPricing,
  CUSTOM_PRICE_KIND,
  customPriceSchema,
  type PriceResult,
  type Pricing,
} from './pricing.js'
