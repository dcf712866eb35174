import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { manifestArtifact } from '../artifacts/manifest.js';
import { loadProject } from '../project/load-project.js';
import { readProjectFile } from '../project/project-file.js';
import { ManifestComparison, type ManifestLike } from './compare-manifests.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

async function manifestOf(exposures: string): Promise<ManifestLike> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'strata-state-exposures-'));
  roots.push(root);
  const files = { 'project.yml': 'name: shop\n', 'models/a.sql': 'select 1 as id', 'models/b.sql': 'select 2 as id', 'models/exposures.yml': exposures };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  const project = await loadProject({
    project: readProjectFile(root),
    naming: { adapterType: 'duckdb', sql: { relation: (r) => [r.schema, r.identifier].join('.') }, defaultDatabase: null, defaultSchema: 'main' },
  });
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
