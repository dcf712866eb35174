import { describe, expect, it } from 'vitest';
import { queryProject } from './duckdb-query.js';
import { projectYml, strata, tempProjects, writeFiles } from './harness.js';

const project = tempProjects();

const columnTypes = (dir: string, table: string) =>
  queryProject(dir, `select column_name, data_type from information_schema.columns where table_name = '${table}' order by ordinal_position`);

describe('seeds', () => {
  it('infer types from the values', async () => {
    const dir = project({
      'seeds/things.csv': 'id,big,price,zip,day,at,flag,note\n1,3000000000,1.5,01234,2024-01-01,2024-01-01 10:00:00,true,hi\n2,4000000000,2,99999,2024-02-01,2024-02-01T11:00:00,false,\n',
    });
    const { code, output } = await strata(dir, 'seed');
    expect(code, output).toBe(0);
    expect(output).toContain('[INSERT 2 in');
    expect((await columnTypes(dir, 'things')).map((c) => c.data_type)).toEqual(['INTEGER', 'BIGINT', 'DOUBLE', 'VARCHAR', 'DATE', 'TIMESTAMP', 'BOOLEAN', 'VARCHAR']);
    expect(await queryProject(dir, 'select zip, note from things order by id')).toEqual([
      { zip: '01234', note: 'hi' },
      { zip: '99999', note: null },
    ]);
  });

  it('column_types overrides the inferred type', async () => {
    const dir = project({
      'project.yml': projectYml('seeds:\n  shop:\n    things:\n      +column_types:\n        id: varchar\n'),
      'seeds/things.csv': 'id,amount\n1,10\n',
      'seeds/schema.yml': 'version: 2\nseeds:\n  - name: things\n    config:\n      column_types:\n        amount: decimal(10,2)\n',
    });
    expect((await strata(dir, 'seed')).code).toBe(0);
    expect((await columnTypes(dir, 'things')).map((c) => c.data_type)).toEqual(['VARCHAR', 'DECIMAL(10,2)']);
  });

  it('reloading keeps the table and replaces its rows; changed columns need --full-refresh', async () => {
    const dir = project({ 'seeds/things.csv': 'id,v\n1,a\n', 'models/things_view.sql': 'select * from {{ref "things"}}' });
    expect((await strata(dir, 'build')).code).toBe(0);
    writeFiles(dir, { 'seeds/things.csv': 'id,v\n1,a\n2,b\n' });
    expect((await strata(dir, 'seed')).code).toBe(0);
    expect(await queryProject(dir, 'select count(*)::int as n from things_view')).toEqual([{ n: 2 }]);
    writeFiles(dir, { 'seeds/things.csv': 'id,v,w\n1,a,x\n' });
    const refused = await strata(dir, 'seed');
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('--full-refresh');
    expect(await queryProject(dir, 'select count(*)::int as n from things')).toEqual([{ n: 2 }]);
    expect((await strata(dir, 'seed', '--full-refresh')).code).toBe(0);
    expect(await queryProject(dir, 'select * from things')).toEqual([{ id: 1, v: 'a', w: 'x' }]);
  });

  it('a ragged CSV row names the line', async () => {
    const dir = project({ 'seeds/bad.csv': 'id,v\n1,a\n2,b,c\n' });
    const { code, output } = await strata(dir, 'seed');
    expect(code).toBe(1);
    expect(output).toMatch(/seeds\/bad\.csv:3/);
  });
});
