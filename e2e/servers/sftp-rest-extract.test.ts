import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryProject } from '../duckdb-query.js';
import { projectYml, strata, tempProjects } from '../harness.js';
import { API_CREDENTIALS, startRestApi, type RestApiServer } from './rest-api-server.js';
import { startSshd, type SshdServer } from './sshd-server.js';

// `strata extract` on a project with an SFTP source (OpenSSH) and a REST source (node:http):
// landed once, rerun lands only what is new, a malformed file fails its table alone, secrets nowhere.
let sshd: SshdServer;
let api: RestApiServer;
beforeAll(async () => {
  [sshd, api] = await Promise.all([startSshd(), startRestApi()]);
  api.records.push(...[1, 2, 3].map((id) => ({ id, updated_at: `2026-11-0${id}T10:00:00Z`, total: id * 1.5, customer: { name: `c${id}`, tags: ['a'] } })));
});
afterAll(async () => {
  await Promise.all([sshd?.stop(), api?.stop()]);
  delete process.env.PARTNER_SFTP_PASSWORD;
  delete process.env.SHOP_API_TOKEN;
});

function put(rel: string, body: string, mtime: Date): void {
  const full = path.join(sshd.files, rel);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, body);
  utimesSync(full, mtime, mtime);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

const project = tempProjects();

describe('strata extract from SFTP and a REST API', () => {
  it('lands both, reruns land only new files and records, a malformed file fails its table alone, and no secret is written', async () => {
    process.env.PARTNER_SFTP_PASSWORD = sshd.password;
    process.env.SHOP_API_TOKEN = API_CREDENTIALS.bearer;
    put('stock/s1.csv', 'sku,qty\nA,1\nB,2\n', new Date('2026-11-01T00:00:00Z'));
    put('stock/s2.csv', 'sku,qty\nC,3\n', new Date('2026-11-02T00:00:00Z'));
    const dir = project({
      'project.yml': projectYml(),
      'models/sources.yml': `sources:
  - name: partner_sftp
    loader:
      type: sftp
      host: 127.0.0.1
      port: ${sshd.port}
      username: root
      password: '{{env "PARTNER_SFTP_PASSWORD"}}'
      host_key_sha256: ${sshd.hostKeySha256}
      folder: ${sshd.files}
    tables:
      - name: stock
        loader: {pattern: "stock/*.csv", column_types: {qty: INTEGER}}
  - name: shop_api
    loader:
      type: rest
      base_url: ${api.url}
      auth: {type: bearer, token: '{{env "SHOP_API_TOKEN"}}'}
      rate_limit: 50
    tables:
      - name: orders
        loader:
          path: /page/orders
          records_path: data
          paginator: {type: page_number, page_size_param: per_page, page_size: 2}
          primary_key: id
          cursor_field: updated_at
          incremental: {param: updated_since}
`,
      'models/stg_stock.sql': 'select sku, qty, _strata_source_file from {{source "partner_sftp" "stock"}}',
      'models/stg_orders.sql': `select id, total, customer->>'name' as customer from {{source "shop_api" "orders"}}`,
    });

    const first = await strata(dir, 'extract');
    expect(first.output).toContain('Completed successfully');
    expect(first.code).toBe(0);
    expect(first.output).toMatch(/OK extracted partner_sftp\.stock: 3 rows/);
    expect(first.output).toMatch(/OK extracted shop_api\.orders: 3 rows/);
    const build = await strata(dir, 'build');
    expect(build.code, build.output).toBe(0);
    expect(await queryProject(dir, `select sku, qty, typeof(qty) as t, regexp_extract(_strata_source_file, 's[0-9]\\.csv') as file from stg_stock order by sku`)).toEqual([
      { sku: 'A', qty: 1, t: 'INTEGER', file: 's1.csv' },
      { sku: 'B', qty: 2, t: 'INTEGER', file: 's1.csv' },
      { sku: 'C', qty: 3, t: 'INTEGER', file: 's2.csv' },
    ]);
    expect(await queryProject(dir, 'select id::int as id, customer from stg_orders order by id')).toEqual([1, 2, 3].map((id) => ({ id, customer: `c${id}` })));

    // New: a file, a malformed file, two records and an update of record 2.
    put('stock/s3.csv', 'sku,qty\nD,4\n', new Date('2026-11-03T00:00:00Z'));
    put('stock/s4.csv', 'sku,qty\nE,5,oops\n', new Date('2026-11-04T00:00:00Z'));
    api.records.push({ id: 4, updated_at: '2026-11-04T10:00:00Z', total: 6, customer: { name: 'c4', tags: [] } });
    api.records[1] = { ...api.records[1], updated_at: '2026-11-05T10:00:00Z', customer: { name: 'c2 renamed', tags: [] } };
    const second = await strata(dir, 'extract');
    expect(second.code).toBe(1);
    expect(second.output).toMatch(/OK extracted shop_api\.orders: 2 rows/);
    expect(second.output).toMatch(/Completed with 1 error/);
    const errorLine = second.output.split('\n').find((l) => l.includes('could not be loaded'));
    expect(errorLine).toMatch(/source partner_sftp, table stock: a file could not be loaded: .*\/stock\/s4\.csv: Invalid Record Length/);
    await strata(dir, 'build');
    expect(await queryProject(dir, 'select list(sku order by sku) as skus from stg_stock')).toEqual([{ skus: ['A', 'B', 'C', 'D'] }]);
    expect(await queryProject(dir, 'select id::int as id, customer from stg_orders order by id')).toEqual([
      { id: 1, customer: 'c1' }, { id: 2, customer: 'c2 renamed' }, { id: 3, customer: 'c3' }, { id: 4, customer: 'c4' },
    ]);

    // Fixed: the next run loads that file and nothing else; the API has nothing new.
    put('stock/s4.csv', 'sku,qty\nE,5\n', new Date('2026-11-06T00:00:00Z'));
    const third = await strata(dir, 'extract');
    expect(third.code, third.output).toBe(0);
    expect(third.output).toMatch(/OK extracted partner_sftp\.stock: 1 rows?/);
    expect(third.output).toMatch(/OK extracted shop_api\.orders: 0 rows/);
    await strata(dir, 'build');
    expect(await queryProject(dir, 'select count(*)::int as n, count(distinct sku)::int as skus from stg_stock')).toEqual([{ n: 5, skus: 5 }]);

    // Changed: a new version of s1.csv (A corrected, B gone) and s2.csv emptied. Each replaces its
    // file's rows in the append table, instead of landing beside the old version.
    put('stock/s1.csv', 'sku,qty\nA,10\n', new Date('2026-11-07T00:00:00Z'));
    put('stock/s2.csv', 'sku,qty\n', new Date('2026-11-07T00:00:00Z'));
    const fourth = await strata(dir, 'extract');
    expect(fourth.code, fourth.output).toBe(0);
    expect(fourth.output).toMatch(/OK extracted partner_sftp\.stock: 1 rows?/);
    await strata(dir, 'build');
    expect(await queryProject(dir, 'select sku, qty from stg_stock order by sku')).toEqual([
      { sku: 'A', qty: 10 }, { sku: 'D', qty: 4 }, { sku: 'E', qty: 5 },
    ]);

    const written = [...filesUnder(path.join(dir, 'target')), ...filesUnder(path.join(dir, 'lake'))].filter((f) => /\.(json|jsonl|log|sql)$/.test(f));
    expect(written.length).toBeGreaterThan(3);
    for (const text of [first.output, second.output, third.output, fourth.output, ...written.map((f) => readFileSync(f, 'utf8'))]) {
      expect(text).not.toContain(sshd.password);
      expect(text).not.toContain(API_CREDENTIALS.bearer);
    }
  });
});

describe('strata extract: REST and SFTP loader mistakes', () => {
  it('an API key or password written in the YAML is refused before anything runs, naming file and line', async () => {
    const dir = project({
      'project.yml': projectYml(),
      'models/sources.yml': `sources:
  - name: shop_api
    loader:
      type: rest
      base_url: ${api.url}
      auth: {type: api_key, name: X-API-Key, api_key: key-456}
    tables:
      - name: orders
`,
    });
    const result = await strata(dir, 'extract');
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/models\/sources\.yml:6: 'api_key' of source 'shop_api' is written in the file; secrets come only from the environment or the profile/);
    expect(api.requests.some((r) => r.path === '/offset/orders')).toBe(false);
  });

  it('an HTML error page and malformed JSON are one message each naming source and table; the other table lands', async () => {
    process.env.SHOP_API_TOKEN = API_CREDENTIALS.bearer;
    const dir = project({
      'project.yml': projectYml(),
      'models/sources.yml': `sources:
  - name: shop_api
    loader:
      type: rest
      base_url: ${api.url}
      auth: {type: bearer, token: '{{env "SHOP_API_TOKEN"}}'}
    tables:
      - name: status
        loader: {path: /html}
      - name: broken
        loader: {path: /malformed, records_path: data}
      - name: orders
        loader: {path: /page/orders, records_path: data, paginator: {type: page_number, page_size_param: per_page, page_size: 2}}
`,
    });
    const result = await strata(dir, 'extract');
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/source shop_api, table status: GET http:\/\/127\.0\.0\.1:\d+\/html returned an HTML page instead of JSON \(HTTP 200\): an HTML page "Service Unavailable - maintenance"/);
    expect(result.output).toMatch(/source shop_api, table broken: GET http:\/\/127\.0\.0\.1:\d+\/malformed returned malformed JSON/);
    expect(result.output).toMatch(/OK extracted shop_api\.orders: \d+ rows/);
    expect(result.output).not.toContain(API_CREDENTIALS.bearer);
  });

  it('a mistyped SFTP key is one error naming the file, line and the key it probably meant', async () => {
    const dir = project({
      'project.yml': projectYml(),
      'models/sources.yml': `sources:
  - name: partner_sftp
    loader:
      type: sftp
      host: 127.0.0.1
      username: root
      key_file: /tmp/none
    tables:
      - name: stock
        loader: {patern: "*.csv"}
`,
    });
    const result = await strata(dir, 'extract');
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/models\/sources\.yml:10: table 'partner_sftp\.stock': unknown loader key 'patern'\n.*hint: did you mean 'pattern'\?/);
  });
});
