import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeWriter } from '../../core/lake/lake-writer.js';
import { LocalLakeStorage } from '../../core/lake/local-lake-storage.js';
import { queryProject } from '../duckdb-query.js';
import { projectYml, strata, tempProjects } from '../harness.js';
import { extractKilledWhen } from './kill-extract.js';
import { MongoWireTestServer } from './mongo-wire-test-server.js';

// The exactly-once promise for MongoDB: a `strata extract` process killed with SIGKILL while it
// reads a merge table, or after it committed one table and while it reads an append table, then
// rerun, lands every document once. The source is the wire-protocol TEST server in this process,
// slowed down (each getMore answered after a pause) so the kill lands mid-read. Runs the built binary.
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repo, 'dist/cli/bin.js');
const DOCS = 3000;
let server: MongoWireTestServer;
let database = 0;

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error('dist/cli/bin.js is missing: run npm run build');
  server = await MongoWireTestServer.start();
});
afterAll(async () => {
  await server?.stop();
});

const id = (n: number) => ObjectId.createFromHexString(n.toString(16).padStart(24, '0'));
const project = tempProjects();

function setUp(): { dir: string; url: string } {
  const db = `kill${++database}`;
  server.insert(db, 'products', Array.from({ length: DOCS }, (_, i) => ({ _id: id(i + 1), name: `P${i + 1}`, updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) })));
  server.insert(db, 'events', Array.from({ length: DOCS }, (_, i) => ({ _id: id(i + 1), kind: 'view' })));
  const dir = project({
    'project.yml': projectYml(),
    'models/sources.yml': `sources:
  - name: shop_mongo
    loader: {type: mongodb, url: '{{env "KILL_MONGO_URL"}}', batch_size: 200}
    tables:
      - name: products
        loader: {cursor_field: updatedAt, primary_key: _id}
      - name: events
        loader: {cursor_field: _id, disposition: append}
`,
    'models/stg_products.sql': 'select * from {{source "shop_mongo" "products"}}',
    'models/stg_events.sql': 'select * from {{source "shop_mongo" "events"}}',
  });
  return { dir, url: `mongodb://127.0.0.1:${server.port}/${db}?directConnection=true` };
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => (statSync(path.join(dir, name)).isDirectory() ? files(path.join(dir, name)) : [path.join(dir, name)]));
}
const manifests = (dir: string, table: string) => files(path.join(dir, 'lake/raw/shop_mongo', table)).filter((f) => f.endsWith('_manifest.json')).length;

async function expectExactlyOnce(dir: string, url: string): Promise<void> {
  server.delayCommand('getMore', 0);
  process.env.KILL_MONGO_URL = url;
  const rerun = await strata(dir, 'extract');
  expect(rerun.code, rerun.output).toBe(0);
  expect((await strata(dir, 'build')).code).toBe(0);
  expect(await queryProject(dir, 'select count(*)::int n, count(distinct _id)::int k from stg_products')).toEqual([{ n: DOCS, k: DOCS }]);
  expect(await queryProject(dir, 'select count(*)::int n, count(distinct _id)::int k from stg_events')).toEqual([{ n: DOCS, k: DOCS }]);
  const writer = new LakeWriter(new LocalLakeStorage(path.join(dir, 'lake')));
  for (const table of ['products', 'events']) expect(await writer.uncommittedParts('shop_mongo', table)).toEqual([]);
}

describe('strata extract from MongoDB killed and rerun', () => {
  it('killed while reading the merge table: nothing is committed, the rerun lands every document once', async () => {
    const { dir, url } = setUp();
    server.delayCommand('getMore', 100);
    const before = server.received.filter((c) => c.name === 'getMore').length;
    // Killed after a few batches were read, long before the 15 batches of the table are in.
    const killed = await extractKilledWhen(dir, { KILL_MONGO_URL: url }, () => server.received.filter((c) => c.name === 'getMore').length - before >= 3);
    expect(killed).toBe(true);
    expect(manifests(dir, 'products')).toBe(0);
    await expectExactlyOnce(dir, url);
  }, 120_000);

  it('killed after the merge table committed, while reading the append table: the rerun neither loses nor doubles a document', async () => {
    const { dir, url } = setUp();
    server.delayCommand('getMore', 100);
    const killed = await extractKilledWhen(dir, { KILL_MONGO_URL: url }, () => manifests(dir, 'products') === 1 && server.received.some((c) => c.name === 'getMore' && c.command.collection === 'events' && c.db === new URL(url).pathname.slice(1)));
    expect(killed).toBe(true);
    expect(manifests(dir, 'events')).toBe(0);
    await expectExactlyOnce(dir, url);
    const writer = new LakeWriter(new LocalLakeStorage(path.join(dir, 'lake')));
    // The rerun resumed products from its committed cursor: it read only the document at the cursor again (merged away by key).
    expect((await writer.committedLoads('shop_mongo', 'products')).map((l) => l.rows)).toEqual([DOCS, 1]);
    expect((await writer.committedLoads('shop_mongo', 'events')).map((l) => l.rows)).toEqual([DOCS]);
  }, 120_000);
});
