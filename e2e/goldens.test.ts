import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { projectYml, strata, tempProjects, writeFiles } from './harness.js';

// The SQL each materialization runs on DuckDB, checked in so that any change to generated SQL
// shows in review as a diff. Regenerate with: UPDATE_GOLDENS=1 npx vitest run e2e/goldens.test.ts
const goldens = path.join(path.dirname(fileURLToPath(import.meta.url)), 'goldens', 'duckdb');
const project = tempProjects({
  'project.yml': projectYml('models:\n  shop:\n    marts:\n      +schema: marts\n'),
  'seeds/raw_events.csv': 'id,line,v,updated_at\n1,1,a,2024-01-01\n2,1,b,2024-01-02\n',
  'models/stg_events.sql': 'select * from {{ref "raw_events"}}',
  'models/marts/events_table.sql': '{{config materialized="table"}}\nselect id, v from {{ref "stg_events"}}',
  'models/marts/events_append.sql': '{{config materialized="incremental" incremental_strategy="append"}}\nselect * from {{ref "stg_events"}}\n{{#if (is_incremental)}}where updated_at > (select max(updated_at) from {{this}}){{/if}}',
  'models/marts/events_merge.sql': '{{config materialized="incremental" unique_key="id" on_schema_change="append_new_columns"}}\nselect * from {{ref "stg_events"}}',
  'snapshots/events_snapshot.sql': '{{config unique_key="id,line" strategy="timestamp" updated_at="updated_at" hard_deletes="invalidate"}}\nselect * from {{ref "raw_events"}}',
  'models/marts/events_delete_insert.sql': '{{config materialized="incremental" incremental_strategy="delete+insert" unique_key="id,line"}}\nselect * from {{ref "stg_events"}}',
});

function runFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      // A snapshot's SQL carries the time it ran at; that one value is not part of the golden.
      else out[path.relative(path.join(dir, 'target/run/shop'), full).split(path.sep).join('__')] = readFileSync(full, 'utf8').replace(/cast\('\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?' as timestamp\)/g, "cast('<snapshot time>' as timestamp)");
    }
  };
  walk(path.join(dir, 'target/run/shop'));
  return out;
}

describe('golden SQL on DuckDB', () => {
  it('first build and incremental rebuild run exactly the checked-in SQL', async () => {
    const dir = project({});
    expect((await strata(dir, 'build')).code).toBe(0);
    const first = runFiles(dir);
    writeFiles(dir, { 'seeds/raw_events.csv': 'id,line,v,updated_at\n2,1,B,2024-01-05\n3,1,c,2024-01-05\n' });
    expect((await strata(dir, 'build')).code).toBe(0);
    const second = runFiles(dir);
    const actual: Record<string, string> = {};
    for (const [name, sql] of Object.entries(first)) actual[`first__${name}`] = sql;
    for (const [name, sql] of Object.entries(second)) actual[`second__${name}`] = sql;
    if (process.env.UPDATE_GOLDENS) {
      mkdirSync(goldens, { recursive: true });
      for (const [name, sql] of Object.entries(actual)) writeFileSync(path.join(goldens, name), sql);
    }
    const expected = readdirSync(goldens).sort();
    expect(Object.keys(actual).sort()).toEqual(expected);
    for (const name of expected) expect(actual[name], name).toBe(readFileSync(path.join(goldens, name), 'utf8'));
    expect(existsSync(path.join(goldens, 'second__models__marts__events_merge.sql'))).toBe(true);
    expect(existsSync(path.join(goldens, 'second__snapshots__events_snapshot.sql'))).toBe(true);
  });
});
