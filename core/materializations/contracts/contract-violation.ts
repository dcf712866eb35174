import type { ColumnDef } from '../../adapter/adapter.js';
import { UserError, type SourceLocation } from '../../errors/user-error.js';

/** One way a model's columns differ from its contract. */
export type ContractMismatch =
  | { problem: 'missing'; column: string; declared: string }
  | { problem: 'extra'; column: string; actual: string }
  | { problem: 'type'; column: string; declared: string; actual: string };

const PROBLEM: Record<ContractMismatch['problem'], string> = {
  missing: 'missing from the model',
  extra: 'not in the contract',
  type: 'data type mismatch',
};

/**
 * How the columns a model produced differ from the declared ones: names compare
 * case-insensitively, types by the dialect's sameType (which knows its synonyms), order not at all.
 * Missing columns come first, then extra ones, then type mismatches.
 */
export function compareWithContract(declared: ColumnDef[], actual: ColumnDef[], sameType: (a: string, b: string) => boolean): ContractMismatch[] {
  const actualByName = new Map(actual.map((c) => [c.name.toLowerCase(), c]));
  const declaredNames = new Set(declared.map((c) => c.name.toLowerCase()));
  const missing: ContractMismatch[] = [];
  const retyped: ContractMismatch[] = [];
  for (const column of declared) {
    const built = actualByName.get(column.name.toLowerCase());
    if (!built) missing.push({ problem: 'missing', column: column.name, declared: column.dataType });
    else if (!sameType(column.dataType, built.dataType)) retyped.push({ problem: 'type', column: column.name, declared: column.dataType, actual: built.dataType });
  }
  const extra: ContractMismatch[] = actual.filter((c) => !declaredNames.has(c.name.toLowerCase())).map((c) => ({ problem: 'extra', column: c.name, actual: c.dataType }));
  return [...missing, ...extra, ...retyped];
}

/** The mismatches as an aligned table: column, contract type, model type, problem. */
export function formatMismatches(mismatches: ContractMismatch[]): string {
  const rows = [
    ['column', 'contract', 'model', 'problem'],
    ...mismatches.map((m) => [m.column, 'declared' in m ? m.declared : '', 'actual' in m ? m.actual : '', PROBLEM[m.problem]]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

/** The error for a model whose built columns break its contract; nothing has been swapped in. */
export function contractViolation(model: string, mismatches: ContractMismatch[], where: SourceLocation, existing: string | undefined): UserError {
  const count = (problem: ContractMismatch['problem']) => mismatches.filter((m) => m.problem === problem).length;
  const parts = [
    count('missing') && `${count('missing')} missing`,
    count('extra') && `${count('extra')} extra`,
    count('type') && `${count('type')} with another data type`,
  ].filter(Boolean);
  const kept = existing ? `; the existing ${existing} was left as it was` : '';
  return new UserError(`the columns of model '${model}' do not match its enforced contract (${parts.join(', ')}):\n${formatMismatches(mismatches)}`, {
    ...where,
    hint: `change the model's SQL (rename or cast columns) or the columns and data_types in its YAML so that they match${kept}`,
  });
}
