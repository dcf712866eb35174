import { afterAll, describe, expect, it } from 'vitest';
import { queryDuckDB, withTempFile } from '../../e2e/duckdb-query.js';
import { DuckDBParquetEncoder } from './duckdb-parquet-encoder.js';

const encoder = new DuckDBParquetEncoder();
afterAll(async () => {
  await encoder.close();
});

function readBack(bytes: Uint8Array, sql: string): Promise<Record<string, unknown>[]> {
  return withTempFile(bytes, (file) => queryDuckDB(sql.replace('$file', `'${file}'`)));
}

describe('DuckDBParquetEncoder', () => {
  const schema = [
    { name: 'id', type: 'BIGINT' },
    { name: 'amount', type: 'DECIMAL(12,2)' },
    { name: 'doc', type: 'VARCHAR' },
  ];

  it('writes exact types', async () => {
    const bytes = await encoder.encode([{ id: 1, amount: '10.10', doc: 'a' }, { id: 2, amount: null, doc: '' }], schema);
    expect(await readBack(bytes, 'select id, amount::varchar as amount, doc from read_parquet($file) order by id')).toEqual([
      { id: '1', amount: '10.10', doc: 'a' },
      { id: '2', amount: null, doc: '' },
    ]);
  });

  it('a row larger than DuckDB default object size (16 MB) still encodes', async () => {
    const big = 'x'.repeat(20 * 1024 * 1024);
    const bytes = await encoder.encode([{ id: 1, amount: '1.00', doc: big }, { id: 2, amount: '2.00', doc: 'small' }], schema);
    expect(await readBack(bytes, 'select id, length(doc)::int as n from read_parquet($file) order by id')).toEqual([
      { id: '1', n: big.length },
      { id: '2', n: 5 },
    ]);
  }, 60_000);
});
