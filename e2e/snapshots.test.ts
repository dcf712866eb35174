import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { queryProject } from './duckdb-query.js';
import { strata, tempProjects, writeFiles } from './harness.js';

const project = tempProjects();

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** A project whose `customers` seed is the changing source of one snapshot with the given config. */
function snapshotProject(config: string, csv: string, extra: Record<string, string> = {}): string {
  return project({
    'seeds/customers.csv': csv,
    'snapshots/customers_snapshot.sql': `{{config ${config}}}\nselect * from {{ref "customers"}}\n`,
    ...extra,
  });
}

async function snapshot(dir: string, csv: string, command = 'build'): Promise<string> {
  writeFiles(dir, { 'seeds/customers.csv': csv });
  const { code, output } = await strata(dir, command);
  expect(code, output).toBe(0);
  return output;
}

const history = (dir: string, columns = 'id, name, dbt_valid_from, dbt_valid_to') =>
  queryProject(dir, `select ${columns} from customers_snapshot order by id, dbt_valid_from, dbt_valid_to nulls last`);

/** Every closed version ends where the key's next version starts; returns the versions per key. */
async function checkContinuity(dir: string): Promise<void> {
  const gaps = await queryProject(
    dir,
    `select id, dbt_valid_to, lead(dbt_valid_from) over (partition by id order by dbt_valid_from) as next_from
     from customers_snapshot qualify next_from is not null and next_from <> dbt_valid_to`,
  );
  expect(gaps).toEqual([]);
}

const TS = 'unique_key="id" strategy="timestamp" updated_at="updated_at"';

describe('snapshots', () => {
  it("declared in YAML as in dbt 1.9 (relation: ref(...) and a config), they keep history like a snapshot file", async () => {
    const csv = 'id,name,updated_at\n1,a,2024-01-01 00:00:00\n2,b,2024-01-01 00:00:00\n';
    const dir = project({
      'seeds/customers.csv': csv,
      'snapshots/_snapshots.yml': [
        'version: 2',
        'snapshots:',
        '  - name: customers_snapshot',
        '    description: Customers over time.',
        "    relation: ref('customers')",
        '    config: {unique_key: id, strategy: timestamp, updated_at: updated_at}',
      ].join('\n'),
    });
    await snapshot(dir, csv);
    await snapshot(dir, 'id,name,updated_at\n1,a,2024-01-01 00:00:00\n2,B,2024-01-02 00:00:00\n');
    expect(await history(dir, 'id, name, dbt_valid_to')).toEqual([
      { id: 1, name: 'a', dbt_valid_to: null },
      { id: 2, name: 'b', dbt_valid_to: '2024-01-02 00:00:00' },
      { id: 2, name: 'B', dbt_valid_to: null },
    ]);
    const { output } = await strata(dir, 'ls', '-s', 'resource_type:snapshot', '--output', 'json', '--output-keys', 'name,original_file_path,depends_on');
    expect(JSON.parse(output.trim())).toEqual({ name: 'customers_snapshot', original_file_path: 'snapshots/_snapshots.yml', depends_on: { nodes: ['seed.shop.customers'], macros: [] } });
  });

  it("a YAML snapshot's relation that is not ref() or source(), or a relation on a model, is an error naming the line", async () => {
    const dir = project({ 'models/a.sql': 'select 1 as id', 'snapshots/_snapshots.yml': "version: 2\nsnapshots:\n  - name: s\n    relation: \"select * from a\"\n" });
    const bad = await strata(dir, 'parse');
    expect(bad.code).toBe(2);
    expect(bad.output).toContain("snapshots/_snapshots.yml:4: a snapshot's 'relation' is ref('model') or source('source', 'table')");
    writeFiles(dir, { 'snapshots/_snapshots.yml': "version: 2\nmodels:\n  - name: a\n    relation: ref('a')\n" });
    const onModel = await strata(dir, 'parse');
    expect(onModel.code).toBe(2);
    expect(onModel.output).toContain("snapshots/_snapshots.yml:4: 'relation' is a key of snapshots, not of a model");
  });

  it('timestamp strategy keeps the history of each key over three runs', async () => {
    const dir = snapshotProject(TS, 'id,name,updated_at\n1,a,2024-01-01 00:00:00\n2,b,2024-01-01 00:00:00\n');
    const first = await snapshot(dir, 'id,name,updated_at\n1,a,2024-01-01 00:00:00\n2,b,2024-01-01 00:00:00\n');
    expect(first).toMatch(/OK snapshotted main\.customers_snapshot \.+ \[INSERT 2 in/);
    // id 2 changes, id 3 is new, id 1 is unchanged.
    await snapshot(dir, 'id,name,updated_at\n1,a,2024-01-01 00:00:00\n2,B,2024-01-02 00:00:00\n3,c,2024-01-02 00:00:00\n');
    // id 2 changes again; --full-refresh does not rebuild a snapshot.
    writeFiles(dir, { 'seeds/customers.csv': 'id,name,updated_at\n1,a,2024-01-01 00:00:00\n2,BB,2024-01-03 12:00:00\n3,c,2024-01-02 00:00:00\n' });
    const third = await strata(dir, 'build', '--full-refresh');
    expect(third.code, third.output).toBe(0);
    expect(third.output).toContain('[INSERT 1, UPDATE 1 in');
    expect(await history(dir, 'id, name, dbt_updated_at, dbt_valid_from, dbt_valid_to, dbt_scd_id')).toEqual([
      { id: 1, name: 'a', dbt_updated_at: '2024-01-01 00:00:00', dbt_valid_from: '2024-01-01 00:00:00', dbt_valid_to: null, dbt_scd_id: md5('1|2024-01-01 00:00:00') },
      { id: 2, name: 'b', dbt_updated_at: '2024-01-01 00:00:00', dbt_valid_from: '2024-01-01 00:00:00', dbt_valid_to: '2024-01-02 00:00:00', dbt_scd_id: md5('2|2024-01-01 00:00:00') },
      { id: 2, name: 'B', dbt_updated_at: '2024-01-02 00:00:00', dbt_valid_from: '2024-01-02 00:00:00', dbt_valid_to: '2024-01-03 12:00:00', dbt_scd_id: md5('2|2024-01-02 00:00:00') },
      { id: 2, name: 'BB', dbt_updated_at: '2024-01-03 12:00:00', dbt_valid_from: '2024-01-03 12:00:00', dbt_valid_to: null, dbt_scd_id: md5('2|2024-01-03 12:00:00') },
      { id: 3, name: 'c', dbt_updated_at: '2024-01-02 00:00:00', dbt_valid_from: '2024-01-02 00:00:00', dbt_valid_to: null, dbt_scd_id: md5('3|2024-01-02 00:00:00') },
    ]);
    // A run with nothing new changes nothing.
    const again = await snapshot(dir, 'id,name,updated_at\n1,a,2024-01-01 00:00:00\n2,BB,2024-01-03 12:00:00\n3,c,2024-01-02 00:00:00\n', 'snapshot');
    expect(again).toContain('[INSERT 0, UPDATE 0 in');
    expect((await history(dir)).length).toBe(5);
  });

  it('a row whose updated_at did not move is not a new version, even if other columns changed', async () => {
    const dir = snapshotProject(TS, 'id,name,updated_at\n1,a,2024-01-01 00:00:00\n');
    await snapshot(dir, 'id,name,updated_at\n1,a,2024-01-01 00:00:00\n');
    await snapshot(dir, 'id,name,updated_at\n1,changed,2024-01-01 00:00:00\n');
    expect(await history(dir)).toEqual([{ id: 1, name: 'a', dbt_valid_from: '2024-01-01 00:00:00', dbt_valid_to: null }]);
  });

  it('check strategy with named columns versions a key only when those columns change', async () => {
    const dir = snapshotProject('unique_key="id" strategy="check" check_cols="status"', 'id,name,status\n1,a,open\n2,b,open\n');
    await snapshot(dir, 'id,name,status\n1,a,open\n2,b,open\n');
    // id 1: only name changes (not checked); id 2: status changes.
    await snapshot(dir, 'id,name,status\n1,renamed,open\n2,b,closed\n');
    expect(await history(dir, 'id, name, status, dbt_valid_to is null as current')).toEqual([
      { id: 1, name: 'a', status: 'open', current: true },
      { id: 2, name: 'b', status: 'open', current: false },
      { id: 2, name: 'b', status: 'closed', current: true },
    ]);
    await checkContinuity(dir);
    // The check strategy stamps rows with the run's time, and the hash is of key and that time.
    const stamps = await queryProject(dir, `select count(*) filter (where dbt_scd_id = md5(cast(id as varchar) || '|' || cast(dbt_updated_at as varchar))) as hashed, count(distinct dbt_valid_from) as runs, count(*) filter (where dbt_updated_at <> dbt_valid_from) as odd from customers_snapshot`);
    expect(stamps).toEqual([{ hashed: '3', runs: '2', odd: '0' }]);
  });

  it('check strategy with check_cols all compares every column, null-safe', async () => {
    const dir = snapshotProject('unique_key="id" strategy="check" check_cols="all"', 'id,name,status\n1,a,open\n2,b,\n3,c,x\n');
    await snapshot(dir, 'id,name,status\n1,a,open\n2,b,\n3,c,x\n');
    // id 1: name changes; id 2: still null (no change); id 3: x becomes null.
    await snapshot(dir, 'id,name,status\n1,A,open\n2,b,\n3,c,\n');
    expect(await history(dir, 'id, name, status, dbt_valid_to is null as current')).toEqual([
      { id: 1, name: 'a', status: 'open', current: false },
      { id: 1, name: 'A', status: 'open', current: true },
      { id: 2, name: 'b', status: null, current: true },
      { id: 3, name: 'c', status: 'x', current: false },
      { id: 3, name: 'c', status: null, current: true },
    ]);
    await checkContinuity(dir);
  });

  it('a two-column unique key tells versions apart by both columns', async () => {
    const dir = snapshotProject('unique_key="id,line" strategy="timestamp" updated_at="updated_at"', 'id,line,v,updated_at\n1,1,a,2024-01-01 00:00:00\n1,2,b,2024-01-01 00:00:00\n');
    await snapshot(dir, 'id,line,v,updated_at\n1,1,a,2024-01-01 00:00:00\n1,2,b,2024-01-01 00:00:00\n');
    await snapshot(dir, 'id,line,v,updated_at\n1,1,a,2024-01-01 00:00:00\n1,2,B,2024-01-05 00:00:00\n');
    expect(await queryProject(dir, 'select id, line, v, dbt_valid_from, dbt_valid_to, dbt_scd_id from customers_snapshot order by id, line, dbt_valid_from')).toEqual([
      { id: 1, line: 1, v: 'a', dbt_valid_from: '2024-01-01 00:00:00', dbt_valid_to: null, dbt_scd_id: md5('1|1|2024-01-01 00:00:00') },
      { id: 1, line: 2, v: 'b', dbt_valid_from: '2024-01-01 00:00:00', dbt_valid_to: '2024-01-05 00:00:00', dbt_scd_id: md5('1|2|2024-01-01 00:00:00') },
      { id: 1, line: 2, v: 'B', dbt_valid_from: '2024-01-05 00:00:00', dbt_valid_to: null, dbt_scd_id: md5('1|2|2024-01-05 00:00:00') },
    ]);
  });

  it('a select with a duplicated key is refused and the snapshot is left as it was', async () => {
    const dir = snapshotProject(TS, 'id,name,updated_at\n1,a,2024-01-01 00:00:00\n');
    await snapshot(dir, 'id,name,updated_at\n1,a,2024-01-01 00:00:00\n');
    writeFiles(dir, { 'seeds/customers.csv': 'id,name,updated_at\n1,a,2024-01-02 00:00:00\n1,b,2024-01-02 00:00:00\n' });
    const { code, output } = await strata(dir, 'build');
    expect(code).toBe(1);
    expect(output).toContain('unique_key (id) is not unique in its select: 1 key appear');
    expect(await history(dir)).toEqual([{ id: 1, name: 'a', dbt_valid_from: '2024-01-01 00:00:00', dbt_valid_to: null }]);
  });

  describe('hard deletes', () => {
    const csv1 = 'id,name,updated_at\n1,a,2024-01-01 00:00:00\n2,b,2024-01-01 00:00:00\n';
    const csv2 = 'id,name,updated_at\n1,a,2024-01-01 00:00:00\n';
    const csv3 = 'id,name,updated_at\n1,a,2024-01-01 00:00:00\n2,b,2024-01-01 00:00:00\n';

    it('ignore (the default) keeps a deleted key current, and its return changes nothing', async () => {
      const dir = snapshotProject(TS, csv1);
      await snapshot(dir, csv1);
      await snapshot(dir, csv2);
      expect(await history(dir)).toEqual([
        { id: 1, name: 'a', dbt_valid_from: '2024-01-01 00:00:00', dbt_valid_to: null },
        { id: 2, name: 'b', dbt_valid_from: '2024-01-01 00:00:00', dbt_valid_to: null },
      ]);
      await snapshot(dir, csv3);
      expect((await history(dir)).length).toBe(2);
    });

    it('invalidate closes a deleted key, and a key that comes back gets a new current row', async () => {
      const dir = snapshotProject(`${TS} hard_deletes="invalidate"`, csv1);
      await snapshot(dir, csv1);
      await snapshot(dir, csv2);
      const closed = await history(dir, 'id, name, dbt_valid_from, dbt_valid_to is null as current, dbt_valid_to > timestamp \'2025-01-01\' as closed_at_run_time');
      expect(closed).toEqual([
        { id: 1, name: 'a', dbt_valid_from: '2024-01-01 00:00:00', current: true, closed_at_run_time: null },
        { id: 2, name: 'b', dbt_valid_from: '2024-01-01 00:00:00', current: false, closed_at_run_time: true },
      ]);
      await snapshot(dir, 'id,name,updated_at\n1,a,2024-01-01 00:00:00\n2,back,2024-06-01 00:00:00\n');
      expect(await history(dir, 'id, name, dbt_valid_from, dbt_valid_to is null as current')).toEqual([
        { id: 1, name: 'a', dbt_valid_from: '2024-01-01 00:00:00', current: true },
        { id: 2, name: 'b', dbt_valid_from: '2024-01-01 00:00:00', current: false },
        { id: 2, name: 'back', dbt_valid_from: '2024-06-01 00:00:00', current: true },
      ]);
      // Deleting again closes only the current row.
      await snapshot(dir, csv2);
      expect(await queryProject(dir, 'select count(*) as open from customers_snapshot where id = 2 and dbt_valid_to is null')).toEqual([{ open: '0' }]);
    });

    it('new_record closes a deleted key and records the deletion once; a key back gets a new current row', async () => {
      const dir = snapshotProject(`${TS} hard_deletes="new_record"`, csv1);
      await snapshot(dir, csv1);
      await snapshot(dir, csv2);
      // A second run without the key does not record the deletion again.
      await snapshot(dir, csv2, 'snapshot');
      const columns = 'id, name, dbt_is_deleted, dbt_valid_to is null as current';
      expect(await history(dir, columns)).toEqual([
        { id: 1, name: 'a', dbt_is_deleted: 'False', current: true },
        { id: 2, name: 'b', dbt_is_deleted: 'False', current: false },
        { id: 2, name: 'b', dbt_is_deleted: 'True', current: true },
      ]);
      await checkContinuity(dir);
      await snapshot(dir, csv3);
      expect(await history(dir, columns)).toEqual([
        { id: 1, name: 'a', dbt_is_deleted: 'False', current: true },
        { id: 2, name: 'b', dbt_is_deleted: 'False', current: false },
        { id: 2, name: 'b', dbt_is_deleted: 'True', current: false },
        { id: 2, name: 'b', dbt_is_deleted: 'False', current: true },
      ]);
      await checkContinuity(dir);
    });
  });

  it('models ref snapshots, build runs them in DAG order, and selection knows resource_type:snapshot', async () => {
    const csv = 'id,name,updated_at\n1,a,2024-01-01 00:00:00\n';
    const dir = snapshotProject(TS, csv, { 'models/current_customers.sql': 'select id, name from {{ref "customers_snapshot"}} where dbt_valid_to is null' });
    const { code, output } = await strata(dir, 'build');
    expect(code, output).toBe(0);
    const order = ['seed file main.customers', 'OK snapshotted main.customers_snapshot', 'model main.current_customers'].map((s) => output.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(await queryProject(dir, 'select * from current_customers')).toEqual([{ id: 1, name: 'a' }]);
    const ls = await strata(dir, 'ls', '--select', 'resource_type:snapshot');
    expect(ls.output.trim()).toBe('shop.customers_snapshot');
    const only = await strata(dir, 'snapshot', '--select', 'customers_snapshot');
    expect(only.output).toContain('Found 1 snapshot');
  });

  it('configs come from YAML entries and project.yml folders, and target_schema places the table as written', async () => {
    const dir = project({
      'project.yml': 'name: shop\nversion: "1.0"\nsnapshots:\n  shop:\n    +strategy: timestamp\n    +target_schema: history\n',
      'seeds/customers.csv': 'id,name,updated_at\n1,a,2024-01-01 00:00:00\n',
      'snapshots/customers_snapshot.sql': 'select * from {{ref "customers"}}\n',
      'snapshots/snapshots.yml': 'snapshots:\n  - name: customers_snapshot\n    config:\n      unique_key: id\n      updated_at: updated_at\n',
    });
    const { code, output } = await strata(dir, 'build');
    expect(code, output).toBe(0);
    expect(output).toContain('OK snapshotted history.customers_snapshot');
    expect(await queryProject(dir, 'select id, dbt_valid_from from history.customers_snapshot')).toEqual([{ id: 1, dbt_valid_from: '2024-01-01 00:00:00' }]);
  });

  describe('config errors name the file and line', () => {
    const cases: [string, string, string][] = [
      ['strategy="timestamp" updated_at="updated_at"', "snapshots/s.sql:2: snapshot 's': needs a unique_key", 'unique_key="id"'],
      ['unique_key="id" strategy="timestamp"', "snapshots/s.sql:2: snapshot 's': the timestamp strategy needs updated_at", 'updated_at="updated_at"'],
      ['unique_key="id" strategy="check"', "snapshots/s.sql:2: snapshot 's': the check strategy needs check_cols", 'check_cols="all"'],
      ['unique_key="id" strategy="timestamps" updated_at="u"', 'snapshots/s.sql:2: snapshot \'s\': unknown strategy "timestamps"', "did you mean 'timestamp'?"],
      ['unique_key="id" strategy="check" check_cols="all" hard_deletes="new_records"', 'snapshots/s.sql:2: snapshot \'s\': hard_deletes cannot be "new_records"', "did you mean 'new_record'?"],
      ['unique_key="id" stratgy="check"', "snapshots/s.sql:2: unknown config key 'stratgy' for a snapshot", "did you mean 'strategy'?"],
    ];
    for (const [config, message, hint] of cases) {
      it(`${config} → ${message.split(': ').slice(1).join(': ')}`, async () => {
        const dir = project({ 'snapshots/s.sql': `-- a snapshot\n{{config ${config}}}\nselect 1 as id\n` });
        const { code, output } = await strata(dir, 'parse');
        expect(code).toBe(2);
        expect(output).toContain(message);
        expect(output).toContain(hint);
      });
    }

    it('a wrong value in a YAML entry names the YAML file and line', async () => {
      const dir = project({
        'snapshots/s.sql': 'select 1 as id\n',
        'snapshots/s.yml': 'snapshots:\n  - name: s\n    config:\n      unique_key: id\n      strategy: chek\n',
      });
      const { code, output } = await strata(dir, 'parse');
      expect(code).toBe(2);
      expect(output).toContain(`snapshots/s.yml:5: snapshot 's': unknown strategy "chek"`);
      expect(output).toContain("did you mean 'check'?");
    });

    it('a column the select does not return is named with a did-you-mean', async () => {
      const dir = snapshotProject('unique_key="id" strategy="timestamp" updated_at="updatedat"', 'id,name,updated_at\n1,a,2024-01-01 00:00:00\n');
      const { code, output } = await strata(dir, 'build');
      expect(code).toBe(1);
      expect(output).toContain("updated_at names column 'updatedat', which its select does not return");
    });
  });

  it('a run that fails while applying changes leaves the snapshot exactly as it was', async () => {
    const dir = snapshotProject(TS, 'id,score,updated_at\n1,10,2024-01-01 00:00:00\n2,20,2024-01-01 00:00:00\n');
    await snapshot(dir, 'id,score,updated_at\n1,10,2024-01-01 00:00:00\n2,20,2024-01-01 00:00:00\n');
    const before = await history(dir, '*');
    // id 1 is closed first in the transaction, then inserting 'oops' into the integer column fails.
    writeFiles(dir, { 'seeds/customers.csv': 'id,score,updated_at\n1,oops,2024-02-01 00:00:00\n2,20,2024-01-01 00:00:00\n3,30,2024-02-01 00:00:00\n' });
    const failed = await strata(dir, 'build');
    expect(failed.code).toBe(1);
    expect(failed.output).toContain('ERROR');
    expect(await history(dir, '*')).toEqual(before);
    // The leftovers of the failed run do not stop the next one.
    await snapshot(dir, 'id,score,updated_at\n1,11,2024-02-01 00:00:00\n2,20,2024-01-01 00:00:00\n');
    expect(await history(dir, 'id, score, dbt_valid_from, dbt_valid_to')).toEqual([
      { id: 1, score: 10, dbt_valid_from: '2024-01-01 00:00:00', dbt_valid_to: '2024-02-01 00:00:00' },
      { id: 1, score: 11, dbt_valid_from: '2024-02-01 00:00:00', dbt_valid_to: null },
      { id: 2, score: 20, dbt_valid_from: '2024-01-01 00:00:00', dbt_valid_to: null },
    ]);
  });
});
