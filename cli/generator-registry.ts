import { partEncoderFactory } from './source-registry.js';

/**
 * The raw-data generators `strata generate` can run, imported only when used (like the adapter
 * and source registries, the only places the CLI names concrete adapters).
 */
export async function loadShopGenerator() {
  const [{ generateShop }, { exchangeRatesCsv }, encoderFor] = await Promise.all([
    import('../adapters/sources/shop-generator/generate-shop.js'),
    import('../adapters/sources/shop-generator/exchange-rates.js'),
    partEncoderFactory(),
  ]);
  return { generateShop, exchangeRatesCsv, encoderFor };
}
