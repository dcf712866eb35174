import { createHash } from 'node:crypto';
import type { ExtractLoad, ExtractRequest, SourceAdapter, SourceConnection, SourceLoaderConfig } from '../../../core/extract/source-adapter.js';
import { RestApiError, RestClient, type JsonResponse } from './rest-client.js';
import { readRestSourceSettings, readRestTableSettings, type RestSourceSettings, type RestTableSettings } from './rest-config.js';
import { firstPageUrl, nextPageUrl, valueAt } from './rest-paginator.js';

/** An incremental table's extract state: the newest cursor value landed, and the records landed at it. */
export interface RestState {
  cursor: string | number | null;
  /** Keys (primary key values, else a hash) of the records whose cursor equals `cursor`: an API asked `since` it sends them again. */
  keys_at_cursor: string[];
}

/** JSON APIs over HTTP (`loader.type: rest`): declarative endpoints, one load per table per run. */
export class RestSource implements SourceAdapter {
  readonly type = 'rest';

  validate(source: SourceLoaderConfig): void {
    readRestSourceSettings(source);
    for (const table of source.tables) readRestTableSettings(source, table);
  }

  async connect(source: SourceLoaderConfig): Promise<SourceConnection> {
    const settings = readRestSourceSettings(source);
    return new RestConnection(source, settings, new RestClient(settings));
  }
}

/** One API: the client (and its rate limit) is shared by the source's tables. */
export class RestConnection implements SourceConnection {
  constructor(
    readonly source: SourceLoaderConfig,
    readonly settings: RestSourceSettings,
    readonly client: RestClient,
  ) {}

  async *extract(request: ExtractRequest): AsyncIterable<ExtractLoad> {
    const table = readRestTableSettings(this.source, request.table);
    const { landing } = table;
    const previous = request.fullRefresh ? undefined : asState(request.state);
    const incremental = landing.cursorField !== undefined && landing.disposition !== 'replace';
    const since = previous?.cursor ?? table.incremental?.initialValue;
    const url = endpointUrl(this.settings.baseUrl, table.path);
    for (const [name, value] of Object.entries({ ...this.settings.params, ...table.params })) url.searchParams.set(name, value);
    if (table.incremental && since !== undefined && since !== null) url.searchParams.set(table.incremental.param, String(since));

    const tracker = new CursorTracker(landing.cursorField, landing.primaryKey, previous);
    // The first page is fetched before the load starts: nothing new and no more pages means no load at all.
    const first = await this.page(firstPageUrl(table.paginator, url), table, request.signal);
    const firstRecords = first.records.filter((r) => !incremental || tracker.isNew(r));
    if (!firstRecords.length && !first.next && landing.disposition !== 'replace') return;

    const client = this;
    const rows = (async function* () {
      const seen = new Set([first.response.url.toString()]);
      let page = first;
      let records = firstRecords;
      for (let n = 1; ; n++) {
        for (const record of records) {
          tracker.see(record);
          yield record;
        }
        if (!page.next) return;
        if (table.paginator.type !== 'none' && table.paginator.maxPages !== undefined && n >= table.paginator.maxPages) return;
        if (seen.has(page.next.toString())) throw new RestApiError(`the paginator asks for ${client.client.redact(page.next)} again; its settings do not fit this API`);
        seen.add(page.next.toString());
        page = await client.page(page.next, table, request.signal);
        records = page.records.filter((r) => !incremental || tracker.isNew(r));
      }
    })();
    yield {
      rows,
      schema: landing.schema,
      format: landing.format,
      disposition: landing.disposition,
      primaryKey: landing.primaryKey,
      cursorField: landing.cursorField,
      state: () => (landing.cursorField ? (tracker.state() as unknown as Record<string, unknown>) : {}),
    };
  }

  async close(): Promise<void> {}

  /** One page: its records (objects) and the URL of the next page. */
  private async page(url: URL, table: RestTableSettings, signal: AbortSignal): Promise<{ response: JsonResponse; records: Record<string, unknown>[]; next?: URL }> {
    const response = await this.client.getJson(url, table.headers, signal);
    const found = table.recordsPath ? valueAt(response.body, table.recordsPath) : response.body;
    let records: unknown[];
    if (Array.isArray(found)) records = found;
    else if (found === undefined || found === null) {
      if (response.body === null) records = [];
      else if (table.recordsPath) throw new RestApiError(`GET ${this.client.redact(response.url)} has no records at '${table.recordsPath}' (${topKeys(response.body)})`);
      else throw new RestApiError(`GET ${this.client.redact(response.url)} returned ${kindOf(response.body)}, not a list of records; set records_path (${topKeys(response.body)})`);
    } else throw new RestApiError(`'${table.recordsPath || '$'}' in the response of GET ${this.client.redact(response.url)} is ${kindOf(found)}, not a list of records`);
    const bad = records.findIndex((r) => typeof r !== 'object' || r === null || Array.isArray(r));
    if (bad >= 0) throw new RestApiError(`record ${bad} of GET ${this.client.redact(response.url)} is ${kindOf(records[bad])}, not an object`);
    return { response, records: records as Record<string, unknown>[], next: nextPageUrl(table.paginator, { url: response.url, body: response.body, headers: response.headers, records }) };
  }
}

/** `base_url` joined with a table's `path` (which may also be a whole URL). */
export function endpointUrl(baseUrl: string, path: string): URL {
  if (/^https?:\/\//i.test(path)) return new URL(path);
  return new URL(`${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`.replace(/\/$/, '') || baseUrl);
}

/** The newest cursor value seen, and which records share it; skips records an earlier load landed. */
class CursorTracker {
  private max: string | number | null;
  private keys: Set<string>;

  constructor(
    private readonly field: string | undefined,
    private readonly primaryKey: string[] | undefined,
    private readonly previous: RestState | undefined,
  ) {
    this.max = previous?.cursor ?? null;
    this.keys = new Set(previous?.keys_at_cursor ?? []);
  }

  /** False for a record at or before the previous run's cursor that it landed already. */
  isNew(record: Record<string, unknown>): boolean {
    if (!this.field || !this.previous || this.previous.cursor === null) return true;
    const value = cursorValue(record[this.field]);
    if (value === null) return true;
    const order = compareCursor(value, this.previous.cursor);
    return order > 0 || (order === 0 && !this.previous.keys_at_cursor.includes(this.keyOf(record)));
  }

  see(record: Record<string, unknown>): void {
    if (!this.field) return;
    const value = cursorValue(record[this.field]);
    if (value === null) return;
    const order = this.max === null ? 1 : compareCursor(value, this.max);
    if (order > 0) {
      this.max = value;
      this.keys = new Set();
    }
    if (order >= 0) this.keys.add(this.keyOf(record));
  }

  state(): RestState {
    return { cursor: this.max, keys_at_cursor: [...this.keys].sort() };
  }

  private keyOf(record: Record<string, unknown>): string {
    if (this.primaryKey?.length) return JSON.stringify(this.primaryKey.map((k) => record[k] ?? null));
    return createHash('sha256').update(JSON.stringify(record)).digest('hex').slice(0, 32);
  }
}

function cursorValue(value: unknown): string | number | null {
  if (typeof value === 'number' || typeof value === 'string') return value;
  return value === null || value === undefined ? null : String(value);
}

/** Numbers by value, timestamps by instant (`...Z` and `+00:00` alike), other text as text. */
export function compareCursor(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  const ta = typeof a === 'string' && /^\d{4}-\d{2}-\d{2}/.test(a) ? Date.parse(a) : NaN;
  const tb = typeof b === 'string' && /^\d{4}-\d{2}-\d{2}/.test(b) ? Date.parse(b) : NaN;
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return ta - tb;
  if (!Number.isNaN(ta) && !Number.isNaN(tb)) return 0;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function asState(state: Record<string, unknown> | undefined): RestState | undefined {
  if (!state || !('cursor' in state)) return undefined;
  const cursor = typeof state.cursor === 'number' || typeof state.cursor === 'string' ? state.cursor : null;
  const keys = Array.isArray(state.keys_at_cursor) ? state.keys_at_cursor.filter((k): k is string => typeof k === 'string') : [];
  return { cursor, keys_at_cursor: keys };
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function topKeys(body: unknown): string {
  if (Array.isArray(body)) return 'the body is a list';
  return `top-level keys: ${body && typeof body === 'object' ? Object.keys(body).slice(0, 10).join(', ') || 'none' : 'none'}`;
}
