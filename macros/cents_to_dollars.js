// Converts an integer amount in cents into a decimal amount in the currency's main unit.
export default function cents_to_dollars(column, scale) {
  const digits = typeof scale === 'number' ? scale : 2;
  return `round(${column} / 100.0, ${digits})::decimal(18, ${digits})`;
}
