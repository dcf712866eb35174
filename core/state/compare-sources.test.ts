import { describe, expect, it } from 'vitest';
import { manifestArtifact } from '../artifacts/manifest.js';
import { loadTestProject } from '../project/test-project.js';
import { ManifestComparison, type ManifestLike } from './compare-manifests.js';

async function manifestOf(table: string): Promise<ManifestLike> {
  const sources = `version: 2\nsources:\n  - name: shop\n    loaded_at_field: _loaded_at\n    tables:\n      - name: orders\n${table}`;
  const project = await loadTestProject({ 'project.yml': 'name: shop\n', 'models/a.sql': "select * from {{source 'shop' 'orders'}}", 'models/sources.yml': sources });
  return JSON.parse(JSON.stringify(manifestArtifact(project, { invocationId: 'x', adapterType: 'duckdb' })));
}

const ID = 'source.shop.shop.orders';
const WARN_DAILY = '        freshness: {warn_after: {count: 1, period: day}}\n';

describe('state comparison of sources', () => {
  it('a new freshness threshold modifies its configs', async () => {
    const comparison = new ManifestComparison(await manifestOf(WARN_DAILY), await manifestOf('        freshness: {warn_after: {count: 2, period: day}}\n'));
    expect(comparison.compare(ID)).toEqual({ status: 'modified', changes: [{ part: 'configs', detail: 'freshness changed' }] });
  });

  it("an older manifest's freshness (the innermost block as written, null for none) compares equal to the same settings merged", async () => {
    const before = await manifestOf(WARN_DAILY);
    before.sources![ID].freshness = { warn_after: { count: 1, period: 'day' } } as never;
    expect(new ManifestComparison(before, await manifestOf(WARN_DAILY)).compare(ID)).toEqual({ status: 'unmodified', changes: [] });
    const unset = await manifestOf('');
    expect(unset.sources![ID].freshness).toEqual({ warn_after: { count: null, period: null }, error_after: { count: null, period: null }, filter: null });
    const older = await manifestOf('');
    older.sources![ID].freshness = null;
    expect(new ManifestComparison(older, unset).compare(ID).status).toBe('unmodified');
    expect(new ManifestComparison(older, await manifestOf(WARN_DAILY)).compare(ID).status).toBe('modified');
  });
});
