import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryDuckDB, queryProject } from '../duckdb-query.js';
import { projectYml, strata, tempProjects, writeFiles } from '../harness.js';
import S3rver from 's3rver';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { S3LakeStorage } from '../../adapters/lake/s3-lake-storage.js';
import { freePort, startMariaDb, type MariaDbServer } from './mariadb-server.js';

// `strata extract` against a real MariaDB on 127.0.0.1: full and incremental extracts, exact
// types, dispositions, errors that name source and table, and secrets that land nowhere.
let db: MariaDbServer;
const PASSWORD = 'Sup3r-s3cret-pw!';

beforeAll(async () => {
  db = await startMariaDb();
  db.sql(`create user 'strata'@'127.0.0.1' identified by '${PASSWORD}'; grant all on *.* to 'strata'@'127.0.0.1';`);
}, 60_000);
afterAll(async () => {
  await db?.stop();
});

beforeEach(() => {
  process.env.SHOP_MYSQL_PASSWORD = PASSWORD;
  db.sql(`drop database if exists shop; create database shop;`);
  db.sql(
    `create table orders (
       order_id bigint primary key, customer_id int, amount decimal(12,2), status varchar(20),
       updated_at datetime(6), paid_at timestamp(6) null default null, doc json, payload varbinary(16),
       flags bit(5), is_gift bit(1), big bigint unsigned, dur time, born date, tiny tinyint
     );
     insert into orders values
       (1, 10, 10.10, 'placed', '2026-11-01 10:00:00.123456', '2026-11-01 10:00:01.000001', '{"a": [1, 2], "b": "x"}', x'00ff10', b'10101', b'1', 18446744073709551615, '-838:59:59', '2026-11-01', -5),
       (2, 11, 0.30, 'placed', '2026-11-01 11:00:00.000000', null, null, null, null, b'0', 0, '12:30:00', '0000-00-00', 127),
       (3, 10, 99999999.99, 'placed', '2026-11-01 12:00:00.000000', '2026-11-01 12:00:00.5', '[]', x'', b'0', null, 1, '00:00:00', null, null);
     create table order_events (event_id int primary key, order_id bigint, kind varchar(10), at datetime);
     insert into order_events values (1, 1, 'created', '2026-11-01 10:00:00'), (2, 2, 'created', '2026-11-01 11:00:00');
     create table currencies (code char(3), rate double);
     insert into currencies values ('EUR', 1.1), ('GBP', 1.3);`,
    'shop',
  );
});

const sourcesYml = (extra = '', mysql = '') => `sources:
  - name: shop_mysql
    loader:
      type: mysql
      host: 127.0.0.1
      port: ${db.port}
      user: strata
      password: '{{env "SHOP_MYSQL_PASSWORD"}}'
      database: shop
      chunk_size: 2
${mysql}    tables:
      - name: orders
        loader: {primary_key: order_id, cursor_field: updated_at, lookback: 1 hour}
      - name: order_events
        loader: {cursor_field: event_id, disposition: append}
      - name: currencies
${extra}`;

const project = tempProjects();
const projectFor = (yml = sourcesYml()) =>
  project({
    'project.yml': projectYml(),
    'models/sources.yml': yml,
    'models/stg_orders.sql': 'select * from {{source "shop_mysql" "orders"}}',
    'models/stg_events.sql': 'select * from {{source "shop_mysql" "order_events"}}',
    'models/stg_currencies.sql': 'select * from {{source "shop_mysql" "currencies"}}',
  });

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

describe('strata extract from MySQL', () => {
  it('lands every table with exact types; staging models read them; run_results.json in dbt shape', async () => {
    const dir = projectFor();
    const result = await strata(dir, 'extract');
    expect(result.output).toContain('Completed successfully');
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/OK extracted shop_mysql\.orders: 3 rows/);
    const runResults = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8'));
    expect(runResults.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/run-results/v6.json');
    const byId = Object.fromEntries(runResults.results.map((r: { unique_id: string }) => [r.unique_id, r]));
    expect(Object.keys(byId).sort()).toEqual(['source.shop.shop_mysql.currencies', 'source.shop.shop_mysql.order_events', 'source.shop.shop_mysql.orders']);
    expect(byId['source.shop.shop_mysql.orders']).toMatchObject({ status: 'success', adapter_response: { rows_affected: 3 }, thread_id: expect.stringMatching(/^Thread-\d$/) });
    expect(runResults.args.which).toBe('extract');
    const build = await strata(dir, 'build');
    expect(build.code, build.output).toBe(0);
    const rows = await queryProject(
      dir,
      `select order_id, cast(amount as varchar) amount, typeof(amount) amount_type, cast(updated_at as varchar) updated_at, typeof(updated_at) updated_type,
              cast(paid_at as varchar) paid_at, typeof(paid_at) paid_type, cast(doc as varchar) doc, typeof(doc) doc_type, hex(payload) payload, flags, is_gift,
              cast(big as varchar) big, typeof(big) big_type, cast(dur as varchar) dur, cast(born as varchar) born, tiny
       from stg_orders order by order_id`,
    );
    expect(rows[0]).toEqual({
      order_id: '1', amount: '10.10', amount_type: 'DECIMAL(12,2)', updated_at: '2026-11-01 10:00:00.123456', updated_type: 'TIMESTAMP',
      paid_at: '2026-11-01 10:00:01.000001+00', paid_type: 'TIMESTAMP WITH TIME ZONE', doc: '{"a": [1, 2], "b": "x"}', doc_type: 'JSON', payload: '00FF10',
      flags: '21', is_gift: true, big: '18446744073709551615', big_type: 'UBIGINT', dur: '-838:59:59', born: '2026-11-01', tiny: -5,
    });
    // A MySQL zero date has no equivalent anywhere else: it lands as null.
    expect(rows[1]).toMatchObject({ order_id: '2', amount: '0.30', paid_at: null, doc: null, payload: null, is_gift: false, big: '0', born: null, tiny: 127 });
    expect(rows[2]).toMatchObject({ order_id: '3', amount: '99999999.99', payload: '', doc: '[]' });
    expect(await queryProject(dir, 'select code, rate from stg_currencies order by code')).toEqual([{ code: 'EUR', rate: 1.1 }, { code: 'GBP', rate: 1.3 }]);
    // The raw table is a view in the warehouse too (load from lake), under the source's schema.
    expect(await queryProject(dir, 'select count(*)::int n from shop_mysql.orders')).toEqual([{ n: 3 }]);
  });

  it('the text path (row packets straight to the lake as text) lands exactly what the row path lands', async () => {
    db.sql(`insert into orders (order_id, status, doc, payload) values (7, 'tab\\there \\"q\\"', '{"s": "a\\\\tb"}', x'0a0d09'), (8, ' padded ', '"line\\\\nbreak"', x'22'), (9, '', null, null), (10, 'line\\nbreak', null, null);`, 'shop');
    const text = projectFor();
    const rowsPath = projectFor(sourcesYml('', '      text_path: false\n'));
    for (const dir of [text, rowsPath]) {
      const result = await strata(dir, 'extract', '--select', 'source:shop_mysql.orders');
      expect(result.code, result.output).toBe(0);
      expect((await strata(dir, 'build', '--select', 'stg_orders')).code).toBe(0);
    }
    const all = 'select order_id, status, doc::varchar doc, hex(payload) payload, amount::varchar amount, updated_at::varchar u, paid_at::varchar p, flags, is_gift, big::varchar big, dur, born::varchar born, tiny from stg_orders order by order_id';
    const viaText = await queryProject(text, all);
    expect(viaText).toEqual(await queryProject(rowsPath, all));
    expect(viaText.map((r) => r.status)).toEqual(['placed', 'placed', 'placed', 'tab\there "q"', ' padded ', '', 'line\nbreak']);
    expect(viaText.find((r) => r.order_id === '7')).toMatchObject({ doc: '{"s": "a\\tb"}', payload: '0A0D09' });
    expect(viaText.find((r) => r.order_id === '8')).toMatchObject({ doc: '"line\\nbreak"', payload: '22' });
  });

  it('the vector path (row packets parsed into DuckDB vectors) lands the same Parquet files, value for value, as the text path', async () => {
    db.sql(
      `set names utf8mb4;
       create table payments (
         id bigint primary key, n int unsigned, small smallint, amount decimal(12,2), wide decimal(30,6), huge decimal(18,4), ratio double,
         note varchar(300) character set utf8mb4, doc json, paid_at timestamp(6) null default null, local datetime(3), born date, dur time, y year
       );
       insert into payments values
         (1, 4294967295, -32768, -9999999999.99, 123456789012345678901234.123456, 99999999999999.9999, 0.1, 'plain', '{"a": [1, 2]}', '2026-11-01 10:00:01.000001', '2026-11-01 10:00:00.123', '2026-11-01', '-838:59:59', 2026),
         (2, 0, 0, 0.00, 0, 0.0001, -2.2250738585072014e-308, 'tab\there "q"\nline', '"x"', null, '0000-00-00 00:00:00', '0000-00-00', '00:00:00', 0),
         (3, null, null, null, null, null, null, '', null, '1970-01-01 00:00:01', '9999-12-31 23:59:59.999', '1000-01-01', null, null),
         (4, 7, 7, 0.07, -0.000001, -90071992547.4099, 1e300, 'é ü 日本 😀 ${'z'.repeat(250)}', '[]', '2038-01-19 03:14:07.999999', '1969-12-31 23:59:59.999', '2024-02-29', '12:30:00', 1901),
         (5, 5, 5, 5.00, 5, 5, 5, 'a26942c0-ed7a-11f1-bda3-02fc00000001', '{}', '2026-11-01 10:00:00', '2026-11-01 11:00:00', null, null, 2155);`,
      'shop',
    );
    const yml = (mysql: string) => `sources:
  - name: shop_mysql
    loader: {type: mysql, host: 127.0.0.1, port: ${db.port}, user: strata, password: '{{env "SHOP_MYSQL_PASSWORD"}}', database: shop, chunk_size: 2${mysql}}
    tables:
      - name: payments
        loader: {primary_key: id, cursor_field: paid_at}
`;
    const vectors = project({ 'project.yml': projectYml(), 'models/sources.yml': yml('') });
    const text = project({ 'project.yml': projectYml(), 'models/sources.yml': yml(', vector_path: false') });
    const landed = [];
    for (const dir of [vectors, text]) {
      const result = await strata(dir, 'extract');
      expect(result.code, result.output).toBe(0);
      expect(result.output).toMatch(/OK extracted shop_mysql\.payments: 5 rows/);
      const parts = filesUnder(path.join(dir, 'lake/raw/shop_mysql/payments')).filter((f) => f.endsWith('.parquet')).sort();
      const manifest = filesUnder(path.join(dir, 'lake/raw/shop_mysql/payments')).find((f) => f.endsWith('.json'))!;
      const { cursor, state, schema } = JSON.parse(readFileSync(manifest, 'utf8'));
      const list = parts.map((f) => `'${f}'`).join(', ');
      landed.push({
        parts: parts.length,
        cursor,
        state,
        schema,
        parquetSchema: await queryDuckDB(`select name, type, converted_type, scale, precision, logical_type::varchar logical from parquet_schema('${parts[0]}')`),
        rows: await queryDuckDB(`select columns(* exclude (_strata_load_id, _strata_loaded_at))::varchar from read_parquet([${list}], hive_partitioning = false) order by id::bigint`, { setup: ["set TimeZone = 'UTC'"] }),
      });
    }
    expect(landed[0].parts).toBe(3);
    expect(landed[0]).toEqual(landed[1]);
    expect(landed[0].rows[3]).toMatchObject({ id: '4', note: `é ü 日本 😀 ${'z'.repeat(250)}`, huge: '-90071992547.4099', local: '1969-12-31 23:59:59.999', paid_at: '2038-01-19 03:14:07.999999+00' });
    expect(landed[0].rows[1]).toMatchObject({ id: '2', local: null, born: null, paid_at: null, y: '0', note: 'tab\there "q"\nline' });
    expect(landed[0].cursor).toEqual({ field: 'paid_at', min: '1970-01-01 00:00:01.000000+00', max: '2038-01-19 03:14:07.999999+00' });
  });

  it('datetime_time_zone: DATETIME values are wall time in that zone and land as instants, on both paths, incrementally too', async () => {
    const zoned = sourcesYml('', '      datetime_time_zone: Europe/Berlin\n');
    const text = projectFor(zoned);
    const rowsPath = projectFor(zoned.replace('      datetime_time_zone', '      text_path: false\n      datetime_time_zone'));
    for (const dir of [text, rowsPath]) {
      expect((await strata(dir, 'extract', '--select', 'source:shop_mysql.orders')).code).toBe(0);
      expect((await strata(dir, 'build', '--select', 'stg_orders')).code).toBe(0);
      expect(await queryProject(dir, "select order_id, typeof(updated_at) t, strftime(updated_at at time zone 'UTC', '%Y-%m-%d %H:%M:%S.%f') utc from stg_orders where order_id = 1")).toEqual([
        { order_id: '1', t: 'TIMESTAMP WITH TIME ZONE', utc: '2026-11-01 09:00:00.123456' },
      ]);
    }
    // The cursor state carries the zone; the next run strips it to query MySQL: the changed row 2 and,
    // within the 1 hour lookback of the last cursor (row 3 at 12:00), row 3 again; not row 1 (10:00).
    db.sql("update orders set status = 'shipped', updated_at = '2026-11-02 00:00:00' where order_id = 2;", 'shop');
    for (const dir of [text, rowsPath]) {
      const again = await strata(dir, 'extract', '--select', 'source:shop_mysql.orders');
      expect(again.output).toMatch(/OK extracted shop_mysql\.orders: 2 rows/);
      expect((await strata(dir, 'build', '--select', 'stg_orders')).code).toBe(0);
      expect(await queryProject(dir, 'select order_id, status from stg_orders order by order_id')).toEqual([
        { order_id: '1', status: 'placed' },
        { order_id: '2', status: 'shipped' },
        { order_id: '3', status: 'placed' },
      ]);
    }
  });

  it('incremental: merge keeps the newest row per key within the lookback; append adds only new rows; replace reloads', async () => {
    const dir = projectFor();
    expect((await strata(dir, 'extract')).code).toBe(0);
    db.sql(
      `update orders set status = 'shipped', updated_at = '2026-11-01 12:30:00' where order_id = 1;
       -- Committed late with an older cursor value, still inside the 1 hour lookback: picked up.
       insert into orders (order_id, amount, status, updated_at) values (4, 4.00, 'placed', '2026-11-01 11:30:00');
       -- Older than the lookback window: an incremental run does not see it.
       insert into orders (order_id, amount, status, updated_at) values (5, 5.00, 'placed', '2026-10-01 00:00:00');
       insert into order_events values (3, 1, 'shipped', '2026-11-01 12:30:00');
       delete from currencies where code = 'GBP';`,
      'shop',
    );
    const second = await strata(dir, 'extract');
    expect(second.code, second.output).toBe(0);
    expect(second.output).toMatch(/OK extracted shop_mysql\.order_events: 1 rows/);
    expect((await strata(dir, 'build')).code).toBe(0);
    expect(await queryProject(dir, 'select order_id, status from stg_orders order by order_id')).toEqual([
      { order_id: '1', status: 'shipped' },
      { order_id: '2', status: 'placed' },
      { order_id: '3', status: 'placed' },
      { order_id: '4', status: 'placed' },
    ]);
    expect(await queryProject(dir, 'select event_id, kind from stg_events order by event_id')).toEqual([
      { event_id: 1, kind: 'created' },
      { event_id: 2, kind: 'created' },
      { event_id: 3, kind: 'shipped' },
    ]);
    expect(await queryProject(dir, 'select code from stg_currencies')).toEqual([{ code: 'EUR' }]);
    // A replace load removes the loads it supersedes from the lake.
    expect(readdirSync(path.join(dir, 'lake/raw/shop_mysql/currencies'))).toHaveLength(1);
    // --full-refresh reads everything again, the old row 5 too.
    const full = await strata(dir, 'extract', '--full-refresh', '--select', 'source:shop_mysql.orders');
    expect(full.code, full.output).toBe(0);
    expect(full.output).toMatch(/Found 1 table to extract/);
    expect((await strata(dir, 'build')).code).toBe(0);
    expect(await queryProject(dir, 'select count(*)::int n, count(distinct order_id)::int k from stg_orders')).toEqual([{ n: 5, k: 5 }]);
  });

  it('schema evolution: a new column and a widened type are taken; a type change the lake cannot take names table and column', async () => {
    const dir = projectFor();
    expect((await strata(dir, 'extract')).code).toBe(0);
    db.sql(`alter table order_events add column note varchar(20), modify kind varchar(40); alter table order_events modify event_id bigint;
            insert into order_events values (3, 1, 'a-much-longer-kind-name', '2026-11-02 00:00:00', 'hi');`, 'shop');
    const second = await strata(dir, 'extract', '--select', 'source:shop_mysql.order_events');
    expect(second.code, second.output).toBe(0);
    expect((await strata(dir, 'build')).code).toBe(0);
    expect(await queryProject(dir, 'select event_id, note from stg_events order by event_id')).toEqual([
      { event_id: '1', note: null },
      { event_id: '2', note: null },
      { event_id: '3', note: 'hi' },
    ]);
    db.sql(`update order_events set order_id = 1; alter table order_events modify order_id bit(1); insert into order_events values (4, 1, 'x', '2026-11-03 00:00:00', null);`, 'shop');
    const third = await strata(dir, 'extract');
    expect(third.code).toBe(1);
    expect(third.output).toMatch(/source shop_mysql, table order_events: column 'order_id' changed type from BIGINT to BOOLEAN/);
    // The other tables carried on.
    expect(third.output).toMatch(/OK extracted shop_mysql\.orders/);
    // Nothing of the refused load is left in the lake.
    const parts = filesUnder(path.join(dir, 'lake/raw/shop_mysql/order_events')).filter((f) => f.endsWith('.parquet'));
    expect(parts).toHaveLength(2);
  });

  it('bad credentials, an unreachable server and a missing table: one message naming source and table each, the others carry on, exit 1', async () => {
    const closedPort = db.port === 1 ? 2 : 1;
    const dir = projectFor(`${sourcesYml()}      - name: ordrs
  - name: other_mysql
    loader: {type: mysql, host: 127.0.0.1, port: ${closedPort}, user: strata, password: '{{env "SHOP_MYSQL_PASSWORD"}}', database: shop, connect_timeout: 3}
    tables:
      - name: orders
  - name: wrong_pw
    loader: {type: mysql, host: 127.0.0.1, port: ${db.port}, user: strata, password: '{{env "WRONG_MYSQL_PASSWORD"}}', database: shop}
    tables:
      - name: orders
`);
    process.env.WRONG_MYSQL_PASSWORD = 'not-the-password';
    const result = await strata(dir, 'extract', '--threads', '2');
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/source shop_mysql, table ordrs: table shop\.ordrs does not exist in MySQL \(did you mean 'orders'\?\)/);
    expect(result.output).toMatch(/source other_mysql, table orders: cannot connect to MySQL at 127\.0\.0\.1:\d+: connection refused/);
    expect(result.output).toMatch(/source wrong_pw, table orders: MySQL at 127\.0\.0\.1:\d+ refused user 'strata': access denied/);
    expect(result.output).toMatch(/OK extracted shop_mysql\.orders: 3 rows/);
    expect(result.output).toMatch(/OK extracted shop_mysql\.currencies/);
    expect(result.output).not.toMatch(/\n\s+at /);
    const runResults = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8'));
    expect(runResults.results.filter((r: { status: string }) => r.status === 'error')).toHaveLength(3);
  });

  it('secrets never land in the lake, target/ or the log; a password written in the file is refused', async () => {
    const dir = projectFor();
    const result = await strata(dir, 'extract', '--debug');
    expect(result.code).toBe(0);
    const build = await strata(dir, 'build');
    expect(build.code).toBe(0);
    expect(result.output).not.toContain(PASSWORD);
    const files = [...filesUnder(path.join(dir, 'lake')), ...filesUnder(path.join(dir, 'target')).filter((f) => !f.endsWith('.duckdb') && !f.endsWith('.wal'))];
    expect(files.some((f) => f.endsWith('_manifest.json'))).toBe(true);
    expect(files.some((f) => f.endsWith('run_results.json'))).toBe(true);
    for (const file of files) expect(readFileSync(file).includes(PASSWORD), file).toBe(false);
    // The DuckDB file holds the raw views' SQL: no secret there either.
    expect(readFileSync(path.join(dir, 'target/shop.duckdb')).includes(PASSWORD)).toBe(false);

    const literal = projectFor(sourcesYml().replace(`'{{env "SHOP_MYSQL_PASSWORD"}}'`, `'${PASSWORD}'`));
    const refused = await strata(literal, 'extract');
    expect(refused.code).toBe(2);
    expect(refused.output).toMatch(/models\/sources\.yml:8: 'password' of source 'shop_mysql' is written in the file; secrets come only from the environment or the profile/);
    expect(refused.output).toContain(`hint: password: '{{env "SHOP_MYSQL_PASSWORD"}}'`);
    expect(refused.output).not.toContain(PASSWORD);
  });

  it('a mistyped loader key is one error naming file, line and the key it probably meant', async () => {
    const dir = projectFor(sourcesYml().replace('lookback: 1 hour', 'lookbak: 1 hour'));
    const result = await strata(dir, 'extract');
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/models\/sources\.yml:13: unknown key 'lookbak' in the loader of table 'shop_mysql\.orders' \(type mysql\)/);
    expect(result.output).toContain("did you mean 'lookback'?");
    const appendLookback = projectFor(sourcesYml().replace('{cursor_field: event_id, disposition: append}', '{cursor_field: event_id, disposition: append, lookback: 10}'));
    const lookbackResult = await strata(appendLookback, 'extract');
    expect(lookbackResult.code).toBe(2);
    expect(lookbackResult.output).toMatch(/models\/sources\.yml:15: table 'shop_mysql\.order_events': 'lookback' re-reads rows, which an append table would land twice/);
    const badType = projectFor(sourcesYml().replace('type: mysql', 'type: mysqll'));
    const typeResult = await strata(badType, 'extract');
    expect(typeResult.code).toBe(2);
    expect(typeResult.output).toMatch(/models\/sources\.yml:4: source 'shop_mysql' has loader type 'mysqll'.*\n.*did you mean 'mysql'\?/);
  });

  it('an s3:// lake_path in the profile lands the loads in the bucket; the connection password can come from the profile', async () => {
    const s3Dir = mkdtempSync(path.join(os.tmpdir(), 'strata-s3rver-'));
    const s3Port = await freePort();
    const server = new S3rver({ address: '127.0.0.1', port: s3Port, silent: true, directory: s3Dir, configureBuckets: [{ name: 'lake', configs: [] }] });
    await server.run();
    try {
      process.env.LAKE_SECRET_ACCESS_KEY = 'S3RVER';
      process.env.PROFILE_MYSQL_PASSWORD = PASSWORD;
      delete process.env.SHOP_MYSQL_PASSWORD;
      const dir = projectFor(sourcesYml().replace(`      password: '{{env "SHOP_MYSQL_PASSWORD"}}'\n`, ''));
      writeFiles(dir, {
        'profiles.yml': `shop:
  target: prod
  outputs:
    prod:
      type: duckdb
      lake_path: s3://lake/prod
      lake_s3: {endpoint: 'http://127.0.0.1:${s3Port}', region: us-east-1, access_key_id: S3RVER, secret_access_key: '{{env "LAKE_SECRET_ACCESS_KEY"}}'}
      sources:
        shop_mysql: {password: '{{env "PROFILE_MYSQL_PASSWORD"}}'}
`,
      });
      const result = await strata(dir, 'extract');
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain('lake: s3://lake/prod');
      expect(result.output).toMatch(/DuckDB reads s3:\/\/lake\/prod only with its httpfs extension/);
      const s3 = new S3LakeStorage('s3://lake/prod', { endpoint: `http://127.0.0.1:${s3Port}`, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
      const keys = await s3.list('raw/shop_mysql/');
      expect(keys.filter((k) => k.endsWith('_manifest.json'))).toHaveLength(3);
      // chunk_size 2: the text path lands a part per primary-key chunk.
      expect(keys.filter((k) => /orders\/load_id=[^/]+\/part-\d+\.parquet$/.test(k))).toHaveLength(2);
      for (const key of keys) expect(Buffer.from((await s3.get(key))!).includes(PASSWORD), key).toBe(false);
      s3.close();
      expect(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')).not.toContain(PASSWORD);
      expect(existsSync(path.join(dir, 'lake'))).toBe(false);
    } finally {
      await server.close();
      rmSync(s3Dir, { recursive: true, force: true });
    }
  });
});
