// A ratio that is null instead of an error when the denominator is zero or null:
//   {{safe_divide "sum(spend)" "sum(clicks)" 4}}
export default function safe_divide(numerator, denominator, digits) {
  const ratio = `(${numerator})::double / nullif(${denominator}, 0)`;
  return typeof digits === 'number' ? `round(${ratio}, ${digits})` : ratio;
}
