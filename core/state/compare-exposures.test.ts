import { describe, expect, it } from 'vitest';
import { manifestArtifact } from '../artifacts/manifest.js';
import { loadTestProject } from '../project/test-project.js';
import { ManifestComparison, type ManifestLike } from './compare-manifests.js';

async function manifestOf(exposures: string): Promise<ManifestLike> {
  const project = await loadTestProject({ 'project.yml': 'name: shop\n', 'models/a.sql': 'select 1 as id', 'models/b.sql': 'select 2 as id', 'models/exposures.yml': exposures });
  return JSON.parse(JSON.stringify(manifestArtifact(project, { invocationId: 'x', adapterType: 'duckdb' })));
}

const entry = (extra: string[] = [], dependsOn = ["ref('a')"]) =>
  ['exposures:', '  - name: kpis', '    type: dashboard', '    owner: {name: Finance}', '    depends_on:', ...dependsOn.map((d) => `      - ${d}`), ...extra.map((l) => `    ${l}`), ''].join('\n');

async function compare(after: string, before = entry()) {
  return new ManifestComparison(await manifestOf(before), await manifestOf(after)).compare('exposure.shop.kpis');
}

describe('state comparison of exposures', () => {
  it('an unchanged exposure is unmodified, even with its YAML reformatted', async () => {
    expect(await compare(entry().replace('owner: {name: Finance}', 'owner:\n      name: Finance'))).toEqual({ status: 'unmodified', changes: [] });
  });

  it('a new dependency, owner or url modifies it (body)', async () => {
    expect(await compare(entry([], ["ref('a')", "ref('b')"]))).toEqual({ status: 'modified', changes: [{ part: 'body', detail: 'its definition changed: depends_on' }] });
    expect(await compare(entry(['url: https://bi.example.com/2']))).toEqual({ status: 'modified', changes: [{ part: 'body', detail: 'its definition changed: url' }] });
  });

  it('new tags modify its configs', async () => {
    expect(await compare(entry(['tags: [finance]']))).toMatchObject({ status: 'modified', changes: [{ part: 'configs' }] });
  });

  it('an exposure the state does not have is new', async () => {
    const before = 'version: 2\n';
    expect((await compare(entry(), before)).status).toBe('new');
  });
});
