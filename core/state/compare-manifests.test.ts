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

/** The manifest of a project made of these files, as `strata parse` would write it (JSON round trip included). */
async function manifestOf(files: Record<string, string>, cliVars: Record<string, unknown> = {}): Promise<ManifestLike> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'strata-state-'));
  roots.push(root);
  for (const [file, text] of Object.entries({ 'project.yml': 'name: shop\nvars:\n  start_date: "2024-01-01"\n', ...files })) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  const project = await loadProject({
    project: readProjectFile(root),
    naming: { adapterType: 'duckdb', sql: { relation: (r) => [r.database, r.schema, r.identifier].filter(Boolean).join('.') }, defaultDatabase: 'db', defaultSchema: 'main' },
    cliVars,
  });
  return JSON.parse(JSON.stringify(manifestArtifact(project, { invocationId: 'x', adapterType: 'duckdb' })));
}

const base: Record<string, string> = {
  'models/stg_orders.sql': 'select order_id, amount_cents from raw_orders',
  'models/orders.sql': 'select order_id, {{cents "amount_cents"}} as amount from {{ref "stg_orders"}}',
  'models/recent.sql': "select * from {{ref \"orders\"}} where ordered_at >= '{{var \"start_date\"}}'",
  'models/items.sql': 'select 1 as item_id',
  'macros/cents.js': 'export function cents(column) { return `${column} / 100`; }\n',
};

async function compare(changed: Record<string, string>, cliVars?: Record<string, unknown>) {
  const previous = await manifestOf(base);
  const current = await manifestOf({ ...base, ...changed }, cliVars);
  return new ManifestComparison(previous, current);
}

describe('ManifestComparison', () => {
  it('an identical project has nothing modified', async () => {
    const c = await compare({});
    for (const id of ['model.shop.stg_orders', 'model.shop.orders', 'model.shop.recent', 'model.shop.items']) expect(c.compare(id)).toEqual({ status: 'unmodified', changes: [] });
  });

  it('whitespace and comments do not modify a model; a changed expression does', async () => {
    const c = await compare({
      'models/stg_orders.sql': '-- orders from the shop\nselect   order_id,\n  amount_cents\nfrom raw_orders\n',
      'models/items.sql': 'select 2 as item_id',
    });
    expect(c.compare('model.shop.stg_orders').status).toBe('unmodified');
    expect(c.compare('model.shop.items')).toMatchObject({ status: 'modified', changes: [{ part: 'body' }] });
  });

  it('a changed macro modifies the models that call it, and only them', async () => {
    const c = await compare({ 'macros/cents.js': 'export function cents(column) { return `round(${column} / 100.0, 2)`; }\n' });
    expect(c.compare('model.shop.orders')).toEqual({ status: 'modified', changes: [{ part: 'macros', detail: "macro 'cents' changed" }] });
    expect(c.compare('model.shop.stg_orders').status).toBe('unmodified');
    expect(c.compare('model.shop.recent').status).toBe('unmodified');
  });

  it('a macro reached through another macro counts', async () => {
    const files = { 'macros/outer.sql': '{{> inner}} + 1', 'macros/inner.sql': 'amount', 'models/m.sql': 'select {{> outer}} as x' };
    const previous = await manifestOf({ ...base, ...files });
    const current = await manifestOf({ ...base, ...files, 'macros/inner.sql': 'amount * 2' });
    const changes = new ManifestComparison(previous, current).compare('model.shop.m').changes;
    expect(changes).toEqual([{ part: 'macros', detail: "macro 'inner' changed" }]);
  });

  it('a changed var modifies the models that read it (dbt misses this)', async () => {
    const c = await compare({}, { start_date: '2025-01-01' });
    expect(c.compare('model.shop.recent')).toEqual({ status: 'modified', changes: [{ part: 'vars', detail: "var 'start_date' has a new value" }] });
    expect(c.compare('model.shop.orders').status).toBe('unmodified');
  });

  it('config and relation changes are told apart', async () => {
    const c = await compare({
      'models/items.sql': '{{config materialized="table" tags="daily"}}\nselect 1 as item_id',
      'models/stg_orders.sql': '{{config alias="orders_staged"}}\nselect order_id, amount_cents from raw_orders',
    });
    const items = c.compare('model.shop.items').changes;
    expect(items.map((x) => x.part)).toContain('configs');
    expect(items.find((x) => x.part === 'configs')!.detail).toBe('config changed: materialized, tags');
    expect(items.map((x) => x.part)).not.toContain('relation');
    expect(c.compare('model.shop.stg_orders').changes.map((x) => x.part)).toContain('relation');
  });

  it('a node not in the state is new', async () => {
    const c = await compare({ 'models/brand_new.sql': 'select 1 as x' });
    expect(c.compare('model.shop.brand_new')).toEqual({ status: 'new', changes: [] });
  });

  it('a model that inlines a changed ephemeral model is modified', async () => {
    const files = { 'models/eph.sql': '{{config materialized="ephemeral"}}\nselect 1 as x', 'models/uses_eph.sql': 'select * from {{ref "eph"}}' };
    const previous = await manifestOf({ ...base, ...files });
    const current = await manifestOf({ ...base, ...files, 'models/eph.sql': '{{config materialized="ephemeral"}}\nselect 2 as x' });
    const c = new ManifestComparison(previous, current);
    expect(c.compare('model.shop.uses_eph').changes).toEqual([{ part: 'body', detail: "it inlines ephemeral model 'eph', which is modified" }]);
  });

  it('a contract change is seen on enforced models', async () => {
    const yml = (type: string) => `version: 2\nmodels:\n  - name: items\n    config:\n      contract: {enforced: true}\n    columns:\n      - name: item_id\n        data_type: ${type}\n`;
    const previous = await manifestOf({ ...base, 'models/items.yml': yml('integer') });
    const current = await manifestOf({ ...base, 'models/items.yml': yml('bigint') });
    const changes = new ManifestComparison(previous, current).compare('model.shop.items').changes;
    expect(changes).toEqual([{ part: 'contract', detail: 'contracted column item_id changed' }]);
  });

  it('says when the state cannot tell var changes', async () => {
    const previous = await manifestOf(base);
    delete previous.metadata.var_checksums;
    const c = new ManifestComparison(previous, await manifestOf(base, { start_date: '2030-01-01' }));
    expect(c.compare('model.shop.recent').status).toBe('unmodified');
    expect(c.notes[0]).toMatch(/no var values/);
  });
});
