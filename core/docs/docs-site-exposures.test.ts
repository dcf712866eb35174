import { beforeAll, describe, expect, it } from 'vitest';
import { manifestArtifact } from '../artifacts/manifest.js';
import { loadTestProject } from '../project/test-project.js';
import type { DocsManifest } from './docs-manifest.js';
import { buildDocsSiteData, type DocsSiteData } from './docs-site-data.js';

let site: DocsSiteData;

/** The site data of a real project's manifest (parsed, written as JSON, read back), as `docs generate` builds it. */
beforeAll(async () => {
  const files = {
    'project.yml': 'name: shop\n',
    'models/sources.yml': 'version: 2\nsources:\n  - name: app\n    tables:\n      - name: orders\n',
    'models/staging/stg_orders.sql': 'select * from {{source "app" "orders"}}',
    'models/marts/fct_orders.sql': 'select * from {{ref "stg_orders"}}',
    'models/marts/exposures.yml': [
      'version: 2',
      'exposures:',
      '  - name: exec_revenue',
      '    label: Executive revenue',
      '    type: dashboard',
      '    maturity: high',
      '    url: https://bi.example.com/d/7',
      '    description: Revenue for the board',
      '    owner: {name: Finance analytics, email: finance@example.com}',
      '    depends_on:',
      "      - ref('fct_orders')",
      "      - ref('stg_orders')",
      '',
    ].join('\n'),
  };
  const project = await loadTestProject(files);
  const manifest = JSON.parse(JSON.stringify(manifestArtifact(project, { invocationId: 'x', adapterType: 'duckdb' }))) as DocsManifest;
  site = buildDocsSiteData({ manifest, lineage: new Map() });
});

const at = (id: string) => site.graph.id.indexOf(id);
const pageOf = (i: number) => site.pages[Math.floor(i / site.graph.chunk_size)][i % site.graph.chunk_size];

describe('exposures on the docs site', () => {
  it('are graph nodes with edges from what they depend on', () => {
    const g = site.graph;
    const e = at('exposure.shop.exec_revenue');
    expect(e).toBeGreaterThanOrEqual(0);
    expect(g.types[g.type[e]]).toBe('exposure');
    expect(g.path[e]).toBe('models/marts/exposures.yml');
    const parents: string[] = [];
    for (let k = 0; k < g.edges.length; k += 2) if (g.edges[k + 1] === e) parents.push(g.id[g.edges[k]]);
    expect(parents.sort()).toEqual(['model.shop.fct_orders', 'model.shop.stg_orders']);
  });

  it('sit one layer right of their deepest parent', () => {
    const g = site.graph;
    const e = at('exposure.shop.exec_revenue');
    const fct = at('model.shop.fct_orders');
    expect(g.layer[at('source.shop.app.orders')]).toBe(0);
    expect(g.layer[fct]).toBe(2);
    expect(g.layer[e]).toBe(g.layer[fct] + 1);
    expect(g.x[e]).toBeGreaterThan(g.x[fct]);
  });

  it('have a page with type, maturity, owner, url and description', () => {
    const page = pageOf(at('exposure.shop.exec_revenue'));
    expect(page.exposure).toEqual({ type: 'dashboard', label: 'Executive revenue', maturity: 'high', url: 'https://bi.example.com/d/7', owner_name: 'Finance analytics', owner_email: 'finance@example.com' });
    expect(page.description).toBe('Revenue for the board');
    expect(page.owner).toBe('Finance analytics finance@example.com');
    expect(pageOf(at('model.shop.fct_orders')).exposure).toBeNull();
  });

  it('are counted in the overview and found by search on name, label and owner', () => {
    expect(site.graph.overview.counts.exposure).toBe(1);
    expect(site.graph.overview.exposures).toEqual([{ node: at('exposure.shop.exec_revenue'), type: 'dashboard', maturity: 'high', owner: 'Finance analytics' }]);
    const entry = site.search[at('exposure.shop.exec_revenue')];
    expect(entry).toContain('exec_revenue');
    expect(entry).toContain('executive revenue');
    expect(entry).toContain('finance@example.com');
  });
});
