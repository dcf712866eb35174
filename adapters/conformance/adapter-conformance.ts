import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter, ColumnDef, ConstraintDialect, ConstraintType, InferredType, RelationRef } from '../../core/adapter/adapter.js';

/**
 * The tests every adapter must pass. `makeAdapter` returns a new adapter that is not yet
 * open; the kit opens it, works in a schema of its own (dropped at the end) and closes it.
 */
export function describeAdapterConformance(name: string, makeAdapter: () => Promise<Adapter> | Adapter): void {
  describe(`adapter conformance: ${name}`, () => {
    let adapter: Adapter;
    const schema = `strata_conformance_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const rel = (identifier: string): RelationRef => ({ database: adapter.defaultDatabase, schema, identifier });
    /** Rows with every value as text (or null), so warehouses that return numbers differently compare alike. */
    const rows = async (select: string) => (await adapter.execute(select)).rows.map((row) => row.map((v) => (v === null ? null : String(v))));
    const from = (identifier: string) => adapter.sql.relation(rel(identifier));
    const type = (kind: InferredType) => adapter.sql.typeFor(kind);
    const names = async (identifier: string) => (await adapter.getColumns(rel(identifier))).map((c) => c.name.toLowerCase());
    const relations = async () => (await adapter.listRelations(adapter.defaultDatabase, schema)).map((r) => `${r.identifier.toLowerCase()}:${r.type}`).sort();

    beforeAll(async () => {
      adapter = await makeAdapter();
      await adapter.open();
      await adapter.createSchema(adapter.defaultDatabase, schema);
    });

    afterAll(async () => {
      if (!adapter) return;
      const database = adapter.defaultDatabase ? `${adapter.sql.quote(adapter.defaultDatabase)}.` : '';
      await adapter.execute(`drop schema if exists ${database}${adapter.sql.quote(schema)} cascade`).catch(() => undefined);
      await adapter.close();
    });

    it('execute returns column names, types and rows', async () => {
      const result = await adapter.execute(`select 1 as one, 'a' as letter`);
      expect(result.columns.map((c) => c.name.toLowerCase())).toEqual(['one', 'letter']);
      for (const column of result.columns) expect(column.dataType).toMatch(/\S/);
      expect(result.rows.map((row) => row.map(String))).toEqual([['1', 'a']]);
    });

    it('execute runs several statements and returns the last result', async () => {
      const result = await adapter.execute(`select 1 as first; select 2 as second`);
      expect(result.columns.map((c) => c.name.toLowerCase())).toEqual(['second']);
      expect(result.rows.map((row) => row.map(String))).toEqual([['2']]);
    });

    it('createSchema is idempotent and a new schema has no relations', async () => {
      await adapter.createSchema(adapter.defaultDatabase, schema);
      await adapter.createSchema(adapter.defaultDatabase, schema);
      expect(await adapter.listRelations(adapter.defaultDatabase, `${schema}_missing`)).toEqual([]);
    });

    it('createTableAs and createViewAs make relations that listRelations and getColumns see', async () => {
      await adapter.execute(adapter.sql.createTableAs(rel('people'), `select 1 as id, 'ann' as name`));
      await adapter.execute(adapter.sql.createViewAs(rel('people_view'), `select id, name from ${from('people')}`));
      const listed = await adapter.listRelations(adapter.defaultDatabase, schema);
      const people = listed.find((r) => r.identifier.toLowerCase() === 'people');
      expect(people).toMatchObject({ schema, type: 'table' });
      expect(listed.find((r) => r.identifier.toLowerCase() === 'people_view')?.type).toBe('view');
      expect(await names('people')).toEqual(['id', 'name']);
      expect(await names('people_view')).toEqual(['id', 'name']);
      expect(await adapter.getColumns(rel('nobody_here'))).toEqual([]);
      expect(await rows(`select name from ${from('people_view')}`)).toEqual([['ann']]);
    });

    it('quotes identifiers with spaces, quotes and capitals', async () => {
      const odd = 'Odd "Name" here';
      await adapter.execute(adapter.sql.createTableAs(rel(odd), `select 7 as ${adapter.sql.quote('Col "x"')}`));
      expect((await adapter.listRelations(adapter.defaultDatabase, schema)).map((r) => r.identifier)).toContain(odd);
      expect((await adapter.getColumns(rel(odd))).map((c) => c.name)).toEqual(['Col "x"']);
      expect(await rows(`select ${adapter.sql.quote('Col "x"')} from ${from(odd)}`)).toEqual([['7']]);
    });

    it('renames a table and a view', async () => {
      await adapter.execute(adapter.sql.createTableAs(rel('rename_me'), `select 1 as id`));
      await adapter.execute(adapter.sql.createViewAs(rel('rename_me_view'), `select 2 as id`));
      await adapter.execute(adapter.sql.rename(rel('rename_me'), 'table', 'renamed'));
      await adapter.execute(adapter.sql.rename(rel('rename_me_view'), 'view', 'renamed_view'));
      const listed = await relations();
      expect(listed).toEqual(expect.arrayContaining(['renamed:table', 'renamed_view:view']));
      expect(listed).not.toContain('rename_me:table');
      expect(listed).not.toContain('rename_me_view:view');
    });

    it('drop if exists accepts a missing relation', async () => {
      await adapter.execute(adapter.sql.drop(rel('never_created'), 'table'));
      await adapter.execute(adapter.sql.drop(rel('never_created'), 'view'));
      await adapter.execute(adapter.sql.createTableAs(rel('drop_me'), `select 1 as id`));
      await adapter.execute(adapter.sql.drop(rel('drop_me'), 'table'));
      expect(await relations()).not.toContain('drop_me:table');
    });

    it('a transaction rolls back every statement when one fails', async () => {
      const attempt = adapter.transaction([
        adapter.sql.createTableAs(rel('half_done'), `select 1 as id`),
        `select * from ${from('no_such_relation_anywhere')}`,
      ]);
      await expect(attempt).rejects.toThrow();
      expect(await relations()).not.toContain('half_done:table');
      // The connection is usable afterwards.
      expect(await rows(`select 1`)).toEqual([['1']]);
    });

    it('a swap (drop old, rename new, in one transaction) leaves the new contents', async () => {
      await adapter.execute(adapter.sql.createTableAs(rel('swapped'), `select 'old' as version`));
      await adapter.execute(adapter.sql.createTableAs(rel('swapped__tmp'), `select 'new' as version`));
      await adapter.transaction([adapter.sql.drop(rel('swapped'), 'table'), adapter.sql.rename(rel('swapped__tmp'), 'table', 'swapped')]);
      expect(await rows(`select version from ${from('swapped')}`)).toEqual([['new']]);
      expect(await relations()).not.toContain('swapped__tmp:table');
    });

    it('insertFrom appends the named columns', async () => {
      await adapter.execute(adapter.sql.createTableAs(rel('append_target'), `select 1 as id, 'one' as name, 'x' as extra`));
      await adapter.execute(adapter.sql.createTableAs(rel('append_source'), `select 'two' as name, 2 as id`));
      await adapter.execute(adapter.sql.insertFrom(rel('append_target'), rel('append_source'), ['id', 'name']));
      expect(await rows(`select id, name, extra from ${from('append_target')} order by id`)).toEqual([
        ['1', 'one', 'x'],
        ['2', 'two', null],
      ]);
    });

    for (const strategy of ['deleteInsert', 'merge'] as const) {
      it(`${strategy} with a one-column key replaces matching rows and adds new ones`, async () => {
        const target = `${strategy}_one_target`;
        const source = `${strategy}_one_source`;
        await adapter.execute(adapter.sql.createTableAs(rel(target), literalRows(['id', 'label'], [[1, 'old 1'], [2, 'old 2']])));
        await adapter.execute(adapter.sql.createTableAs(rel(source), literalRows(['id', 'label'], [[2, 'new 2'], [3, 'new 3']])));
        await adapter.transaction(adapter.sql[strategy](rel(target), rel(source), ['id'], ['id', 'label']));
        expect(await rows(`select id, label from ${from(target)} order by id`)).toEqual([
          ['1', 'old 1'],
          ['2', 'new 2'],
          ['3', 'new 3'],
        ]);
      });

      it(`${strategy} with a two-column key keeps the newest row per key and no duplicates`, async () => {
        const target = `${strategy}_two_target`;
        const source = `${strategy}_two_source`;
        await adapter.execute(adapter.sql.createTableAs(rel(target), literalRows(['k1', 'k2', 'label'], [[1, 'a', 'old 1a'], [1, 'b', 'old 1b'], [2, 'a', 'old 2a']])));
        await adapter.execute(adapter.sql.createTableAs(rel(source), literalRows(['k1', 'k2', 'label'], [[1, 'b', 'new 1b'], [2, 'b', 'new 2b']])));
        await adapter.transaction(adapter.sql[strategy](rel(target), rel(source), ['k1', 'k2'], ['k1', 'k2', 'label']));
        expect(await rows(`select k1, k2, label from ${from(target)} order by k1, k2`)).toEqual([
          ['1', 'a', 'old 1a'],
          ['1', 'b', 'new 1b'],
          ['2', 'a', 'old 2a'],
          ['2', 'b', 'new 2b'],
        ]);
      });

      it(`${strategy} works when every column is part of the key`, async () => {
        const target = `${strategy}_all_key_target`;
        const source = `${strategy}_all_key_source`;
        await adapter.execute(adapter.sql.createTableAs(rel(target), literalRows(['id'], [[1], [2]])));
        await adapter.execute(adapter.sql.createTableAs(rel(source), literalRows(['id'], [[2], [3]])));
        await adapter.transaction(adapter.sql[strategy](rel(target), rel(source), ['id'], ['id']));
        expect(await rows(`select id from ${from(target)} order by id`)).toEqual([['1'], ['2'], ['3']]);
      });
    }

    it('adds, drops and retypes columns', async () => {
      const table = rel('evolving');
      await adapter.execute(adapter.sql.createTable(table, [{ name: 'id', dataType: type('integer') }, { name: 'gone', dataType: type('text') }]));
      await adapter.execute(`insert into ${from('evolving')} (id, gone) values (1, 'x')`);
      await adapter.execute(adapter.sql.addColumn(table, { name: 'added', dataType: type('text') }));
      await adapter.execute(adapter.sql.dropColumn(table, 'gone'));
      await adapter.execute(adapter.sql.alterColumnType(table, { name: 'id', dataType: type('bigint') }));
      const columns = await adapter.getColumns(table);
      expect(columns.map((c) => c.name.toLowerCase())).toEqual(['id', 'added']);
      expect(adapter.sql.sameType(columns[0].dataType, type('bigint'))).toBe(true);
      expect(adapter.sql.sameType(columns[0].dataType, type('integer'))).toBe(false);
      expect(await rows(`select id, added from ${from('evolving')}`)).toEqual([['1', null]]);
    });

    it('getColumns reports each seed type so that sameType recognises it', async () => {
      const kinds: InferredType[] = ['boolean', 'integer', 'bigint', 'double', 'date', 'timestamp', 'text'];
      await adapter.execute(adapter.sql.createTable(rel('all_kinds'), kinds.map((k) => ({ name: `c_${k}`, dataType: type(k) }))));
      const columns = await adapter.getColumns(rel('all_kinds'));
      expect(columns.map((c) => c.name.toLowerCase())).toEqual(kinds.map((k) => `c_${k}`));
      columns.forEach((column, i) => expect(adapter.sql.sameType(column.dataType, type(kinds[i])), `${kinds[i]}: ${column.dataType}`).toBe(true));
    });

    describe('insertRows', () => {
      const columns: ColumnDef[] = [
        { name: 'i', dataType: '' },
        { name: 'd', dataType: '' },
        { name: 'ts', dataType: '' },
        { name: 'b', dataType: '' },
        { name: 't', dataType: '' },
        { name: 'big', dataType: '' },
        { name: 'x', dataType: '' },
      ];
      const kinds: InferredType[] = ['integer', 'date', 'timestamp', 'boolean', 'text', 'bigint', 'double'];
      const typed = () => columns.map((c, i) => ({ ...c, dataType: type(kinds[i]) }));

      it('casts text values into typed columns and keeps nulls', async () => {
        await adapter.execute(adapter.sql.createTable(rel('seeded'), typed()));
        const inserted = await adapter.insertRows(rel('seeded'), typed(), [
          ['42', '2024-01-05', '2024-01-05 10:30:00', 'true', "it's", '9007199254740993', '1.5'],
          ['-7', '1999-12-31', '1999-12-31T23:59:59', 'FALSE', '', '-1', '-2e3'],
          [null, null, null, null, null, null, null],
        ]);
        expect(inserted).toBe(3);
        const match = `i = 42 and d = cast('2024-01-05' as ${type('date')}) and ts = cast('2024-01-05 10:30:00' as ${type('timestamp')})
          and b = true and t = 'it''s' and big = cast('9007199254740993' as ${type('bigint')}) and x = 1.5`;
        expect(await rows(`select count(*) from ${from('seeded')} where ${match}`)).toEqual([['1']]);
        const second = `i = -7 and d = cast('1999-12-31' as ${type('date')}) and ts = cast('1999-12-31 23:59:59' as ${type('timestamp')}) and b = false and x = -2000`;
        expect(await rows(`select count(*) from ${from('seeded')} where ${second}`)).toEqual([['1']]);
        const nulls = columns.map((c) => `${adapter.sql.quote(c.name)} is null`).join(' and ');
        expect(await rows(`select count(*) from ${from('seeded')} where ${nulls}`)).toEqual([['1']]);
      });

      it('inserts a subset of the columns in another order', async () => {
        await adapter.execute(adapter.sql.createTable(rel('seeded_subset'), typed()));
        const subset = [typed()[4], typed()[0]];
        expect(await adapter.insertRows(rel('seeded_subset'), subset, [['a', '1'], ['b', null]])).toBe(2);
        expect(await rows(`select t, i, d from ${from('seeded_subset')} order by t`)).toEqual([
          ['a', '1', null],
          ['b', null, null],
        ]);
      });

      it('inserts many rows and none at all', async () => {
        const table = rel('seeded_many');
        const cols = [{ name: 'n', dataType: type('integer') }, { name: 'label', dataType: type('text') }];
        await adapter.execute(adapter.sql.createTable(table, cols));
        expect(await adapter.insertRows(table, cols, [])).toBe(0);
        const many = Array.from({ length: 2500 }, (_, i) => [String(i), `row ${i}`]);
        expect(await adapter.insertRows(table, cols, many)).toBe(2500);
        expect(await rows(`select count(*), sum(n) from ${from('seeded_many')}`)).toEqual([['2500', String((2499 * 2500) / 2)]]);
      });

      it('rejects a value that its column cannot hold', async () => {
        const table = rel('seeded_bad');
        const cols = [{ name: 'n', dataType: type('integer') }];
        await adapter.execute(adapter.sql.createTable(table, cols));
        await expect(adapter.insertRows(table, cols, [['1'], ['not a number']])).rejects.toThrow();
      });
    });

    describe('constraints (dialects that can apply them)', () => {
      /** The dialect when it can create constrained tables; otherwise the test is skipped. */
      const constraining = (skip: () => never): ConstraintDialect => {
        const sql = adapter.sql;
        return sql.canApplyConstraints?.() ? sql : skip();
      };
      const keyed = () => [
        { name: 'id', dataType: type('integer'), constraints: [{ type: 'not_null' as const }, { type: 'primary_key' as const }] },
        { name: 'label', dataType: type('text'), constraints: [] },
      ];

      // The rows that break each constraint; built in the test, once the adapter knows its types.
      const violations: { type: ConstraintType; bad: () => string }[] = [
        { type: 'not_null', bad: () => `select cast(null as ${type('integer')}) as id` },
        { type: 'unique', bad: () => `select 2 as id union all select 2 as id` },
        { type: 'primary_key', bad: () => `select 1 as id` },
        { type: 'check', bad: () => `select -1 as id` },
      ];
      for (const { type: kind, bad } of violations) {
        it(`a table made with an enforced ${kind} constraint rejects rows that break it and keeps its rows`, async (ctx) => {
          const sql = constraining(() => ctx.skip());
          if (sql.constraintSupport(kind) !== 'enforced') ctx.skip();
          const table = rel(`constrained_${kind}`);
          const constraint = kind === 'check' ? { type: kind, expression: `${sql.quote('id')} > 0` } : { type: kind };
          await adapter.execute(sql.createTableWithConstraints(table, [{ name: 'id', dataType: type('integer'), constraints: [constraint] }], []));
          await adapter.execute(sql.insertSelect(table, ['id'], `select 1 as id`));
          await expect(adapter.transaction([sql.insertSelect(table, ['id'], bad())])).rejects.toThrow();
          expect(await rows(`select id from ${from(`constrained_${kind}`)}`)).toEqual([['1']]);
        });
      }

      it('a table-level primary key over two columns rejects a duplicate pair', async (ctx) => {
        const sql = constraining(() => ctx.skip());
        if (sql.constraintSupport('primary_key') !== 'enforced') ctx.skip();
        const table = rel('constrained_pair');
        const columns = ['k1', 'k2'].map((name) => ({ name, dataType: type('integer'), constraints: [] }));
        await adapter.execute(sql.createTableWithConstraints(table, columns, [{ type: 'primary_key', columns: ['k1', 'k2'] }]));
        await adapter.execute(sql.insertSelect(table, ['k1', 'k2'], `select 1 as k1, 1 as k2 union all select 1 as k1, 2 as k2`));
        await expect(adapter.execute(sql.insertSelect(table, ['k1', 'k2'], `select 1 as k1, 2 as k2`))).rejects.toThrow();
        expect(await rows(`select count(*) from ${from('constrained_pair')}`)).toEqual([['2']]);
      });

      it('insertSelect fills the declared columns in order from differently ordered select columns', async (ctx) => {
        const sql = constraining(() => ctx.skip());
        const table = rel('constrained_order');
        await adapter.execute(sql.createTableWithConstraints(table, keyed(), []));
        await adapter.execute(sql.insertSelect(table, ['id', 'label'], `select 'one' as label, 1 as id`));
        expect(await names('constrained_order')).toEqual(['id', 'label']);
        expect(await rows(`select id, label from ${from('constrained_order')}`)).toEqual([['1', 'one']]);
      });

      it('a table with a primary key can be swapped in (drop old, rename new) and merged into', async (ctx) => {
        const sql = constraining(() => ctx.skip());
        await adapter.execute(sql.createTableWithConstraints(rel('keyed'), keyed(), []));
        await adapter.execute(sql.insertSelect(rel('keyed'), ['id', 'label'], `select 1 as id, 'old' as label`));
        await adapter.execute(sql.createTableWithConstraints(rel('keyed__tmp'), keyed(), []));
        await adapter.execute(sql.insertSelect(rel('keyed__tmp'), ['id', 'label'], `select 1 as id, 'new' as label`));
        await adapter.transaction([sql.drop(rel('keyed'), 'table'), sql.rename(rel('keyed__tmp'), 'table', 'keyed')]);
        expect(await rows(`select id, label from ${from('keyed')}`)).toEqual([['1', 'new']]);

        await adapter.execute(sql.createTableAs(rel('keyed_batch'), `select 1 as id, 'newer' as label union all select 2 as id, 'two' as label`));
        await adapter.transaction(sql.merge(rel('keyed'), rel('keyed_batch'), ['id'], ['id', 'label']));
        await adapter.transaction(sql.deleteInsert(rel('keyed'), rel('keyed_batch'), ['id'], ['id', 'label']));
        expect(await rows(`select id, label from ${from('keyed')} order by id`)).toEqual([
          ['1', 'newer'],
          ['2', 'two'],
        ]);
      });
    });

    it('limit wraps a select, even one ending in a semicolon or a comment', async () => {
      await adapter.execute(adapter.sql.createTableAs(rel('numbers'), literalRows(['n'], [[1], [2], [3]])));
      expect(await rows(adapter.sql.limit(`select n from ${from('numbers')} order by n`, 2))).toEqual([['1'], ['2']]);
      expect(await rows(adapter.sql.limit(`select n from ${from('numbers')};`, 0))).toEqual([]);
      expect((await rows(adapter.sql.limit(`select n from ${from('numbers')} -- trailing comment`, 5))).length).toBe(3);
    });
  });
}

/** A select of literal rows that every warehouse accepts (Redshift has no VALUES in FROM). */
function literalRows(columns: string[], values: (string | number)[][]): string {
  const literal = (v: string | number) => (typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`);
  return values.map((row) => `select ${row.map((v, i) => `${literal(v)} as ${columns[i]}`).join(', ')}`).join('\nunion all\n');
}
