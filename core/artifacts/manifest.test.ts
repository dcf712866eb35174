import { describe, expect, it } from 'vitest';
import { tempFolder } from '../__fixtures__/temp-folder.js';
import { loadProject } from '../project/load-project.js';
import { readProjectFile } from '../project/project-file.js';
import { attachUnitTests } from '../unit-tests/attach-unit-tests.js';
import { manifestArtifact, writeManifestJson } from './manifest.js';

async function project(files: Record<string, string>) {
  const root = tempFolder('manifest', { 'project.yml': 'name: shop\nvars:\n  start: 2024\n', ...files });
  const quote = (s: string) => `"${s}"`;
  const loaded = await loadProject({
    project: readProjectFile(root),
    naming: { adapterType: 'duckdb', sql: { relation: (r) => [r.database, r.schema, r.identifier].filter(Boolean).map((p) => quote(p!)).join('.') }, defaultDatabase: 'db', defaultSchema: 'main' },
  });
  attachUnitTests(loaded);
  return loaded;
}

const files = {
  'models/a.sql': 'select 1 as id',
  'models/b.sql': 'select * from {{ref "a"}} join {{source "shop" "orders"}} using (id) -- "quoted" \\ text',
  'models/off.sql': '{{config enabled=false}}\nselect 2 as id',
  'models/schema.yml': [
    'version: 2',
    'sources:',
    '  - name: shop',
    '    tables:',
    '      - name: orders',
    'models:',
    '  - name: a',
    '    description: "The first: \\u00e9"',
    '    columns:',
    '      - name: id',
    '        tests: [unique, not_null]',
    'unit_tests:',
    '  - name: b_keeps_ids',
    '    model: b',
    '    given:',
    '      - input: ref("a")',
    '        rows: [{id: 1}]',
    '      - input: source("shop", "orders")',
    '        rows: [{id: 1}]',
    '    expect:',
    '      rows: [{id: 1}]',
    '',
  ].join('\n'),
  'macros/cents.sql': '{{amount}} / 100',
};

describe('writeManifestJson', () => {
  it('writes exactly the text of JSON.stringify(manifestArtifact(...)), in pieces split between entries', async () => {
    const p = await project(files);
    const input = { invocationId: 'inv', adapterType: 'duckdb', generatedAt: new Date(0), databaseLocation: { database: 'db', path: '/x/db.duckdb' } };
    const expected = JSON.stringify(manifestArtifact(p, input));
    // Everything the fixture declares is in it, so the comparison covers every section.
    const manifest = JSON.parse(expected);
    expect(Object.keys(manifest.nodes).length).toBe(4);
    expect(Object.keys(manifest.unit_tests)).toEqual(['unit_test.shop.b.b_keeps_ids']);
    expect(Object.keys(manifest.disabled)).toEqual(['model.shop.off']);
    expect(Object.keys(manifest.sources)).toEqual(['source.shop.shop.orders']);
    expect(Object.keys(manifest.macros).length).toBeGreaterThan(0);
    expect(manifest.child_map['model.shop.a']).toEqual([...manifest.child_map['model.shop.a']].sort());

    const gathered: string[] = [];
    writeManifestJson(p, input, (piece) => gathered.push(piece));
    expect(gathered.join('')).toBe(expected);

    // With batches of one entry, every entry is a piece: pieces end between entries, or after a section's opening, never inside a string.
    const whole: string[] = [];
    writeManifestJson(p, input, (piece) => whole.push(piece), 1);
    expect(whole.join('')).toBe(expected);
    expect(whole.length).toBeGreaterThan(gathered.length);
    for (const piece of whole.slice(0, -1).filter((piece) => piece !== ',')) expect(piece.endsWith('}') || piece.endsWith(']') || piece.endsWith('{')).toBe(true);
  });
});
