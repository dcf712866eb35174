import { describe, expect, it } from 'vitest';
import type { Catalog } from './catalog.js';
import type { DocsManifest, DocsNode } from './docs-manifest.js';
import { buildDocsSiteData, CHUNK_SIZE } from './docs-site-data.js';
import { projectLineage } from './project-lineage.js';

const node = (over: Partial<DocsNode> & Pick<DocsNode, 'unique_id' | 'resource_type' | 'name'>): DocsNode => ({
  package_name: 'shop',
  original_file_path: `models/${over.name}.sql`,
  fqn: ['shop', 'staging', over.name],
  database: 'shop',
  schema: 'main',
  tags: [],
  config: { materialized: 'table', tags: [] },
  ...over,
});

const MANIFEST: DocsManifest = {
  metadata: { project_name: 'shop', adapter_type: 'duckdb' },
  sources: {
    'source.shop.app.orders': node({ unique_id: 'source.shop.app.orders', resource_type: 'source', name: 'orders', source_name: 'app', identifier: 'orders', schema: 'raw', fqn: ['shop', 'app', 'orders'], config: undefined }),
  },
  nodes: {
    'model.shop.stg_orders': node({
      unique_id: 'model.shop.stg_orders',
      resource_type: 'model',
      name: 'stg_orders',
      alias: 'stg_orders',
      description: 'Orders, cleaned',
      columns: { order_id: { name: 'order_id', description: 'The key' } },
      compiled_code: 'select id as order_id, cents / 100.0 as amount from "shop"."raw"."orders"',
      config: { materialized: 'view', tags: ['finance'], meta: { owner: 'data-team' } },
    }),
    'model.shop.fct_orders': node({
      unique_id: 'model.shop.fct_orders',
      resource_type: 'model',
      name: 'fct_orders',
      alias: 'fct_orders',
      fqn: ['shop', 'marts', 'fct_orders'],
      compiled_code: 'select * from "shop"."main"."stg_orders"',
    }),
    'test.shop.not_null_stg_orders_order_id': node({
      unique_id: 'test.shop.not_null_stg_orders_order_id',
      resource_type: 'test',
      name: 'not_null_stg_orders_order_id',
      attached_node: 'model.shop.stg_orders',
      column_name: 'order_id',
      test_metadata: { name: 'not_null', kwargs: { column_name: 'order_id' } },
      config: { materialized: 'test' },
    }),
  },
  parent_map: {
    'source.shop.app.orders': [],
    'model.shop.stg_orders': ['source.shop.app.orders'],
    'model.shop.fct_orders': ['model.shop.stg_orders'],
    'test.shop.not_null_stg_orders_order_id': ['model.shop.stg_orders'],
  },
};

const entry = (id: string, name: string, columns: [string, string][]) => ({
  metadata: { type: 'BASE TABLE', schema: 'main', name, database: 'shop', comment: null, owner: null },
  columns: Object.fromEntries(columns.map(([c, type], i) => [c, { type, index: i + 1, name: c, comment: null }])),
  stats: {},
  unique_id: id,
});

const CATALOG: Catalog = {
  metadata: {},
  sources: { 'source.shop.app.orders': entry('source.shop.app.orders', 'orders', [['id', 'INTEGER'], ['cents', 'BIGINT']]) },
  nodes: {
    'model.shop.stg_orders': entry('model.shop.stg_orders', 'stg_orders', [['order_id', 'INTEGER'], ['amount', 'DOUBLE']]),
    'model.shop.fct_orders': entry('model.shop.fct_orders', 'fct_orders', [['order_id', 'INTEGER'], ['amount', 'DOUBLE']]),
  },
  errors: null,
};

async function build() {
  return buildDocsSiteData({
    manifest: MANIFEST,
    catalog: CATALOG,
    lineage: (await projectLineage(MANIFEST, CATALOG, 'postgresql')).lineage,
    runResults: {
      metadata: { generated_at: '2026-01-01T00:00:00Z' },
      elapsed_time: 1.5,
      args: { which: 'build' },
      results: [
        { unique_id: 'model.shop.stg_orders', status: 'success', execution_time: 0.4 },
        { unique_id: 'model.shop.fct_orders', status: 'success', execution_time: 0.9 },
        { unique_id: 'test.shop.not_null_stg_orders_order_id', status: 'fail', execution_time: 0.1, failures: 3 },
      ],
    },
    sources: { metadata: {}, results: [{ unique_id: 'source.shop.app.orders', status: 'warn', max_loaded_at_time_ago_in_s: 7200 }] },
  });
}

describe('buildDocsSiteData', () => {
  it('lists every node with its type, edges and a left-to-right layout', async () => {
    const { graph } = await build();
    const at = (id: string) => graph.id.indexOf(id);
    expect(graph.id).toHaveLength(4);
    expect(graph.types[graph.type[at('source.shop.app.orders')]]).toBe('source');
    expect(graph.edges).toContain(at('model.shop.stg_orders'));
    expect(graph.x[at('source.shop.app.orders')]).toBeLessThan(graph.x[at('model.shop.stg_orders')]);
    expect(graph.x[at('model.shop.stg_orders')]).toBeLessThan(graph.x[at('model.shop.fct_orders')]);
    expect(graph.attached[at('test.shop.not_null_stg_orders_order_id')]).toBe(at('model.shop.stg_orders'));
    expect(graph.tags[at('model.shop.stg_orders')]).toBe('finance');
    expect(graph.statuses[graph.status[at('test.shop.not_null_stg_orders_order_id')]]).toBe('fail');
  });

  it('gives pages warehouse types, YAML descriptions, tests and lineage both ways', async () => {
    const { graph, pages } = await build();
    const at = (id: string) => graph.id.indexOf(id);
    const page = (id: string) => pages[Math.floor(at(id) / CHUNK_SIZE)][at(id) % CHUNK_SIZE];
    const stg = page('model.shop.stg_orders');
    expect(stg.owner).toBe('data-team');
    expect(stg.columns.map((c) => [c.name, c.type, c.description])).toEqual([['order_id', 'INTEGER', 'The key'], ['amount', 'DOUBLE', '']]);
    expect(stg.columns[0].tests).toEqual([at('test.shop.not_null_stg_orders_order_id')]);
    expect(stg.columns[1].from).toEqual([[at('source.shop.app.orders'), 'cents']]);
    // fct_orders selects *, expanded from the catalog: its amount is stg_orders.amount.
    expect(stg.columns[1].used_by).toEqual([[at('model.shop.fct_orders'), 'amount']]);
    expect(page('model.shop.fct_orders').columns[1].from).toEqual([[at('model.shop.stg_orders'), 'amount']]);
    expect(page('source.shop.app.orders').columns[1].from).toBeNull();
    expect(page('source.shop.app.orders').freshness?.status).toBe('warn');
  });

  it('sums up the project: counts, layers, last run, slowest, failing and stale', async () => {
    const { graph } = await build();
    const o = graph.overview;
    expect(o.counts).toEqual({ source: 1, model: 2, test: 1 });
    expect(o.layers).toEqual([{ name: 'marts', models: 1 }, { name: 'staging', models: 1 }]);
    expect(o.run?.statuses).toEqual({ success: 2, fail: 1 });
    expect(o.slowest.map((s) => graph.id[s.node])).toEqual(['model.shop.fct_orders', 'model.shop.stg_orders']);
    expect(o.failing.map((f) => [graph.id[f.node], f.failures])).toEqual([['test.shop.not_null_stg_orders_order_id', 3]]);
    expect(o.stale.map((s) => [graph.id[s.node], s.age_s])).toEqual([['source.shop.app.orders', 7200]]);
  });

  it('indexes names, descriptions and columns for search', async () => {
    const { graph, search } = await build();
    const entry = search[graph.id.indexOf('model.shop.stg_orders')];
    expect(entry.split('\u0001')).toEqual(['stg_orders', 'orders, cleaned', 'order_id', 'the key', 'amount', '']);
  });
});
