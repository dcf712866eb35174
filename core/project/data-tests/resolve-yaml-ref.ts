/** A `ref('x')` or `source('a', 'b')` written as a string in YAML (e.g. a relationships test's `to`). */
export type YamlRef = { kind: 'ref'; name: string } | { kind: 'source'; source: string; table: string };

const REF = /^\s*ref\(\s*['"]([^'"]+)['"]\s*\)\s*$/;
const SOURCE = /^\s*source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)\s*$/;

/** Parses the expression, or returns undefined when it is neither form. */
export function parseYamlRef(expression: string): YamlRef | undefined {
  const ref = REF.exec(expression);
  if (ref) return { kind: 'ref', name: ref[1] };
  const source = SOURCE.exec(expression);
  if (source) return { kind: 'source', source: source[1], table: source[2] };
  return undefined;
}

/** The unique_id an expression points at in a project, or undefined. */
export function resolveYamlRef(expression: string, projectName: string, modelIdsByName: ReadonlyMap<string, string>, sourceIds: ReadonlySet<string>): string | undefined {
  const parsed = parseYamlRef(expression);
  if (!parsed) return undefined;
  if (parsed.kind === 'ref') return modelIdsByName.get(parsed.name);
  const id = `source.${projectName}.${parsed.source}.${parsed.table}`;
  return sourceIds.has(id) ? id : undefined;
}
