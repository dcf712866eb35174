import { describe, expect, it } from 'vitest';
import { firstPageUrl, nextPageUrl, parseLinkHeader, valueAt, type PageResponse } from './rest-paginator.js';

const page = (url: string, body: unknown, records: unknown[], headers: Record<string, string> = {}): PageResponse => ({ url: new URL(url), body, records, headers: new Headers(headers) });

describe('REST pagination', () => {
  it('reads RFC 8288 Link headers by rel, quoted or not, several rels in one', () => {
    expect(parseLinkHeader('<https://api.x/o?page=2>; rel="next", <https://api.x/o?page=9>; rel=last, <https://api.x/o?page=1>; rel="first prev"')).toEqual({
      next: 'https://api.x/o?page=2',
      last: 'https://api.x/o?page=9',
      first: 'https://api.x/o?page=1',
      prev: 'https://api.x/o?page=1',
    });
    expect(parseLinkHeader(null)).toEqual({});
    expect(parseLinkHeader('<https://a/b;c,d>; title="x, y"; rel="next"')).toEqual({ next: 'https://a/b;c,d' });
  });

  it('finds values by dotted path with indexes and an optional $', () => {
    const body = { data: { items: [{ id: 1 }] }, meta: { pages: [{ next: 'n' }] } };
    expect(valueAt(body, 'data.items')).toEqual([{ id: 1 }]);
    expect(valueAt(body, '$.meta.pages[0].next')).toBe('n');
    expect(valueAt(body, 'data.missing.deeper')).toBeUndefined();
    expect(valueAt(body, '$')).toBe(body);
  });

  it('page numbers: stop on an empty or short page, or at total_pages counted from start_page', () => {
    const p = { type: 'page_number' as const, pageParam: 'page', startPage: 0, pageSizeParam: 'size', pageSize: 2, totalPagesPath: 'meta.total' };
    expect(firstPageUrl(p, new URL('https://a/o?x=1')).toString()).toBe('https://a/o?x=1&page=0&size=2');
    expect(nextPageUrl(p, page('https://a/o?page=0&size=2', { meta: { total: 3 } }, [1, 2]))?.toString()).toBe('https://a/o?page=1&size=2');
    expect(nextPageUrl(p, page('https://a/o?page=2&size=2', { meta: { total: 3 } }, [1, 2]))).toBeUndefined();
    expect(nextPageUrl(p, page('https://a/o?page=0&size=2', {}, [1]))).toBeUndefined();
    expect(nextPageUrl({ ...p, pageSize: undefined, totalPagesPath: undefined }, page('https://a/o?page=5', {}, []))).toBeUndefined();
  });

  it('offsets advance by the records received and stop at the total; cursors and next links until empty', () => {
    const o = { type: 'offset' as const, offsetParam: 'offset', limitParam: 'limit', limit: 2, totalPath: 'total' };
    expect(firstPageUrl(o, new URL('https://a/o')).toString()).toBe('https://a/o?offset=0&limit=2');
    expect(nextPageUrl(o, page('https://a/o?offset=2&limit=2', { total: 5 }, [1, 2]))?.searchParams.get('offset')).toBe('4');
    expect(nextPageUrl(o, page('https://a/o?offset=2&limit=2', { total: 4 }, [1, 2]))).toBeUndefined();
    const c = { type: 'cursor' as const, cursorPath: 'meta.next', cursorParam: 'after' };
    expect(nextPageUrl(c, page('https://a/o?after=x', { meta: { next: 'y z' } }, [1]))?.toString()).toBe('https://a/o?after=y+z');
    expect(nextPageUrl(c, page('https://a/o', { meta: { next: null } }, [1]))).toBeUndefined();
    const n = { type: 'next_link' as const, nextPath: 'links.next' };
    expect(nextPageUrl(n, page('https://a/v1/o?p=1', { links: { next: '/v1/o?p=2' } }, [1]))?.toString()).toBe('https://a/v1/o?p=2');
    expect(nextPageUrl(n, page('https://a/v1/o?p=1', { links: { next: '' } }, [1]))).toBeUndefined();
    const l = { type: 'link_header' as const, rel: 'next' };
    expect(nextPageUrl(l, page('https://a/o', [], [1], { link: '<https://a/o?page=2>; rel="next"' }))?.toString()).toBe('https://a/o?page=2');
    expect(nextPageUrl(l, page('https://a/o', [], [1], { link: '<https://a/o?page=1>; rel="prev"' }))).toBeUndefined();
  });
});
