// Writes the same synthetic graph as a Dataform 3 project: definitions/*.sqlx, includes/macros.js.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderModelBody } from './model-body.mjs';
import { modelDescription } from './synthetic-graph.mjs';

const dataformSyntax = {
  ref: (name) => `\${ref("${name}")}`,
  helper: (name, column) => `\${macros.${name}("${column}")}`,
  partial: (name, column) => `\${macros.${name}("${column}")}`,
  incremental: (condition) => `\${when(incremental(), \`${condition}\`)}`,
  self: '${self()}',
};

// Dataform has no partials: the SQL partials become JS functions in the same includes file.
const MACROS_JS = `// Macros of the synthetic benchmark project, as Dataform includes.
function cents_to_dollars(column) { return \`(\${column} / 100)::decimal(16,2)\`; }
function days_since(column) { return \`date_diff('day', \${column}, timestamp '2025-01-01')\`; }
function round_amount(column) { return \`round(\${column}, 0)\`; }
function abs_amount(column) { return \`abs(\${column})\`; }
function coalesce_zero(column) { return \`coalesce(\${column}, 0)\`; }
function limit_recent(column) { return \`\${column} >= timestamp '2023-01-01'\`; }
function is_positive(column) { return \`\${column} >= 0\`; }
function id_not_null(column) { return \`\${column} is not null\`; }
function before_cutoff(column) { return \`\${column} < timestamp '2100-01-01'\`; }
function amount_in_range(column) { return \`\${column} between 0 and 1000000000000\`; }

module.exports = {
  cents_to_dollars, days_since, round_amount, abs_amount, coalesce_zero,
  limit_recent, is_positive, id_not_null, before_cutoff, amount_in_range,
};
`;

/**
 * Writes the project into `dir` (emptied first). Dataform has no folder configs, so each model's
 * config block carries its effective materialization and tags. `coreVersion` is pinned in
 * package.json; the caller puts @dataform/core into node_modules (see dataform-toolchain.mjs).
 */
export function writeDataformProject(dir, models, { coreVersion }) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'includes'), { recursive: true });
  // No dataformCoreVersion here: with it, the CLI installs core from npm on every compile.
  writeFileSync(path.join(dir, 'workflow_settings.yaml'), 'defaultProject: bench\ndefaultLocation: US\ndefaultDataset: bench\ndefaultAssertionDataset: bench_assertions\n');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bench-dataform-project', private: true, dependencies: { '@dataform/core': coreVersion } }, null, 2) + '\n');
  writeFileSync(path.join(dir, 'includes', 'macros.js'), MACROS_JS);
  const made = new Set();
  for (const model of models) {
    const folderDir = path.join(dir, 'definitions', model.folder);
    if (!made.has(folderDir)) mkdirSync(folderDir, { recursive: true }), made.add(folderDir);
    writeFileSync(path.join(folderDir, `${model.name}.sqlx`), modelSqlx(model));
  }
}

function modelSqlx(model) {
  const { materialized, tags } = model.effective;
  const config = [`  type: "${materialized}",`];
  if (tags.length) config.push(`  tags: [${tags.map((t) => `"${t}"`).join(', ')}],`);
  if (materialized === 'incremental') config.push('  uniqueKey: ["id"],');
  config.push(
    `  description: "${modelDescription(model)}",`,
    '  columns: {',
    '    id: "Primary key.",',
    '    amount: "Amount in cents.",',
    '    updated_at: "When the row last changed."',
    '  },',
    '  assertions: { uniqueKey: ["id"], nonNull: ["id"] }',
  );
  return `config {\n${config.join('\n')}\n}\n\n${renderModelBody(model, dataformSyntax)}`;
}
