import type { SourceLoaderConfig, SourceTableConfig } from '../../../core/extract/source-adapter.js';
import { COMMON_KEYS, readTableLanding, SettingsReader, type TableLanding } from '../source-settings.js';

/** How requests authenticate; secrets arrive rendered from `{{env "..."}}`. */
export type RestAuth =
  | { type: 'bearer'; token: string }
  | { type: 'api_key'; name: string; apiKey: string; location: 'header' | 'query' }
  | { type: 'basic'; username: string; password: string };

/** How a table's pages follow each other. */
export type RestPaginator =
  | { type: 'none' }
  | { type: 'page_number'; pageParam: string; startPage: number; pageSizeParam?: string; pageSize?: number; totalPagesPath?: string; maxPages?: number }
  | { type: 'offset'; offsetParam: string; limitParam: string; limit: number; totalPath?: string; maxPages?: number }
  | { type: 'cursor'; cursorPath: string; cursorParam: string; maxPages?: number }
  | { type: 'next_link'; nextPath: string; maxPages?: number }
  | { type: 'link_header'; rel: string; maxPages?: number };

export const PAGINATOR_TYPES = ['none', 'page_number', 'offset', 'cursor', 'next_link', 'link_header'] as const;

/** The source's `loader:` block: the API's base URL, auth, and request policy. */
export interface RestSourceSettings {
  baseUrl: string;
  auth?: RestAuth;
  headers: Record<string, string>;
  params: Record<string, string>;
  /** Requests per second for the whole source; undefined: no limit. */
  rateLimit?: number;
  maxRetries: number;
  /** The first wait before a retry; it doubles each time, up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
}

/** One table: an endpoint, where its records are, how it pages, and its incremental parameter. */
export interface RestTableSettings {
  path: string;
  params: Record<string, string>;
  headers: Record<string, string>;
  /** A dotted path to the records array (`data.items`, `$.results`); empty: the body is the array. */
  recordsPath: string;
  paginator: RestPaginator;
  /** Incremental: the query parameter that takes the newest cursor value seen (e.g. `updated_since`). */
  incremental?: { param: string; initialValue?: string };
  landing: TableLanding;
}

export const REST_SOURCE_KEYS = ['base_url', 'auth', 'headers', 'params', 'rate_limit', 'max_retries', 'backoff_seconds', 'max_backoff_seconds', 'timeout_seconds', 'paginator', 'records_path'];
export const REST_TABLE_KEYS = ['path', 'params', 'headers', 'records_path', 'paginator', 'incremental', 'column_types'];

/** Reads and checks the source block. */
export function readRestSourceSettings(source: SourceLoaderConfig): RestSourceSettings {
  const reader = SettingsReader.forSource(source);
  reader.allowOnly([...REST_SOURCE_KEYS, ...COMMON_KEYS]);
  const baseUrl = reader.requiredString('base_url', 'base_url: https://api.example.com/v1');
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw reader.error(`base_url '${baseUrl}' is not an http(s) URL`, 'base_url: https://api.example.com/v1', 'base_url');
  }
  const rateLimit = reader.number('rate_limit', { min: 0.001 });
  const backoff = reader.number('backoff_seconds', { min: 0 }) ?? 1;
  return {
    baseUrl,
    auth: readAuth(reader.block('auth')),
    headers: reader.textMap('headers'),
    params: reader.textMap('params'),
    rateLimit,
    maxRetries: reader.number('max_retries', { min: 0, integer: true }) ?? 5,
    backoffMs: backoff * 1000,
    maxBackoffMs: (reader.number('max_backoff_seconds', { min: 0 }) ?? 60) * 1000,
    timeoutMs: (reader.number('timeout_seconds', { min: 0.001 }) ?? 30) * 1000,
  };
}

/** Reads and checks one table's block (the source's `paginator` and `records_path` are defaults). */
export function readRestTableSettings(source: SourceLoaderConfig, table: SourceTableConfig): RestTableSettings {
  const reader = SettingsReader.forTable(source, table);
  const sourceReader = SettingsReader.forSource(source);
  reader.allowOnly([...REST_TABLE_KEYS, ...COMMON_KEYS]);
  const landing = readTableLanding(source, table, 'replace');
  const incrementalBlock = reader.block('incremental');
  let incremental: RestTableSettings['incremental'];
  if (incrementalBlock) {
    incrementalBlock.allowOnly(['param', 'initial_value']);
    if (!landing.cursorField) throw reader.error(`an incremental table needs a cursor_field: the record field whose newest value the next run asks from`, 'cursor_field: updated_at', 'incremental');
    incremental = { param: incrementalBlock.requiredString('param', 'param: updated_since'), initialValue: incrementalBlock.string('initial_value') };
    if (landing.disposition === 'replace') throw reader.error(`an incremental table cannot use disposition replace: each run would replace the table with only the records new since the last one`, 'use disposition append, or merge with a primary_key', 'incremental');
  }
  const paginator = reader.block('paginator') ?? sourceReader.block('paginator');
  return {
    path: reader.string('path') ?? '',
    params: reader.textMap('params'),
    headers: reader.textMap('headers'),
    recordsPath: (reader.string('records_path') ?? sourceReader.string('records_path') ?? '').replace(/^\$\.?/, ''),
    paginator: paginator ? readPaginator(paginator) : { type: 'none' },
    incremental,
    landing,
  };
}

function readAuth(reader: SettingsReader | undefined): RestAuth | undefined {
  if (!reader) return undefined;
  const type = reader.oneOf('type', ['bearer', 'api_key', 'basic'] as const);
  if (!type) throw reader.error(`loader key 'auth.type' is required: bearer, api_key or basic`, undefined, 'auth');
  if (type === 'bearer') {
    reader.allowOnly(['type', 'token']);
    return { type, token: reader.requiredString('token', `token: '{{env "API_TOKEN"}}'`) };
  }
  if (type === 'api_key') {
    reader.allowOnly(['type', 'name', 'api_key', 'location']);
    return { type, name: reader.string('name') ?? 'X-API-Key', apiKey: reader.requiredString('api_key', `api_key: '{{env "API_KEY"}}'`), location: reader.oneOf('location', ['header', 'query'] as const) ?? 'header' };
  }
  reader.allowOnly(['type', 'username', 'password']);
  return { type, username: reader.requiredString('username'), password: reader.requiredString('password', `password: '{{env "API_PASSWORD"}}'`) };
}

function readPaginator(reader: SettingsReader): RestPaginator {
  const type = reader.oneOf('type', PAGINATOR_TYPES);
  if (!type) throw reader.error(`loader key 'paginator.type' is required: ${PAGINATOR_TYPES.join(', ')}`);
  const maxPages = reader.number('max_pages', { min: 1, integer: true });
  switch (type) {
    case 'none':
      reader.allowOnly(['type']);
      return { type };
    case 'page_number':
      reader.allowOnly(['type', 'page_param', 'start_page', 'page_size_param', 'page_size', 'total_pages_path', 'max_pages']);
      return {
        type,
        pageParam: reader.string('page_param') ?? 'page',
        startPage: reader.number('start_page', { integer: true, min: 0 }) ?? 1,
        pageSizeParam: reader.string('page_size_param'),
        pageSize: reader.number('page_size', { integer: true, min: 1 }),
        totalPagesPath: reader.string('total_pages_path'),
        maxPages,
      };
    case 'offset':
      reader.allowOnly(['type', 'offset_param', 'limit_param', 'limit', 'total_path', 'max_pages']);
      return {
        type,
        offsetParam: reader.string('offset_param') ?? 'offset',
        limitParam: reader.string('limit_param') ?? 'limit',
        limit: reader.number('limit', { integer: true, min: 1 }) ?? fail(reader, 'limit', 'limit: 100'),
        totalPath: reader.string('total_path'),
        maxPages,
      };
    case 'cursor':
      reader.allowOnly(['type', 'cursor_path', 'cursor_param', 'max_pages']);
      return { type, cursorPath: reader.requiredString('cursor_path', 'cursor_path: meta.next_cursor'), cursorParam: reader.string('cursor_param') ?? 'cursor', maxPages };
    case 'next_link':
      reader.allowOnly(['type', 'next_path', 'max_pages']);
      return { type, nextPath: reader.requiredString('next_path', 'next_path: links.next'), maxPages };
    case 'link_header':
      reader.allowOnly(['type', 'rel', 'max_pages']);
      return { type, rel: reader.string('rel') ?? 'next', maxPages };
  }
}

function fail(reader: SettingsReader, key: string, hint: string): never {
  throw reader.error(`loader key 'paginator.${key}' is required`, hint);
}
