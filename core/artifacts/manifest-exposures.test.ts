import { describe, expect, it } from 'vitest';
import { loadTestProject } from '../project/test-project.js';
import { manifestArtifact, writeManifestJson } from './manifest.js';

async function project() {
  const files = {
    'project.yml': 'name: shop\n',
    'models/a.sql': 'select * from {{source "shop" "orders"}}',
    'models/marts/b.sql': 'select * from {{ref "a"}}',
    'models/schema.yml': 'version: 2\nsources:\n  - name: shop\n    tables:\n      - name: orders\n',
    'models/marts/exposures.yml': [
      'version: 2',
      'exposures:',
      '  - name: weekly_kpis',
      '    label: Weekly KPIs',
      '    type: dashboard',
      '    maturity: medium',
      '    url: https://bi.example.com/1',
      '    owner: {name: Finance, email: fin@example.com}',
      '    depends_on:',
      "      - ref('b')",
      "      - source('shop', 'orders')",
      '  - name: churn_model',
      '    type: ml',
      '    owner: {email: ds@example.com}',
      '    enabled: false',
      '',
    ].join('\n'),
  };
  return loadTestProject(files, { defaultDatabase: 'db' });
}

describe('exposures in manifest.json', () => {
  it('are written in dbt shape, and in parent_map and child_map', async () => {
    const manifest = manifestArtifact(await project(), { invocationId: 'x', adapterType: 'duckdb' }) as Record<string, Record<string, unknown>>;
    const exposure = manifest.exposures['exposure.shop.weekly_kpis'] as Record<string, unknown>;
    expect(Object.keys(manifest.exposures)).toEqual(['exposure.shop.weekly_kpis']);
    expect(exposure).toMatchObject({
      name: 'weekly_kpis',
      resource_type: 'exposure',
      package_name: 'shop',
      path: 'marts/exposures.yml',
      original_file_path: 'models/marts/exposures.yml',
      unique_id: 'exposure.shop.weekly_kpis',
      fqn: ['shop', 'marts', 'weekly_kpis'],
      type: 'dashboard',
      owner: { name: 'Finance', email: 'fin@example.com' },
      description: '',
      label: 'Weekly KPIs',
      maturity: 'medium',
      url: 'https://bi.example.com/1',
      tags: [],
      meta: {},
      config: { enabled: true, tags: [], meta: {} },
      unrendered_config: {},
      refs: [{ name: 'b', package: null, version: null }],
      sources: [['shop', 'orders']],
      metrics: [],
      depends_on: { nodes: ['model.shop.b', 'source.shop.shop.orders'], macros: [] },
    });
    expect(typeof exposure.created_at).toBe('number');
    expect(manifest.parent_map['exposure.shop.weekly_kpis']).toEqual(['model.shop.b', 'source.shop.shop.orders']);
    expect(manifest.child_map['model.shop.b']).toEqual(['exposure.shop.weekly_kpis']);
    expect(manifest.child_map['source.shop.shop.orders']).toEqual(['exposure.shop.weekly_kpis', 'model.shop.a']);
    expect(manifest.child_map['exposure.shop.weekly_kpis']).toEqual([]);
    // A disabled exposure sits under `disabled`, as dbt writes it.
    expect((manifest.disabled['exposure.shop.churn_model'] as { resource_type: string }[])[0].resource_type).toBe('exposure');
  });

  it('the streamed manifest has the same exposures', async () => {
    const loaded = await project();
    let text = '';
    writeManifestJson(loaded, { invocationId: 'x', adapterType: 'duckdb', generatedAt: new Date(0) }, (piece) => (text += piece));
    const streamed = JSON.parse(text);
    expect(streamed.exposures).toEqual(JSON.parse(JSON.stringify(manifestArtifact(loaded, { invocationId: 'x', adapterType: 'duckdb', generatedAt: new Date(0) }))).exposures);
    expect(Object.keys(streamed.exposures)).toEqual(['exposure.shop.weekly_kpis']);
  });
});
