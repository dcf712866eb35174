// The SQL of one synthetic model, written once for both template languages.
import { HELPERS, MACRO_USE } from './synthetic-graph.mjs';

/**
 * Renders a model's select. `syntax` says how a template language writes the dynamic parts:
 * ref(name), helper(name, column), partial(name, column), incremental(sqlCondition) returning the
 * whole conditional block, and self (the model's own relation).
 * Every model outputs id, amount, updated_at with id unique, so refs compose and rows stay bounded.
 */
export function renderModelBody(model, syntax) {
  if (model.isRoot) return rootSelect(model.index);
  const lines = [];
  let prefix;
  if (model.combine === 'single') {
    prefix = 'p0.';
    lines.push('select', '    p0.id,', '    p0.amount + 1 as amount,', '    p0.updated_at', `from ${syntax.ref(model.parents[0])} as p0`);
  } else if (model.combine === 'join') {
    prefix = 'p0.';
    const list = (col) => model.parents.map((_, k) => `p${k}.${col}`).join(', ');
    lines.push('select', '    p0.id,', `    greatest(${list('amount')}) as amount,`, `    greatest(${list('updated_at')}) as updated_at`);
    model.parents.forEach((parent, k) => lines.push(k === 0 ? `from ${syntax.ref(parent)} as p0` : `join ${syntax.ref(parent)} as p${k} using (id)`));
  } else {
    prefix = '';
    lines.push('select', '    id,', '    max(amount) as amount,', '    max(updated_at) as updated_at', 'from (');
    model.parents.forEach((parent, k) => {
      if (k > 0) lines.push('    union all');
      lines.push(`    select id, amount, updated_at from ${syntax.ref(parent)}`);
    });
    lines.push(') as u');
  }
  const conditions = model.macros.map((name) => {
    const use = MACRO_USE[name];
    const column = prefix + use.column;
    return (HELPERS.includes(name) ? syntax.helper(name, column) : syntax.partial(name, column)) + use.suffix;
  });
  conditions.forEach((c, k) => lines.push(`${k === 0 ? 'where' : '  and'} ${c}`));
  if (model.effective.materialized === 'incremental') {
    const keyword = conditions.length ? '  and' : 'where';
    lines.push(syntax.incremental(`${keyword} ${prefix}updated_at > (select max(updated_at) from ${syntax.self})`));
  }
  if (model.combine === 'union') lines.push('group by id');
  return lines.join('\n') + '\n';
}

function rootSelect(index) {
  const rows = [1, 2, 3, 4, 5].map((id) => {
    const amount = 100 * id + index;
    const month = String(id).padStart(2, '0');
    return `select ${id} as id, cast(${amount} as bigint) as amount, timestamp '2024-${month}-01 00:00:00' as updated_at`;
  });
  return rows.join('\nunion all\n') + '\n';
}
