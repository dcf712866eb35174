import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Adapter, AttachingAdapter } from '../adapter/adapter.js';
import type { ManifestNode } from '../manifest/nodes.js';
import { attachStateDatabases } from './attach-state-databases.js';
import type { ManifestLike } from './compare-manifests.js';
import { Deferral } from './deferral.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'strata-attach-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const prodFile = path.join(dir, 'prod.duckdb');
writeFileSync(prodFile, '');

const sql = { relation: (r: { database: string | null; schema: string; identifier: string }) => [r.database, r.schema, r.identifier].filter(Boolean).join('.') };

/** A DuckDB-like adapter on `file`, recording what it attaches. */
function fakeAdapter(database: string, file: string | null, visible: string[] = []): AttachingAdapter & { attached: [string, string][] } {
  const attached: [string, string][] = [];
  return {
    type: 'duckdb',
    defaultDatabase: database,
    attached,
    canAttachDatabases: () => true,
    databaseLocation: () => file,
    hasDatabase: async (name: string) => [database, ...visible, ...attached.map(([, n]) => n)].includes(name.toLowerCase()),
    attachReadOnly: async (location: string, name: string) => void attached.push([location, name]),
  } as unknown as AttachingAdapter & { attached: [string, string][] };
}

function deferralTo(database: string, location?: { database: string; path: string }): { deferral: Deferral; previous: ManifestLike } {
  const prev = { unique_id: 'model.shop.a', resource_type: 'model', name: 'a', alias: 'a', schema: 'main', database, relation_name: `${database}.main.a`, config: { materialized: 'table' } };
  const previous: ManifestLike = { metadata: location ? { database_location: location } : {}, nodes: { 'model.shop.a': prev as unknown as ManifestNode } };
  const current = { ...prev, schema: 'pr_1', database: 'ci', relation_name: 'ci.pr_1.a' } as unknown as ManifestNode;
  return { previous, deferral: new Deferral({ previous, nodes: [current], selected: new Set(), favorState: false, exists: () => false, sql }) };
}

describe('attachStateDatabases', () => {
  it("attaches production's file read-only under its own name", async () => {
    const adapter = fakeAdapter('ci', path.join(dir, 'ci.duckdb'));
    const { deferral, previous } = deferralTo('prod', { database: 'prod', path: prodFile });
    const messages = await attachStateDatabases(adapter, deferral, previous);
    expect(adapter.attached).toEqual([[prodFile, 'prod']]);
    expect(messages[0]).toMatch(/read-only as 'prod'/);
    expect(deferral.relationFor({ unique_id: 'model.shop.a' } as ManifestNode)).toBe('prod.main.a');
  });

  it("needs nothing when production is this target's file, in another schema", async () => {
    const adapter = fakeAdapter('prod', prodFile);
    const { deferral, previous } = deferralTo('prod', { database: 'prod', path: prodFile });
    expect(await attachStateDatabases(adapter, deferral, previous)).toEqual([]);
    expect(adapter.attached).toEqual([]);
  });

  it('attaches a same-named file of another folder under <name>_state and reads it there', async () => {
    const adapter = fakeAdapter('prod', path.join(dir, 'elsewhere', 'prod.duckdb'));
    const { deferral, previous } = deferralTo('prod', { database: 'prod', path: prodFile });
    await attachStateDatabases(adapter, deferral, previous);
    expect(adapter.attached).toEqual([[prodFile, 'prod_state']]);
    expect(deferral.relationFor({ unique_id: 'model.shop.a' } as ManifestNode)).toBe('prod_state.main.a');
  });

  it('says where the file was expected when it is not on this machine', async () => {
    const adapter = fakeAdapter('ci', path.join(dir, 'ci.duckdb'));
    const { deferral, previous } = deferralTo('prod', { database: 'prod', path: '/nowhere/prod.duckdb' });
    await expect(attachStateDatabases(adapter, deferral, previous)).rejects.toThrow(/database 'prod' .* cannot see/);
    await expect(attachStateDatabases(adapter, deferral, previous)).rejects.toMatchObject({ hint: expect.stringContaining('/nowhere/prod.duckdb') });
  });

  it('leaves a database the connection already sees, and adapters that cannot attach, alone', async () => {
    const adapter = fakeAdapter('ci', path.join(dir, 'ci.duckdb'), ['prod']);
    const { deferral, previous } = deferralTo('prod');
    expect(await attachStateDatabases(adapter, deferral, previous)).toEqual([]);
    const warehouse = { type: 'snowflake', defaultDatabase: 'analytics' } as unknown as Adapter;
    expect(await attachStateDatabases(warehouse, deferralTo('prod').deferral, previous)).toEqual([]);
  });
});
