// Writes a synthetic graph as a Strata project: project.yml, Handlebars models, _models.yml, macros.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderModelBody } from './model-body.mjs';
import { FOLDER_COUNT, modelDescription } from './synthetic-graph.mjs';

const strataSyntax = {
  ref: (name) => `{{ref "${name}"}}`,
  helper: (name, column) => `{{${name} "${column}"}}`,
  partial: (name, column) => `{{> ${name} column="${column}"}}`,
  incremental: (condition) => `{{#if (is_incremental)}}\n${condition}\n{{/if}}`,
  self: '{{this}}',
};

/** JS helper modules: the default export is a helper named after the file, named exports keep their names. */
const HELPER_SOURCES = {
  'cents_to_dollars.js': 'export default function cents_to_dollars(column) {\n  return `(${column} / 100)::decimal(16,2)`;\n}\n',
  'days_since.js': "export default function days_since(column) {\n  return `date_diff('day', ${column}, timestamp '2025-01-01')`;\n}\n",
  'round_amount.js': 'export default function round_amount(column) {\n  return `round(${column}, 0)`;\n}\n',
  'amount_helpers.js':
    'export function abs_amount(column) {\n  return `abs(${column})`;\n}\n\nexport function coalesce_zero(column) {\n  return `coalesce(${column}, 0)`;\n}\n',
};

const PARTIAL_SOURCES = {
  'limit_recent.sql': "{{column}} >= timestamp '2023-01-01'\n",
  'is_positive.sql': '{{column}} >= 0\n',
  'id_not_null.sql': '{{column}} is not null\n',
  'before_cutoff.sql': "{{column}} < timestamp '2100-01-01'\n",
  'amount_in_range.sql': '{{column}} between 0 and 1000000000000\n',
};

/** Writes the project into `dir` (emptied first). `folders` are the folder configs of project.yml. */
export function writeStrataProject(dir, models, { folders, forceMaterialized }) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'macros'), { recursive: true });
  writeFileSync(path.join(dir, 'project.yml'), projectYml(folders, forceMaterialized));
  for (const [file, source] of Object.entries({ ...HELPER_SOURCES, ...PARTIAL_SOURCES })) writeFileSync(path.join(dir, 'macros', file), source);

  const byFolder = new Map();
  for (let f = 0; f < FOLDER_COUNT; f++) byFolder.set(`f${String(f).padStart(2, '0')}`, []);
  for (const model of models) byFolder.get(model.folder).push(model);
  for (const [folder, list] of byFolder) {
    if (!list.length) continue;
    const folderDir = path.join(dir, 'models', folder);
    mkdirSync(folderDir, { recursive: true });
    for (const model of list) writeFileSync(path.join(folderDir, `${model.name}.sql`), modelSql(model));
    writeFileSync(path.join(folderDir, '_models.yml'), modelsYml(list));
  }
}

function projectYml(folders, forceMaterialized) {
  const lines = ['name: bench', 'version: "1.0"', 'model-paths: [models]', 'macro-paths: [macros]', '', 'models:', '  bench:', `    +materialized: ${forceMaterialized ?? 'view'}`];
  for (const [folder, config] of Object.entries(folders)) {
    const entries = [];
    if (config.materialized) entries.push(`+materialized: ${config.materialized}`);
    if (config.tags) entries.push(`+tags: [${config.tags.join(', ')}]`);
    lines.push(`    ${folder}: { ${entries.join(', ')} }`);
  }
  return lines.join('\n') + '\n';
}

function modelSql(model) {
  const args = [];
  if (model.materialized) args.push(`materialized="${model.materialized}"`);
  if (model.materialized === 'incremental') args.push('unique_key="id"');
  if (model.fileTags.length) args.push(`tags="${model.fileTags.join(',')}"`);
  return `{{config ${args.join(' ')}}}\n${renderModelBody(model, strataSyntax)}`;
}

function modelsYml(list) {
  const lines = ['version: 2', '', 'models:'];
  for (const model of list) {
    lines.push(`  - name: ${model.name}`, `    description: "${modelDescription(model)}"`);
    if (model.yamlTags.length) lines.push(`    config:`, `      tags: [${model.yamlTags.join(', ')}]`);
    lines.push(
      '    columns:',
      '      - name: id',
      '        description: Primary key.',
      '        tests: [unique, not_null]',
      '      - name: amount',
      '        description: Amount in cents.',
      '      - name: updated_at',
      '        description: When the row last changed.',
    );
  }
  return lines.join('\n') + '\n';
}
