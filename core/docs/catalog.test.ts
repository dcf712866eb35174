import { describe, expect, it } from 'vitest';
import type { Adapter, ColumnDef, RelationInfo, RelationRef } from '../adapter/adapter.js';
import { readCatalog } from './catalog.js';

/** An adapter that knows a few relations; getColumns fails for one of them. */
function fakeAdapter(relations: Record<string, { type: 'table' | 'view'; columns: ColumnDef[] } | 'broken'>): Adapter & { columnCalls: number } {
  const fake = {
    columnCalls: 0,
    async listRelations(database: string | null, schema: string): Promise<RelationInfo[]> {
      return Object.entries(relations)
        .filter(([key]) => key.startsWith(`${schema}.`))
        .map(([key, value]) => ({ database: database ?? 'db', schema, identifier: key.split('.')[1].toUpperCase(), type: value === 'broken' ? 'table' : value.type }));
    },
    async getColumns(rel: RelationRef): Promise<ColumnDef[]> {
      fake.columnCalls++;
      const value = relations[`${rel.schema}.${rel.identifier.toLowerCase()}`];
      if (value === 'broken') throw new Error('permission denied');
      return value?.columns ?? [];
    },
  };
  return fake as unknown as Adapter & { columnCalls: number };
}

describe('readCatalog', () => {
  it("records each built relation's columns in order, matching names case-insensitively, and skips unbuilt ones", async () => {
    const adapter = fakeAdapter({
      'main.orders': { type: 'table', columns: [{ name: 'id', dataType: 'INTEGER' }, { name: 'total', dataType: 'DECIMAL(10,2)' }] },
      'raw.events': { type: 'view', columns: [{ name: 'at', dataType: 'TIMESTAMP' }] },
    });
    const catalog = await readCatalog(
      adapter,
      [
        { uniqueId: 'model.shop.orders', isSource: false, database: null, schema: 'main', identifier: 'orders' },
        { uniqueId: 'model.shop.unbuilt', isSource: false, database: null, schema: 'main', identifier: 'unbuilt' },
        { uniqueId: 'source.shop.raw.events', isSource: true, database: null, schema: 'raw', identifier: 'events' },
      ],
      { invocationId: 'x', threads: 2 },
    );
    expect(Object.keys(catalog.nodes)).toEqual(['model.shop.orders']);
    expect(catalog.nodes['model.shop.orders'].metadata).toMatchObject({ type: 'BASE TABLE', name: 'ORDERS', schema: 'main' });
    expect(catalog.nodes['model.shop.orders'].columns).toEqual({
      id: { type: 'INTEGER', index: 1, name: 'id', comment: null },
      total: { type: 'DECIMAL(10,2)', index: 2, name: 'total', comment: null },
    });
    expect(catalog.sources['source.shop.raw.events'].metadata.type).toBe('VIEW');
    expect(adapter.columnCalls).toBe(2);
    expect(catalog.errors).toBeNull();
  });

  it('a relation whose columns cannot be read is an error entry, not a failed catalog', async () => {
    const adapter = fakeAdapter({ 'main.secret': 'broken', 'main.ok': { type: 'table', columns: [{ name: 'a', dataType: 'INTEGER' }] } });
    const catalog = await readCatalog(
      adapter,
      [
        { uniqueId: 'model.shop.secret', isSource: false, database: null, schema: 'main', identifier: 'secret' },
        { uniqueId: 'model.shop.ok', isSource: false, database: null, schema: 'main', identifier: 'ok' },
      ],
      { invocationId: 'x', threads: 1 },
    );
    expect(Object.keys(catalog.nodes)).toEqual(['model.shop.ok']);
    expect(catalog.errors).toEqual(['columns of model.shop.secret: permission denied']);
  });
});

describe('readCatalog with an adapter that lists a schema at once', () => {
  it('asks once per schema instead of once per relation', async () => {
    const base = fakeAdapter({ 'main.a': { type: 'table', columns: [] }, 'main.b': { type: 'view', columns: [] } });
    let schemaCalls = 0;
    const adapter = Object.assign(base, {
      canListSchemaColumns: () => true,
      async listSchemaColumns(_database: string | null, schema: string) {
        schemaCalls++;
        return new Map([
          ['a', [{ name: 'x', dataType: 'INTEGER' }]],
          ['b', [{ name: 'y', dataType: 'VARCHAR' }, { name: 'z', dataType: 'DATE' }]],
        ].map(([k, v]) => [`${k}`, v as ColumnDef[]]).filter(() => schema === 'main'));
      },
    }) as unknown as Adapter & { columnCalls: number };
    const catalog = await readCatalog(
      adapter,
      ['a', 'b'].map((name) => ({ uniqueId: `model.shop.${name}`, isSource: false, database: null, schema: 'main', identifier: name })),
      { invocationId: 'x', threads: 4 },
    );
    expect(schemaCalls).toBe(1);
    expect(base.columnCalls).toBe(0);
    expect(Object.values(catalog.nodes['model.shop.b'].columns).map((c) => [c.name, c.type, c.index])).toEqual([['y', 'VARCHAR', 1], ['z', 'DATE', 2]]);
  });
});
