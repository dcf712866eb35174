import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { manifestArtifact } from '../../artifacts/manifest.js';
import { loadTestProject } from '../../project/test-project.js';
import { shopProject } from '../../selection/__fixtures__/shop-project.js';
import { resolveSelection } from '../../selection/resolve-selection.js';
import type { DocsManifest, DocsNode } from '../docs-manifest.js';
import { buildDocsSiteData, type DocsGraphData } from '../docs-site-data.js';

interface BrowserSelection {
  select(graph: DocsGraphData, text: string): { nodes: Set<number>; error?: string };
  looksLikeSelector(graph: DocsGraphData, text: string): boolean;
}

// The site's selection.js, run as the browser runs it: a plain script defining a global.
const sandbox: { StrataSelection?: BrowserSelection } = {};
vm.runInNewContext(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'selection.js'), 'utf8'), sandbox);
const browser = sandbox.StrataSelection!;

const project = shopProject();
const manifest: DocsManifest = { metadata: {}, nodes: {}, sources: {}, parent_map: {} };
for (const [id, node] of project.nodes) {
  (node.resource_type === 'source' ? manifest.sources : manifest.nodes)[id] = node as unknown as DocsNode;
  manifest.parent_map![id] = project.graph.inNeighbors(id);
}
const graph = buildDocsSiteData({ manifest, lineage: new Map() }).graph;

const inBrowser = (text: string) => [...browser.select(graph, text).nodes].map((i) => graph.id[i]).sort();
const inCli = (text: string) => [...resolveSelection({ ...project, select: [text] })].sort();

describe('the docs site selection', () => {
  const selectors = [
    'orders',
    '+orders',
    'orders+',
    '1+customers',
    'customers+1',
    '@stg_orders',
    'tag:nightly',
    'tag:fin*',
    'source:shop',
    'source:shop+',
    'source:stripe.charges+',
    'path:models/staging',
    'path:models/marts/*.sql',
    'file:orders.sql',
    'package:audit_utils',
    'resource_type:seed',
    'config.materialized:incremental',
    'stg_*',
    'shop.marts',
    '*.staging.*',
    'tag:nightly,config.materialized:view',
    '+customers tag:finance',
  ];
  for (const text of selectors) {
    it(`selects what the CLI selects for ${text}`, () => {
      const expected = inCli(text);
      expect(expected.length).toBeGreaterThan(0);
      expect(inBrowser(text)).toEqual(expected);
    });
  }

  it('reports a malformed selector instead of selecting nothing silently', () => {
    expect(browser.select(graph, 'nosuch:x').error).toMatch(/unknown method 'nosuch'/);
    expect(browser.select(graph, '@orders+').error).toMatch(/cannot be combined/);
  });

  it('tells a selector from free text', () => {
    expect(browser.looksLikeSelector(graph, '+orders')).toBe(true);
    expect(browser.looksLikeSelector(graph, 'orders')).toBe(true);
    expect(browser.looksLikeSelector(graph, 'revenue')).toBe(false);
  });
});

describe('the docs site selection of exposures', () => {
  let exposures: { graph: DocsGraphData; cli: (text: string) => string[] };
  beforeAll(async () => {
    const files = {
      'project.yml': 'name: shop\n',
      'models/sources.yml': 'version: 2\nsources:\n  - name: app\n    tables:\n      - name: orders\n',
      'models/staging/stg_orders.sql': 'select * from {{source "app" "orders"}}',
      'models/marts/fct_orders.sql': 'select * from {{ref "stg_orders"}}',
      'models/marts/dim_products.sql': 'select 1 as product_id',
      'models/marts/exposures.yml': [
        'exposures:',
        '  - name: exec_revenue',
        '    type: dashboard',
        '    tags: [finance]',
        '    owner: {name: Finance}',
        '    depends_on:',
        "      - ref('fct_orders')",
        '  - name: inventory_notebook',
        '    type: notebook',
        '    owner: {email: ops@example.com}',
        '    depends_on:',
        "      - ref('dim_products')",
        '',
      ].join('\n'),
    };
    const loaded = await loadTestProject(files);
    const written = JSON.parse(JSON.stringify(manifestArtifact(loaded, { invocationId: 'x', adapterType: 'duckdb' }))) as DocsManifest;
    exposures = {
      graph: buildDocsSiteData({ manifest: written, lineage: new Map() }).graph,
      cli: (text) => [...resolveSelection({ graph: loaded.dag, nodes: loaded.all, select: [text] })].sort(),
    };
  });
  const selectors = ['exposure:exec_revenue', 'exposure:*', 'exposure:shop.inv*', '+exposure:exec_revenue', '1+exposure:exec_revenue', 'stg_orders+', 'resource_type:exposure', 'tag:finance', 'exec_revenue', 'path:models/marts/exposures.yml'];
  for (const text of selectors) {
    it(`selects what the CLI selects for ${text}`, () => {
      const expected = exposures.cli(text);
      expect(expected.some((id) => id.startsWith('exposure.'))).toBe(true);
      expect([...browser.select(exposures.graph, text).nodes].map((i) => exposures.graph.id[i]).sort()).toEqual(expected);
    });
  }

  it('reports a malformed exposure selector', () => {
    expect(browser.select(exposures.graph, 'exposure:a.b.c').error).toMatch(/is not an exposure selector/);
  });
});
