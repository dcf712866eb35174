import type { RestPaginator } from './rest-config.js';

/** One page as the paginator sees it. */
export interface PageResponse {
  url: URL;
  body: unknown;
  headers: Headers;
  records: unknown[];
}

/** The URL of the first page: the page or offset parameters of the paginator set. */
export function firstPageUrl(paginator: RestPaginator, url: URL): URL {
  const first = new URL(url);
  if (paginator.type === 'page_number') {
    first.searchParams.set(paginator.pageParam, String(paginator.startPage));
    if (paginator.pageSizeParam && paginator.pageSize) first.searchParams.set(paginator.pageSizeParam, String(paginator.pageSize));
  }
  if (paginator.type === 'offset') {
    first.searchParams.set(paginator.offsetParam, '0');
    first.searchParams.set(paginator.limitParam, String(paginator.limit));
  }
  return first;
}

/** The URL of the page after `page`, or undefined when `page` was the last. */
export function nextPageUrl(paginator: RestPaginator, page: PageResponse): URL | undefined {
  switch (paginator.type) {
    case 'none':
      return undefined;
    case 'page_number': {
      if (!page.records.length) return undefined;
      const current = Number(page.url.searchParams.get(paginator.pageParam) ?? paginator.startPage);
      const total = paginator.totalPagesPath ? Number(valueAt(page.body, paginator.totalPagesPath)) : NaN;
      // Pages count from start_page: with start_page 0, total_pages 3 means pages 0, 1 and 2.
      if (Number.isFinite(total) && current - paginator.startPage + 1 >= total) return undefined;
      if (paginator.pageSize && page.records.length < paginator.pageSize) return undefined;
      const next = new URL(page.url);
      next.searchParams.set(paginator.pageParam, String(current + 1));
      return next;
    }
    case 'offset': {
      if (page.records.length < paginator.limit) return undefined;
      const offset = Number(page.url.searchParams.get(paginator.offsetParam) ?? 0) + page.records.length;
      const total = paginator.totalPath ? Number(valueAt(page.body, paginator.totalPath)) : NaN;
      if (Number.isFinite(total) && offset >= total) return undefined;
      const next = new URL(page.url);
      next.searchParams.set(paginator.offsetParam, String(offset));
      return next;
    }
    case 'cursor': {
      const cursor = valueAt(page.body, paginator.cursorPath);
      if (cursor === undefined || cursor === null || cursor === '' || cursor === false) return undefined;
      const next = new URL(page.url);
      next.searchParams.set(paginator.cursorParam, String(cursor));
      return next;
    }
    case 'next_link': {
      const link = valueAt(page.body, paginator.nextPath);
      if (typeof link !== 'string' || !link) return undefined;
      return new URL(link, page.url);
    }
    case 'link_header': {
      const link = parseLinkHeader(page.headers.get('link'))[paginator.rel];
      return link ? new URL(link, page.url) : undefined;
    }
  }
}

/** The links of an RFC 8288 `Link` header by rel: `<https://a/b?page=2>; rel="next", <...>; rel="last"`. */
export function parseLinkHeader(header: string | null | undefined): Record<string, string> {
  const links: Record<string, string> = {};
  if (!header) return links;
  // Each link: <url> then `; name=value` parameters, where a quoted value may hold commas and semicolons.
  for (const match of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,="]+(?:=(?:"[^"]*"|[^;,]*))?)*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(match[2]);
    for (const name of (rel?.[1] ?? rel?.[2] ?? '').split(/\s+/).filter(Boolean)) links[name.toLowerCase()] ??= match[1];
  }
  return links;
}

/** The value at a dotted path (`data.items`, `meta.pages[0].next`); undefined when a step is missing. */
export function valueAt(value: unknown, path: string): unknown {
  const steps = path.replace(/^\$\.?/, '').split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '');
  let current = value;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Array.isArray(current) && /^\d+$/.test(step) ? current[Number(step)] : (current as Record<string, unknown>)[step];
  }
  return current;
}
