import { describe, expect, it } from 'vitest';
import type { SourceLoaderConfig } from '../../../core/extract/source-adapter.js';
import { retryAfterMs } from './rest-client.js';
import { readRestSourceSettings, readRestTableSettings } from './rest-config.js';
import { compareCursor, endpointUrl } from './rest-source.js';

const source = (settings: Record<string, unknown>, table: Record<string, unknown> = { path: '/orders' }): SourceLoaderConfig => ({
  name: 'shop_api',
  type: 'rest',
  file: 'models/api.yml',
  settings: { base_url: 'https://api.example.com/v1/', ...settings },
  tables: [{ name: 'orders', settings: table, line: 7 }],
});

describe('REST loader settings', () => {
  it('reads auth, policy and defaults; tables inherit the paginator and records path', () => {
    const s = source({ auth: { type: 'api_key', api_key: 'k', location: 'query', name: 'key' }, rate_limit: 2, records_path: 'data', paginator: { type: 'link_header' } });
    expect(readRestSourceSettings(s)).toMatchObject({ auth: { type: 'api_key', apiKey: 'k', location: 'query', name: 'key' }, rateLimit: 2, maxRetries: 5, backoffMs: 1000, maxBackoffMs: 60_000, timeoutMs: 30_000 });
    expect(readRestTableSettings(s, s.tables[0])).toMatchObject({ path: '/orders', recordsPath: 'data', paginator: { type: 'link_header', rel: 'next' }, landing: { disposition: 'replace', format: 'parquet' } });
    const t = { path: 'orders', records_path: '$.items', cursor_field: 'updated_at', incremental: { param: 'since' }, paginator: { type: 'offset', limit: 50 } };
    expect(readRestTableSettings(s, { name: 'orders', settings: t })).toMatchObject({ recordsPath: 'items', incremental: { param: 'since' }, paginator: { type: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: 50 }, landing: { disposition: 'append', cursorField: 'updated_at' } });
  });

  it('names the mistake: unknown keys and paginator types, a missing limit, incremental without a cursor field, a bad base URL', () => {
    expect(() => readRestSourceSettings(source({ base_url: 'ftp://x' }))).toThrow(/source 'shop_api': base_url 'ftp:\/\/x' is not an http\(s\) URL/);
    expect(() => readRestSourceSettings(source({ auth: { type: 'bearer' } }))).toThrow(/loader key 'auth.token' is required/);
    expect(() => readRestSourceSettings(source({ auth: { type: 'oauth' } }))).toThrow(/'auth.type' must be one of bearer, api_key, basic, got 'oauth'/);
    expect(() => readRestSourceSettings(source({ auth: { type: 'basic', username: 'u', pasword: 'p' } }))).toThrow(expect.objectContaining({ message: "source 'shop_api': unknown loader key 'auth.pasword'", hint: "did you mean 'auth.password'?" }));
    const s = source({});
    expect(() => readRestTableSettings(s, { name: 'orders', settings: { paginator: { type: 'pages' } } })).toThrow(/must be one of none, page_number, offset, cursor, next_link, link_header, got 'pages'/);
    expect(() => readRestTableSettings(s, { name: 'orders', settings: { paginator: { type: 'offset' } } })).toThrow(/'paginator.limit' is required/);
    expect(() => readRestTableSettings(s, { name: 'orders', settings: { incremental: { param: 'since' } } })).toThrow(/table 'shop_api.orders': an incremental table needs a cursor_field/);
    expect(() => readRestTableSettings(s, { name: 'orders', settings: { cursor_field: 'u', disposition: 'replace', incremental: { param: 'since' } } })).toThrow(/cannot use disposition replace/);
    expect(() => readRestTableSettings(s, { name: 'orders', settings: { paht: '/x' } })).toThrow(/unknown loader key 'paht'.*/);
  });

  it('joins base URL and path, keeping the base path; a whole URL wins', () => {
    expect(endpointUrl('https://a/v1/', '/orders').toString()).toBe('https://a/v1/orders');
    expect(endpointUrl('https://a/v1', 'orders?x=1').toString()).toBe('https://a/v1/orders?x=1');
    expect(endpointUrl('https://a/v1', '').toString()).toBe('https://a/v1');
    expect(endpointUrl('https://a/v1', 'https://b/other').toString()).toBe('https://b/other');
  });

  it('compares cursors as numbers, instants or text; reads Retry-After as seconds or a date', () => {
    expect(compareCursor(9, 10)).toBeLessThan(0);
    expect(compareCursor('9', '10')).toBeLessThan(0);
    expect(compareCursor('2026-11-01T10:00:00Z', '2026-11-01T11:00:00+01:00')).toBe(0);
    expect(compareCursor('2026-11-02T00:00:00Z', '2026-11-01T23:59:59.999Z')).toBeGreaterThan(0);
    expect(compareCursor('abc', 'abd')).toBeLessThan(0);
    expect(retryAfterMs('2', 0)).toBe(2000);
    expect(retryAfterMs('Wed, 21 Oct 2026 07:28:05 GMT', Date.parse('2026-10-21T07:28:00Z'))).toBe(5000);
    expect(retryAfterMs('soon', 0)).toBeUndefined();
    expect(retryAfterMs(null, 0)).toBeUndefined();
  });
});
