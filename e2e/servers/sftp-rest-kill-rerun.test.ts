import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeWriter } from '../../core/lake/lake-writer.js';
import { LocalLakeStorage } from '../../core/lake/local-lake-storage.js';
import { queryProject } from '../duckdb-query.js';
import { projectYml, strata, tempProjects } from '../harness.js';
import { API_CREDENTIALS, startRestApi, type RestApiServer } from './rest-api-server.js';
import { extractKilledWhen } from './kill-extract.js';
import { startSshd, type SshdServer } from './sshd-server.js';

// The exactly-once promise for file and API sources: the built `strata extract` SIGKILLed between
// SFTP file loads, or in the middle of a REST table's pagination, then rerun, lands every file and
// every record once (append tables, where a duplicate would show).
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repo, 'dist/cli/bin.js');
const FILES = 20;
const ROWS_PER_FILE = 500;
const RECORDS = 200;
let sshd: SshdServer;
let api: RestApiServer;

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error('dist/cli/bin.js is missing: run npm run build');
  [sshd, api] = await Promise.all([startSshd(), startRestApi()]);
  for (let f = 0; f < FILES; f++) {
    const rows = Array.from({ length: ROWS_PER_FILE }, (_, i) => `${f},${i}`).join('\n');
    const file = path.join(sshd.files, 'batches', `b${String(f).padStart(3, '0')}.csv`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `file,n\n${rows}\n`);
    const at = new Date(Date.UTC(2026, 10, 1, 0, f));
    utimesSync(file, at, at);
  }
  for (let id = 1; id <= RECORDS; id++) api.records.push({ id, updated_at: new Date(Date.UTC(2026, 10, 1, 0, 0, id)).toISOString(), total: id, customer: { name: `c${id}`, tags: [] } });
});
afterAll(async () => {
  await Promise.all([sshd?.stop(), api?.stop()]);
});

const project = tempProjects();
const env = () => ({ KILL_SFTP_PASSWORD: sshd.password, KILL_API_TOKEN: API_CREDENTIALS.bearer });

function setUp(): string {
  return project({
    'project.yml': projectYml(),
    'models/sources.yml': `sources:
  - name: partner_sftp
    loader: {type: sftp, host: 127.0.0.1, port: ${sshd.port}, username: root, password: '{{env "KILL_SFTP_PASSWORD"}}', folder: ${sshd.files}}
    tables:
      - name: batches
        loader: {pattern: "batches/*.csv"}
  - name: shop_api
    loader: {type: rest, base_url: '${api.url}', auth: {type: bearer, token: '{{env "KILL_API_TOKEN"}}'}, rate_limit: 200}
    tables:
      - name: orders
        loader:
          path: /page/orders
          records_path: data
          paginator: {type: page_number, page_size_param: per_page, page_size: 2}
          cursor_field: updated_at
          incremental: {param: updated_since}
`,
    'models/stg_batches.sql': 'select * from {{source "partner_sftp" "batches"}}',
    'models/stg_orders.sql': 'select * from {{source "shop_api" "orders"}}',
  });
}

function manifests(dir: string, source: string, table: string): number {
  const folder = path.join(dir, 'lake/raw', source, table);
  if (!existsSync(folder)) return 0;
  return readdirSync(folder).filter((d) => statSync(path.join(folder, d)).isDirectory() && existsSync(path.join(folder, d, '_manifest.json'))).length;
}

async function expectExactlyOnce(dir: string): Promise<void> {
  Object.assign(process.env, env());
  const rerun = await strata(dir, 'extract');
  expect(rerun.code, rerun.output).toBe(0);
  expect((await strata(dir, 'build')).code).toBe(0);
  expect(await queryProject(dir, 'select count(*)::int n, count(distinct (file, n))::int k, count(distinct file)::int files from stg_batches')).toEqual([{ n: FILES * ROWS_PER_FILE, k: FILES * ROWS_PER_FILE, files: FILES }]);
  expect(await queryProject(dir, 'select count(*)::int n, count(distinct id)::int k from stg_orders')).toEqual([{ n: RECORDS, k: RECORDS }]);
  const writer = new LakeWriter(new LocalLakeStorage(path.join(dir, 'lake')));
  expect(await writer.uncommittedParts('partner_sftp', 'batches')).toEqual([]);
  expect(await writer.uncommittedParts('shop_api', 'orders')).toEqual([]);
}

describe('strata extract from SFTP and REST killed and rerun', () => {
  it('killed between SFTP file loads: the rerun loads the remaining files, each file once', async () => {
    const dir = setUp();
    const killed = await extractKilledWhen(dir, env(), () => manifests(dir, 'partner_sftp', 'batches') >= 3);
    expect(killed).toBe(true);
    const done = manifests(dir, 'partner_sftp', 'batches');
    expect(done).toBeGreaterThanOrEqual(3);
    expect(done).toBeLessThan(FILES);
    await expectExactlyOnce(dir);
    const writer = new LakeWriter(new LocalLakeStorage(path.join(dir, 'lake')));
    expect((await writer.committedLoads('partner_sftp', 'batches')).length).toBe(FILES);
  }, 120_000);

  it('killed in the middle of a REST table\'s pages: nothing of it is committed, and the rerun lands every record once', async () => {
    const dir = setUp();
    const before = api.requests.length;
    const killed = await extractKilledWhen(dir, env(), () => api.requests.length - before >= 20, '--select', 'source:shop_api');
    expect(killed).toBe(true);
    expect(manifests(dir, 'shop_api', 'orders')).toBe(0);
    await expectExactlyOnce(dir);
  }, 120_000);
});
