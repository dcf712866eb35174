import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One record the test API serves. */
export interface ApiRecord {
  id: number;
  updated_at: string;
  total: number;
  customer: { name: string; tags: string[] };
}

/** A canned answer served instead of the data, once, to the next request of a path. */
export interface CannedResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** A throwaway JSON API on 127.0.0.1 for the REST source tests; the test that starts it stops it. */
export interface RestApiServer {
  url: string;
  /** The data every endpoint pages through (sorted by updated_at, then id); tests add to it. */
  records: ApiRecord[];
  /** Requests received: path, query, and when (ms). */
  requests: { path: string; query: URLSearchParams; at: number }[];
  /** Queues answers for the next requests of `path`, before it serves data again. */
  answerNext(path: string, ...responses: CannedResponse[]): void;
  stop(): Promise<void>;
}

/** Credentials each endpoint demands. */
export const API_CREDENTIALS = { bearer: 'tok-123', apiKey: 'key-456', basic: { username: 'shop', password: 'pw-789' } };

/**
 * Endpoints, each one pagination style and one auth, all filtering by `updated_since` (inclusive,
 * as most APIs are):
 *   /page/orders    ?page=&per_page=     {data, meta: {total_pages}}   bearer
 *   /offset/orders  ?offset=&limit=      {items, total}                X-API-Key header
 *   /cursor/orders  ?cursor=&api_key=    {results, next_cursor}        api_key query parameter
 *   /next/orders    ?after=              {data, links: {next}}         basic
 *   /link/orders    ?page=               [records], Link header        none
 *   /malformed, /html                    a broken body, an HTML error page
 */
export async function startRestApi(): Promise<RestApiServer> {
  const records: ApiRecord[] = [];
  const requests: RestApiServer['requests'] = [];
  const canned = new Map<string, CannedResponse[]>();
  const pageSize = 2;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ path: url.pathname, query: url.searchParams, at: Date.now() });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const queued = canned.get(url.pathname)?.shift();
    if (queued) {
      res.writeHead(queued.status, { 'content-type': 'application/json', ...queued.headers });
      return res.end(queued.body);
    }
    const since = url.searchParams.get('updated_since');
    const data = records
      .filter((r) => !since || Date.parse(r.updated_at) >= Date.parse(since))
      .sort((a, b) => a.updated_at.localeCompare(b.updated_at) || a.id - b.id);
    const unauthorized = () => send(401, { error: 'unauthorized' });
    const int = (name: string, fallback: number) => Number(url.searchParams.get(name) ?? fallback);

    switch (url.pathname) {
      case '/page/orders': {
        if (req.headers.authorization !== `Bearer ${API_CREDENTIALS.bearer}`) return unauthorized();
        const page = int('page', 1);
        const size = int('per_page', pageSize);
        return send(200, { data: data.slice((page - 1) * size, page * size), meta: { page, total_pages: Math.ceil(data.length / size) } });
      }
      case '/offset/orders': {
        if (req.headers['x-api-key'] !== API_CREDENTIALS.apiKey) return unauthorized();
        const offset = int('offset', 0);
        return send(200, { items: data.slice(offset, offset + int('limit', pageSize)), total: data.length });
      }
      case '/cursor/orders': {
        if (url.searchParams.get('api_key') !== API_CREDENTIALS.apiKey) return unauthorized();
        const start = url.searchParams.has('cursor') ? Number(Buffer.from(url.searchParams.get('cursor')!, 'base64url').toString()) : 0;
        const end = start + pageSize;
        return send(200, { results: data.slice(start, end), next_cursor: end < data.length ? Buffer.from(String(end)).toString('base64url') : null });
      }
      case '/next/orders': {
        const { username, password } = API_CREDENTIALS.basic;
        if (req.headers.authorization !== `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`) return unauthorized();
        const after = int('after', 0);
        const next = after + pageSize < data.length ? `/next/orders?after=${after + pageSize}${since ? `&updated_since=${encodeURIComponent(since)}` : ''}` : null;
        return send(200, { data: data.slice(after, after + pageSize), links: { next } });
      }
      case '/link/orders': {
        const page = int('page', 1);
        const pages = Math.max(1, Math.ceil(data.length / pageSize));
        const link = (p: number, rel: string) => `<http://127.0.0.1:${(server.address() as AddressInfo).port}/link/orders?page=${p}${since ? `&updated_since=${encodeURIComponent(since)}` : ''}>; rel="${rel}"`;
        const links = [link(1, 'first'), link(pages, 'last'), ...(page < pages ? [link(page + 1, 'next')] : [])];
        return send(200, data.slice((page - 1) * pageSize, page * pageSize), { link: links.join(', ') });
      }
      case '/malformed':
        return send(200, '{"data": [{"id": 1}, {"id": 2,');
      case '/html':
        return send(200, '<!DOCTYPE html><html><head><title>Service Unavailable - maintenance</title></head><body><h1>Back soon</h1></body></html>', { 'content-type': 'text/html; charset=utf-8' });
      default:
        return send(404, { error: `no route ${url.pathname}` });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    records,
    requests,
    answerNext: (path, ...responses) => canned.set(path, [...(canned.get(path) ?? []), ...responses]),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
