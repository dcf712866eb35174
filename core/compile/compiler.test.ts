import { describe, expect, it } from 'vitest';
import { tempFolder } from '../__fixtures__/temp-folder.js';
import { loadProject } from '../project/load-project.js';
import { readProjectFile } from '../project/project-file.js';
import { Compiler } from './compiler.js';

async function project(files: Record<string, string>) {
  const root = tempFolder('compiler', { 'project.yml': 'name: shop\n', ...files });
  const quote = (s: string) => `"${s}"`;
  return loadProject({
    project: readProjectFile(root),
    naming: { adapterType: 'duckdb', sql: { relation: (r) => [r.database, r.schema, r.identifier].filter(Boolean).map((p) => quote(p!)).join('.') }, defaultDatabase: 'db', defaultSchema: 'main' },
  });
}

const options = { target: { name: 'dev', type: 'duckdb', schema: 'main', database: 'db' }, invocationId: 'x', runStartedAt: new Date(0) };

describe('Compiler', () => {
  it('renders refs, sources and vars', async () => {
    const p = await project({
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select * from {{ref \"a\"}} join {{source \"shop\" \"orders\"}} using (id) where d > '{{var \"d\" \"2024\"}}'",
      'models/s.yml': 'version: 2\nsources:\n  - name: shop\n    tables:\n      - name: orders\n',
    });
    expect(new Compiler(p, options).compile(p.nodes.get('model.shop.b')!).sql).toBe(`select * from "db"."main"."a" join "db"."shop"."orders" using (id) where d > '2024'`);
  });

  it('a ref resolves to the model even when a test has the same name', async () => {
    const p = await project({
      'models/a.sql': 'select 1 as id',
      'models/not_null_a_id.sql': 'select * from {{ref "a"}}',
      'models/b.sql': 'select * from {{ref "not_null_a_id"}} join {{ref "a"}} using (id)',
      'models/a.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
    });
    expect([...p.nodes.values()].filter((n) => n.name === 'not_null_a_id').map((n) => n.resource_type).sort()).toEqual(['model', 'test']);
    expect(new Compiler(p, options).compile(p.nodes.get('model.shop.b')!).sql).toBe('select * from "db"."main"."not_null_a_id" join "db"."main"."a" using (id)');
  });

  it('overrides replace refs, sources, vars and is_incremental (for unit tests)', async () => {
    const p = await project({
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "{{config materialized=\"incremental\"}}\nselect * from {{ref \"a\"}}, {{source \"shop\" \"orders\"}} where d > '{{var \"d\"}}'{{#if (is_incremental)}} and incr{{/if}}",
      'models/s.yml': 'version: 2\nsources:\n  - name: shop\n    tables:\n      - name: orders\n',
    });
    const compiler = new Compiler(p, { ...options, overrides: { ref: { a: '__input_a' }, source: { 'shop.orders': '__input_orders' }, vars: { d: '2030' }, isIncremental: true } });
    expect(compiler.compile(p.nodes.get('model.shop.b')!).sql).toBe("select * from __input_a, __input_orders where d > '2030' and incr");
  });

  it('a partial argument named like the source or ref helper is one clear error naming the line', async () => {
    const p = await project({
      'macros/channel.sql': 'coalesce({{mapping}}.channel_group, {{source}})',
      'models/a.sql': 'select 1 as id',
      'models/b.sql': 'select\n  {{> channel mapping="cm" source="s.utm_source"}} as channel\nfrom {{ref "a"}}',
      'macros/upstream.sql': 'select * from {{ref}}',
      'models/c.sql': '{{> upstream ref="a"}}',
    });
    const compiler = new Compiler(p, options);
    expect(() => compiler.compile(p.nodes.get('model.shop.b')!)).toThrow(/source needs literal names, as in \{\{source "shop_mysql" "orders"\}\}/);
    try {
      compiler.compile(p.nodes.get('model.shop.b')!);
    } catch (error) {
      expect((error as { hint?: string }).hint).toContain("a partial argument or variable called 'source'");
    }
    expect(() => compiler.compile(p.nodes.get('model.shop.c')!)).toThrow(/ref needs literal names/);
  });
});
