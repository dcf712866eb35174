import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestSource, type RestState } from '../../adapters/sources/rest/rest-source.js';
import type { SourceLoaderConfig, SourceTableConfig } from '../../core/extract/source-adapter.js';
import { LocalLakeStorage } from '../../core/lake/local-lake-storage.js';
import { ExtractLake } from './extract-lake.js';
import { API_CREDENTIALS, startRestApi, type ApiRecord, type RestApiServer } from './rest-api-server.js';

let api: RestApiServer;
let lake: ExtractLake;
beforeAll(async () => {
  api = await startRestApi();
  lake = new ExtractLake();
});
afterAll(async () => {
  await api?.stop();
  await lake?.close();
});

const adapter = new RestSource();
const record = (id: number, updatedAt: string): ApiRecord => ({ id, updated_at: updatedAt, total: id * 10.5, customer: { name: `c${id}`, tags: [`t${id}`, 'vip'] } });

function source(name: string, settings: Record<string, unknown>, tables: SourceTableConfig[]): SourceLoaderConfig {
  return { name, type: 'rest', file: 'models/api.yml', settings: { base_url: api.url, backoff_seconds: 0.01, ...settings }, tables };
}

/** Extracts every table of a source through the contract into the lake; returns each table's outcome. */
async function extract(config: SourceLoaderConfig, options: Parameters<ExtractLake['extract']>[4] = {}) {
  adapter.validate(config);
  const connection = await adapter.connect(config);
  try {
    const out = [];
    for (const table of config.tables) out.push(await lake.extract(connection, 'rest', config.name, table, options));
    return out;
  } finally {
    await connection.close();
  }
}

const requestsTo = (path: string) => api.requests.filter((r) => r.path === path);

describe('REST source against a local HTTP API', () => {
  beforeAll(() => {
    api.records.push(...[1, 2, 3, 4, 5, 6, 7].map((id) => record(id, `2026-11-0${id}T10:00:00Z`)));
  });

  it('every pagination style, each with its auth, lands every record exactly once', async () => {
    const styles: [string, Record<string, unknown>, Record<string, unknown>][] = [
      ['page_api', { auth: { type: 'bearer', token: API_CREDENTIALS.bearer } }, { path: '/page/orders', records_path: 'data', paginator: { type: 'page_number', page_size_param: 'per_page', page_size: 2, total_pages_path: 'meta.total_pages' } }],
      ['offset_api', { auth: { type: 'api_key', name: 'X-API-Key', api_key: API_CREDENTIALS.apiKey } }, { path: 'offset/orders', records_path: '$.items', paginator: { type: 'offset', limit: 2, total_path: 'total' } }],
      ['cursor_api', { auth: { type: 'api_key', name: 'api_key', location: 'query', api_key: API_CREDENTIALS.apiKey } }, { path: '/cursor/orders', records_path: 'results', paginator: { type: 'cursor', cursor_path: 'next_cursor' } }],
      ['next_api', { auth: { type: 'basic', ...API_CREDENTIALS.basic } }, { path: '/next/orders', records_path: 'data', paginator: { type: 'next_link', next_path: 'links.next' } }],
      ['link_api', {}, { path: '/link/orders', paginator: { type: 'link_header' } }],
    ];
    for (const [name, settings, table] of styles) {
      const before = api.requests.length;
      const [outcome] = await extract(source(name, settings, [{ name: 'orders', settings: table }]));
      expect(outcome.error, name).toBeUndefined();
      expect(outcome.manifests.map((m) => m.rows), name).toEqual([7]);
      // 7 records, 2 a page: 4 pages, and no request more.
      expect(api.requests.length - before, name).toBe(4);
      expect(await lake.query(name, 'orders', `select list(id::int order by id) as ids, count(*)::int as n, max(json_extract_string(customer, '$.tags[0]')) as tag from t`), name).toEqual([{ ids: [1, 2, 3, 4, 5, 6, 7], n: 7, tag: 't7' }]);
    }
    const [unauthorized] = await extract(source('page_api', { auth: { type: 'bearer', token: 'wrong' } }, [{ name: 'orders', settings: styles[0][2] }]));
    expect((unauthorized.error as Error).message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/page\/orders\?page=1&per_page=2 returned HTTP 401: "\{\\"error\\":\\"unauthorized\\"\}"$/);
  });

  it('incremental by a timestamp parameter: a rerun lands only new records, also one at the same timestamp as the newest, never one twice', async () => {
    const table: SourceTableConfig = { name: 'orders', settings: { path: '/page/orders', records_path: 'data', paginator: { type: 'page_number', page_size_param: 'per_page', page_size: 2 }, cursor_field: 'updated_at', incremental: { param: 'updated_since', initial_value: '2026-11-02T00:00:00Z' } } };
    const config = source('shop_api', { auth: { type: 'bearer', token: API_CREDENTIALS.bearer } }, [table]);
    const [first] = await extract(config);
    expect(first.manifests.map((m) => [m.rows, m.disposition, m.cursor])).toEqual([[6, 'append', { field: 'updated_at', min: '2026-11-02T10:00:00Z', max: '2026-11-07T10:00:00Z' }]]);
    expect(first.manifests[0].state).toEqual({ cursor: '2026-11-07T10:00:00Z', keys_at_cursor: [expect.stringMatching(/^[0-9a-f]{32}$/)] });
    expect(requestsTo('/page/orders').at(-4)?.query.get('updated_since')).toBe('2026-11-02T00:00:00Z');

    // Nothing new: the API sends the newest record again (its filter is inclusive); no load.
    const [idle] = await extract(config);
    expect(idle).toEqual({ manifests: [] });
    expect(requestsTo('/page/orders').at(-1)?.query.get('updated_since')).toBe('2026-11-07T10:00:00Z');

    api.records.push(record(8, '2026-11-07T10:00:00Z'), record(9, '2026-11-08T09:00:00Z'), record(10, '2026-11-09T09:00:00Z'));
    const [rerun] = await extract(config);
    expect(rerun.manifests.map((m) => m.rows)).toEqual([3]);
    expect((rerun.manifests[0].state as unknown as RestState).cursor).toBe('2026-11-09T09:00:00Z');
    expect(await lake.query('shop_api', 'orders', 'select count(*)::int as n, count(distinct id)::int as ids, min(id)::int as lo, max(id)::int as hi from t')).toEqual([{ n: 9, ids: 9, lo: 2, hi: 10 }]);
  });

  it('a run killed during a load, or failing mid-pagination, lands nothing; the rerun lands every record once', async () => {
    class KilledBeforeManifest extends LocalLakeStorage {
      override async put(key: string, body: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
        if (key.endsWith('/_manifest.json')) throw new Error('killed');
        return super.put(key, body);
      }
      override async delete(): Promise<void> {
        throw new Error('killed');
      }
    }
    const table: SourceTableConfig = { name: 'orders', settings: { path: '/offset/orders', records_path: 'items', paginator: { type: 'offset', limit: 3 }, cursor_field: 'updated_at', primary_key: 'id', disposition: 'append', incremental: { param: 'updated_since' } } };
    const config = source('killed_api', { auth: { type: 'api_key', api_key: API_CREDENTIALS.apiKey }, max_retries: 1 }, [table]);
    const [killed] = await extract(config, { storage: new KilledBeforeManifest(lake.root) });
    expect((killed.error as Error).message).toBe('killed');
    api.answerNext('/offset/orders', { status: 200, body: JSON.stringify({ items: [record(1, '2026-11-01T10:00:00Z')].concat([record(2, '2026-11-02T10:00:00Z'), record(3, '2026-11-03T10:00:00Z')]) }) }, { status: 503, body: 'down' }, { status: 503, body: 'down' });
    const [failed] = await extract(config);
    expect((failed.error as Error).message).toMatch(/^GET .*offset=3.* returned HTTP 503 after 2 attempts: "down"$/);
    expect(await lake.writer.committedLoads('killed_api', 'orders')).toEqual([]);
    const [rerun] = await extract(config);
    expect(rerun.manifests.map((m) => m.rows)).toEqual([10]);
    expect(await lake.query('killed_api', 'orders', 'select count(*)::int as n, count(distinct id)::int as ids from t')).toEqual([{ n: 10, ids: 10 }]);
  });

  it('retries 429 after the Retry-After it asks and 5xx with exponential backoff', async () => {
    const table: SourceTableConfig = { name: 'orders', settings: { path: '/link/orders', paginator: { type: 'link_header' } } };
    api.answerNext('/link/orders', { status: 429, headers: { 'retry-after': '1' }, body: '{"error":"slow down"}' });
    const started = Date.now();
    const [limited] = await extract(source('retry_api', {}, [table]));
    expect(limited.error).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(limited.manifests.map((m) => m.rows)).toEqual([10]);

    api.answerNext('/link/orders', { status: 500, body: 'oops' }, { status: 502, body: '<html><title>Bad Gateway</title></html>', headers: { 'content-type': 'text/html' } });
    const before = requestsTo('/link/orders').length;
    const [flaky] = await extract(source('retry_api', { backoff_seconds: 0.2 }, [table]));
    expect(flaky.error).toBeUndefined();
    const retried = requestsTo('/link/orders').slice(before);
    expect(retried).toHaveLength(2 + 5);
    // Backoff doubles: 0.2 s, then 0.4 s.
    expect(retried[1].at - retried[0].at).toBeGreaterThanOrEqual(190);
    expect(retried[2].at - retried[1].at).toBeGreaterThanOrEqual(390);

    api.answerNext('/link/orders', ...Array.from({ length: 3 }, () => ({ status: 503, body: '<!doctype html><title>Maintenance</title>', headers: { 'content-type': 'text/html' } })));
    const [down] = await extract(source('retry_api', { max_retries: 2 }, [table]));
    expect((down.error as Error).message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/link\/orders returned HTTP 503 after 3 attempts: an HTML page "Maintenance"$/);
  });

  it('a rate limit spaces the requests of all the source\'s tables', async () => {
    const tables: SourceTableConfig[] = ['a', 'b'].map((name) => ({ name, settings: { path: '/link/orders', paginator: { type: 'link_header' } } }));
    const before = requestsTo('/link/orders').length;
    const outcomes = await extract(source('limited_api', { rate_limit: 10 }, tables));
    expect(outcomes.map((o) => o.manifests[0]?.rows)).toEqual([10, 10]);
    const times = requestsTo('/link/orders').slice(before).map((r) => r.at);
    expect(times).toHaveLength(10);
    // Request i starts no sooner than i tenths of a second after the first (less the first one's own latency).
    for (let i = 1; i < times.length; i++) expect(times[i] - times[0]).toBeGreaterThanOrEqual(i * 100 - 30);
  });

  it('an HTML page, malformed JSON or records not where the path says is one message naming source and table; the API key never shows', async () => {
    const config = source('broken_api', { auth: { type: 'api_key', name: 'api_key', location: 'query', api_key: 'sekrit-key' } }, [
      { name: 'html', settings: { path: '/html' } },
      { name: 'malformed', settings: { path: '/malformed', records_path: 'data' } },
      { name: 'misplaced', settings: { path: '/link/orders', records_path: 'data.items' } },
      { name: 'missing', settings: { path: '/no/such/endpoint' } },
    ]);
    const [html, malformed, misplaced, missing] = await extract(config);
    const messages = [html, malformed, misplaced, missing].map((o) => (o.error as Error).message);
    expect(messages[0]).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/html\?api_key=\*\*\* returned an HTML page instead of JSON \(HTTP 200\): an HTML page "Service Unavailable - maintenance"$/);
    expect(messages[1]).toMatch(/^GET .*\/malformed\?api_key=\*\*\* returned malformed JSON \(.*JSON.*\): "\{\\"data\\": \[\{\\"id\\": 1\}, \{\\"id\\": 2,"$/);
    expect(messages[2]).toMatch(/^GET .* has no records at 'data\.items' \(the body is a list\)$/);
    expect(messages[3]).toMatch(/^GET .*\/no\/such\/endpoint\?api_key=\*\*\* returned HTTP 404/);
    for (const message of messages) expect(message).not.toContain('sekrit');
    // A paginator that does not fit the API (the cursor never moves) stops instead of looping; max_pages caps a run.
    const [loop, capped] = await extract(source('loop_api', {}, [
      { name: 'loop', settings: { path: '/link/orders', paginator: { type: 'link_header', rel: 'first' } } },
      { name: 'capped', settings: { path: '/link/orders', paginator: { type: 'link_header', max_pages: 2 } } },
    ]));
    expect((loop.error as Error).message).toMatch(/^the paginator asks for http:\/\/127\.0\.0\.1:\d+\/link\/orders\?page=1 again; its settings do not fit this API$/);
    expect(capped.manifests.map((m) => m.rows)).toEqual([4]);
    expect(await lake.writer.committedLoads('broken_api', 'html')).toEqual([]);
  });

  it('lands nested documents as NDJSON when the table asks, replacing the table on each run', async () => {
    const table: SourceTableConfig = { name: 'customers', settings: { path: '/link/orders', paginator: { type: 'link_header' }, format: 'jsonl' } };
    for (let run = 0; run < 2; run++) {
      const [outcome] = await extract(source('docs_api', {}, [table]));
      expect(outcome.manifests.map((m) => [m.rows, m.format, m.disposition])).toEqual([[10, 'jsonl', 'replace']]);
    }
    expect(await lake.query('docs_api', 'customers', `select count(*)::int as n, max(customer.tags[2]) as tag, max(customer.name) filter (where id = 3) as name from t`)).toEqual([{ n: 10, tag: 'vip', name: 'c3' }]);
  });
});
