import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { compactGraph } from './compact-graph.js';
import type { DocsManifest, DocsNode } from './docs-manifest.js';
import { buildDocsSiteData } from './docs-site-data.js';

const sandbox: { StrataGraphData?: { expand(c: unknown): unknown } } = {};
vm.runInNewContext(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'site', 'graph-data.js'), 'utf8'), sandbox);

const node = (unique_id: string, resource_type: string, name: string, fqn: string[], extra: Partial<DocsNode> = {}): DocsNode => ({
  unique_id, resource_type, name, fqn, package_name: 'shop', original_file_path: `models/${name}.sql`, database: null, schema: 'main', tags: [], ...extra,
});

describe('compactGraph', () => {
  it('is undone exactly by the browser, odd ids and fqns included', () => {
    const manifest: DocsManifest = {
      metadata: {},
      sources: { 'source.shop.app.orders': node('source.shop.app.orders', 'source', 'orders', ['shop', 'app', 'orders'], { source_name: 'app' }) },
      nodes: {
        'model.shop.a': node('model.shop.a', 'model', 'a', ['shop', 'staging', 'a'], { tags: ['x', 'y'] }),
        'model.shop.b': node('model.shop.b', 'model', 'b', ['shop', 'b'], { tags: ['x', 'y'] }),
        'test.shop.not_null_a_id.abc123': node('test.shop.not_null_a_id.abc123', 'test', 'not_null_a_id', ['shop', 'staging', 'not_null_a_id'], { original_file_path: 'models/schema.yml' }),
        'test.shop.unique_b_id.def456': node('test.shop.unique_b_id.def456', 'test', 'unique_b_id', ['shop', 'unique_b_id'], { original_file_path: 'models/schema.yml' }),
        'model.other.strange': node('model.other.strange', 'model', 'odd', ['shop', 'versioned', 'odd_v2']),
      },
    };
    const { graph } = buildDocsSiteData({ manifest, lineage: new Map() });
    const compact = compactGraph(graph);
    expect(compact.paths).toEqual(['models/orders.sql', 'models/a.sql', 'models/b.sql', 'models/schema.yml', 'models/odd.sql']);
    expect(compact.tag_sets).toHaveLength(2);
    expect(compact.id_full).toEqual({ 5: 'model.other.strange' });
    expect(compact.fqn_full).toEqual({ 5: 'shop.versioned.odd_v2' });
    const expanded = sandbox.StrataGraphData!.expand(JSON.parse(JSON.stringify(compact)));
    expect(JSON.parse(JSON.stringify(expanded))).toEqual(JSON.parse(JSON.stringify(graph)));
  });
});
