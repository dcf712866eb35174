import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectYml, strata, tempProjects } from './harness.js';

const project = tempProjects();
const manifest = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8'));

const docs = [
  '# Order docs',
  '',
  '{% docs order_status %}',
  'One of **placed**, shipped or returned.',
  '{% enddocs %}',
  '',
  '{%- docs orders -%}',
  'One row per order.',
  '{%- enddocs -%}',
].join('\n');

describe("dbt's doc blocks", () => {
  it('fill descriptions of models, columns, sources and exposures, and are in the manifest', async () => {
    const dir = project({
      'models/docs.md': docs,
      'models/orders.sql': 'select 1 as id, \'placed\' as status',
      'models/schema.yml': [
        'version: 2',
        'models:',
        '  - name: orders',
        '    description: \'{{ doc("orders") }}\'',
        '    columns:',
        '      - name: status',
        '        description: "Status. {{ doc(\'order_status\') }}"',
        '      - name: id',
        '        description: \'{{doc "orders"}} The key.\'',
        'sources:',
        '  - name: shop',
        '    description: \'{{ doc("shop", "orders") }}\'',
        '    tables:',
        '      - name: raw_orders',
        '        description: \'{{ doc("order_status") }}\'',
        'exposures:',
        '  - name: board',
        '    type: dashboard',
        '    owner: {name: Finance}',
        '    description: \'{{ doc("orders") }}\'',
        '    depends_on: [ref(\'orders\')]',
      ].join('\n'),
    });
    const { code, output } = await strata(dir, 'parse');
    expect(output).not.toContain('error');
    expect(code).toBe(0);
    const m = manifest(dir);
    const orders = m.nodes['model.shop.orders'];
    expect(orders.description).toBe('One row per order.');
    expect(orders.columns.status.description).toBe('Status. One of **placed**, shipped or returned.');
    expect(orders.columns.id.description).toBe('One row per order. The key.');
    expect(m.sources['source.shop.shop.raw_orders']).toMatchObject({ description: 'One of **placed**, shipped or returned.', source_description: 'One row per order.' });
    expect(m.exposures['exposure.shop.board'].description).toBe('One row per order.');
    expect(m.docs['doc.shop.order_status']).toEqual({
      name: 'order_status',
      resource_type: 'doc',
      package_name: 'shop',
      path: 'docs.md',
      original_file_path: 'models/docs.md',
      unique_id: 'doc.shop.order_status',
      block_contents: 'One of **placed**, shipped or returned.',
    });
  });

  it('are found under docs-paths when project.yml sets it, and nowhere else', async () => {
    const dir = project({
      'project.yml': projectYml('docs-paths: [docs]\n'),
      'docs/overview.md': '{% docs overview %}From the docs folder.{% enddocs %}',
      'models/ignored.md': '{% docs ignored %}Not read.{% enddocs %}',
      'models/a.sql': 'select 1 as id',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    description: "{{ doc(\'overview\') }}"\n',
    });
    expect((await strata(dir, 'parse')).code).toBe(0);
    const m = manifest(dir);
    expect(m.nodes['model.shop.a'].description).toBe('From the docs folder.');
    expect(Object.keys(m.docs)).toEqual(['doc.shop.overview']);
  });

  it('a reference to no doc block, a block never closed and two blocks of one name are errors naming file and line', async () => {
    const missing = project({
      'models/docs.md': docs,
      'models/a.sql': 'select 1 as id',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        description: \'{{ doc("order_stats") }}\'\n',
    });
    const first = await strata(missing, 'parse');
    expect(first.code).toBe(2);
    expect(first.output).toContain('models/schema.yml:6: {{ doc("order_stats") }} names no doc block');
    expect(first.output).toContain("did you mean 'order_status'?");
    const unclosed = project({ 'models/docs.md': 'intro\n{% docs a %}\ntext\n', 'models/a.sql': 'select 1 as id' });
    const second = await strata(unclosed, 'parse');
    expect(second.code).toBe(2);
    expect(second.output).toContain("models/docs.md:2: doc block 'a' is never closed");
    const twice = project({ 'models/a.md': '{% docs x %}1{% enddocs %}', 'models/b.md': '\n{% docs x %}2{% enddocs %}', 'models/a.sql': 'select 1 as id' });
    const third = await strata(twice, 'parse');
    expect(third.code).toBe(2);
    expect(third.output).toContain("models/b.md:2: two doc blocks are named 'x'");
    expect(third.output).toContain('the other is in models/a.md');
  });
});
