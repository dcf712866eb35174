import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeWriter } from '../../core/lake/lake-writer.js';
import { LocalLakeStorage } from '../../core/lake/local-lake-storage.js';
import { queryProject } from '../duckdb-query.js';
import { projectYml, strata, tempProjects } from '../harness.js';
import { tempFolder } from '../../core/__fixtures__/temp-folder.js';
import { extractKilledWhen } from './kill-extract.js';
import { startMariaDb, type MariaDbServer } from './mariadb-server.js';

// The exactly-once promise: a `strata extract` process killed with SIGKILL at several points, then
// rerun, lands every row once for merge and replace tables, and neither loses nor duplicates rows
// for append tables. Runs the built binary (npm ci builds it).
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repo, 'dist/cli/bin.js');
const PASSWORD = 'kill-test-pw-1234';
// Two parts per table (a part is a 100,000-row chunk), so a kill can fall between them.
const ROWS = 150_000;
let db: MariaDbServer;

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error('dist/cli/bin.js is missing: run npm run build');
  db = await startMariaDb();
  db.sql(`create user 'strata'@'127.0.0.1' identified by '${PASSWORD}'; grant all on *.* to 'strata'@'127.0.0.1';`);
}, 60_000);
afterAll(async () => {
  await db?.stop();
});

const project = tempProjects();

function setUp(): string {
  db.sql(`drop database if exists shop; create database shop;`);
  db.sql(
    `create table orders (order_id bigint primary key, amount decimal(12,2), status varchar(20), updated_at datetime(6));
     insert into orders select seq, seq / 100, 'placed', '2026-11-01 00:00:00' + interval seq second from seq_1_to_${ROWS};
     create table events (event_id bigint primary key, order_id bigint, kind varchar(20));
     insert into events select seq, seq, 'created' from seq_1_to_${ROWS};
     create table currencies (code varchar(3), rate double);
     insert into currencies values ('EUR', 1.1), ('GBP', 1.3), ('USD', 1.0);`,
    'shop',
  );
  return project({
    'project.yml': projectYml(),
    'models/sources.yml': `sources:
  - name: shop_mysql
    loader: {type: mysql, host: 127.0.0.1, port: ${db.port}, user: strata, password: '{{env "KILL_MYSQL_PASSWORD"}}', database: shop}
    tables:
      - name: orders
        loader: {primary_key: order_id, cursor_field: updated_at}
      - name: events
        loader: {cursor_field: event_id, disposition: append}
      - name: currencies
`,
    'models/stg_orders.sql': 'select * from {{source "shop_mysql" "orders"}}',
    'models/stg_events.sql': 'select * from {{source "shop_mysql" "events"}}',
    'models/stg_currencies.sql': 'select * from {{source "shop_mysql" "currencies"}}',
  });
}

/** Every file under a folder, relative to it. */
function files(dir: string, rel = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => (statSync(path.join(dir, name)).isDirectory() ? files(path.join(dir, name), `${rel}${name}/`) : [`${rel}${name}`]));
}

/** What the lake holds for a table now: part files and manifests. */
function lakeState(dir: string, table: string): { parts: number; manifests: number } {
  const all = files(path.join(dir, 'lake/raw/shop_mysql', table));
  return { parts: all.filter((f) => f.endsWith('.parquet')).length, manifests: all.filter((f) => f.endsWith('_manifest.json')).length };
}

async function expectExactlyOnce(dir: string): Promise<void> {
  process.env.KILL_MYSQL_PASSWORD = PASSWORD;
  const rerun = await strata(dir, 'extract');
  expect(rerun.code, rerun.output).toBe(0);
  expect((await strata(dir, 'build')).code).toBe(0);
  expect(await queryProject(dir, 'select count(*)::int n, count(distinct order_id)::int k, sum(amount)::varchar total from stg_orders')).toEqual([{ n: ROWS, k: ROWS, total: db.sql('select sum(amount) from orders', 'shop').trim() }]);
  expect(await queryProject(dir, 'select count(*)::int n, count(distinct event_id)::int k from stg_events')).toEqual([{ n: ROWS, k: ROWS }]);
  expect(await queryProject(dir, 'select count(*)::int n from stg_currencies')).toEqual([{ n: 3 }]);
  const writer = new LakeWriter(new LocalLakeStorage(path.join(dir, 'lake')));
  for (const table of ['orders', 'events', 'currencies']) expect(await writer.uncommittedParts('shop_mysql', table)).toEqual([]);
}

describe('strata extract killed and rerun', () => {
  it('killed mid-part (rows of the first part in flight, nothing written yet): the rerun lands every row once', async () => {
    const dir = setUp();
    const killed = await extractKilledWhen(dir, { KILL_MYSQL_PASSWORD: PASSWORD }, (out) => out.includes('START extract shop_mysql.orders') && lakeState(dir, 'orders').parts === 0);
    expect(killed).toBe(true);
    expect(lakeState(dir, 'orders').manifests).toBe(0);
    await expectExactlyOnce(dir);
  }, 120_000);

  it('killed after parts were written but before the manifest: the parts stay invisible, the rerun lands every row once', async () => {
    const dir = setUp();
    const killed = await extractKilledWhen(dir, { KILL_MYSQL_PASSWORD: PASSWORD }, () => {
      const s = lakeState(dir, 'orders');
      return s.parts >= 1 && s.manifests === 0;
    });
    expect(killed).toBe(true);
    expect(lakeState(dir, 'orders')).toMatchObject({ manifests: 0 });
    expect(lakeState(dir, 'orders').parts).toBeGreaterThan(0);
    await expectExactlyOnce(dir);
  }, 120_000);

  it("a killed run's scratch folder (Parquet parts in the making) is removed by the next run", async () => {
    const dir = setUp();
    const tmp = tempFolder('kill-scratch');
    const scratch = () => readdirSync(tmp).filter((name) => name.startsWith('strata-'));
    const env = { KILL_MYSQL_PASSWORD: PASSWORD, TMPDIR: tmp };
    expect(await extractKilledWhen(dir, env, () => lakeState(dir, 'orders').parts >= 1 && lakeState(dir, 'orders').manifests === 0)).toBe(true);
    const left = scratch();
    expect(left.some((name) => /^strata-parquet-\d+-/.test(name))).toBe(true);
    // The rerun, to the end: the killed run's folder goes, and its own is removed when it is done.
    expect(await extractKilledWhen(dir, env, () => false)).toBe(false);
    expect(scratch()).toEqual([]);
    await expectExactlyOnce(dir);
  }, 120_000);

  it('killed after a manifest (orders committed, the append table half written): nothing is loaded twice on the rerun', async () => {
    const dir = setUp();
    const killed = await extractKilledWhen(dir, { KILL_MYSQL_PASSWORD: PASSWORD }, () => lakeState(dir, 'orders').manifests === 1 && lakeState(dir, 'events').parts >= 1 && lakeState(dir, 'events').manifests === 0);
    expect(killed).toBe(true);
    await expectExactlyOnce(dir);
    // The rerun resumed orders from its committed cursor: a merge table re-reads only the row at the
    // cursor (>=, merged away by key), not the whole table.
    const writer = new LakeWriter(new LocalLakeStorage(path.join(dir, 'lake')));
    expect((await writer.committedLoads('shop_mysql', 'orders')).map((l) => l.rows)).toEqual([ROWS, 1]);
  }, 120_000);

  it('killed right after the append table committed: the rerun appends nothing again', async () => {
    const dir = setUp();
    const killed = await extractKilledWhen(dir, { KILL_MYSQL_PASSWORD: PASSWORD }, () => lakeState(dir, 'events').manifests === 1);
    expect(killed).toBe(true);
    await expectExactlyOnce(dir);
    const writer = new LakeWriter(new LocalLakeStorage(path.join(dir, 'lake')));
    expect((await writer.committedLoads('shop_mysql', 'events')).map((l) => l.rows)).toEqual([ROWS, 0]);
  }, 120_000);
});
