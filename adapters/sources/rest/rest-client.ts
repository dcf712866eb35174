import { parseJsonExact } from '../parse-json-exact.js';
import type { RestAuth, RestSourceSettings } from './rest-config.js';

/** A response body parsed as JSON, with the URL and headers it came with. */
export interface JsonResponse {
  url: URL;
  headers: Headers;
  body: unknown;
}

/**
 * An API answered with something that is not its data: an error status, an HTML page, malformed
 * JSON. The message names the request; the extract runner puts the source and table in front.
 */
export class RestApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestApiError';
  }
}

/** Waits `ms`, or rejects when `signal` aborts. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

const sleepFor: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * GETs JSON from one API with its auth, at most `rate_limit` requests per second (shared by all the
 * source's tables), retrying 429 and 5xx answers and network errors with exponential backoff, and
 * waiting what a Retry-After header asks. Secrets never appear in its messages.
 */
export class RestClient {
  private nextSlot = 0;
  /** Requests sent, retries included. */
  requests = 0;

  constructor(
    private readonly settings: RestSourceSettings,
    private readonly sleep: Sleep = sleepFor,
  ) {}

  /** The body of `url` as JSON. */
  async getJson(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<JsonResponse> {
    const request = this.authorize(url, headers);
    const shown = this.redact(request.url);
    for (let attempt = 0; ; attempt++) {
      await this.takeSlot(signal);
      this.requests++;
      const last = attempt >= this.settings.maxRetries;
      let response: Response;
      try {
        response = await fetch(request.url, { headers: request.headers, signal: AbortSignal.any([signal, AbortSignal.timeout(this.settings.timeoutMs)]), redirect: 'follow' });
      } catch (error) {
        if (signal.aborted) throw signal.reason ?? error;
        const reason = (error as Error).name === 'TimeoutError' ? `timed out after ${this.settings.timeoutMs / 1000} s` : causeText(error);
        if (last) throw new RestApiError(`GET ${shown} failed after ${attempt + 1} attempt${attempt ? 's' : ''}: ${reason}`);
        await this.sleep(this.backoff(attempt), signal);
        continue;
      }
      const text = await response.text();
      if (response.status === 429 || response.status >= 500) {
        if (last) throw new RestApiError(`GET ${shown} returned HTTP ${response.status} after ${attempt + 1} attempt${attempt ? 's' : ''}${snippet(text, response)}`);
        const asked = retryAfterMs(response.headers.get('retry-after'), Date.now());
        await this.sleep(Math.min(asked ?? this.backoff(attempt), this.settings.maxBackoffMs), signal);
        continue;
      }
      if (!response.ok) throw new RestApiError(`GET ${shown} returned HTTP ${response.status}${snippet(text, response)}`);
      if (isHtml(text, response)) throw new RestApiError(`GET ${shown} returned an HTML page instead of JSON (HTTP ${response.status})${snippet(text, response)}`);
      if (!text.trim()) return { url: new URL(response.url || request.url), headers: response.headers, body: null };
      try {
        return { url: new URL(response.url || request.url), headers: response.headers, body: parseJsonExact(text) };
      } catch (error) {
        throw new RestApiError(`GET ${shown} returned malformed JSON (${(error as Error).message}): ${JSON.stringify(text.slice(0, 120))}`);
      }
    }
  }

  /** A URL as messages show it: no user info, the API key parameter masked. */
  redact(url: URL | string): string {
    const shown = new URL(url);
    shown.username = '';
    shown.password = '';
    const auth = this.settings.auth;
    if (auth?.type === 'api_key' && auth.location === 'query' && shown.searchParams.has(auth.name)) shown.searchParams.set(auth.name, '***');
    return shown.toString().replace(/%2A%2A%2A/g, '***');
  }

  private authorize(url: URL, headers: Record<string, string>): { url: string; headers: Record<string, string> } {
    const out = { ...this.settings.headers, ...headers };
    out.accept ??= 'application/json';
    const target = new URL(url);
    const auth: RestAuth | undefined = this.settings.auth;
    if (auth?.type === 'bearer') out.authorization = `Bearer ${auth.token}`;
    if (auth?.type === 'basic') out.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    if (auth?.type === 'api_key' && auth.location === 'header') out[auth.name] = auth.apiKey;
    if (auth?.type === 'api_key' && auth.location === 'query') target.searchParams.set(auth.name, auth.apiKey);
    return { url: target.toString(), headers: out };
  }

  private backoff(attempt: number): number {
    return Math.min(this.settings.backoffMs * 2 ** attempt, this.settings.maxBackoffMs);
  }

  /** Spaces request starts `1 / rate_limit` seconds apart. */
  private async takeSlot(signal: AbortSignal): Promise<void> {
    if (!this.settings.rateLimit) return;
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + 1000 / this.settings.rateLimit;
    if (slot > now) await this.sleep(slot - now, signal);
  }
}

/** Milliseconds a Retry-After header asks for: delta seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function isHtml(text: string, response: Response): boolean {
  return /html/i.test(response.headers.get('content-type') ?? '') || /^\s*<(!doctype|html|head|body|\?xml)/i.test(text);
}

/** A short view of a body for a message: an HTML page's title, else the start of the text. */
function snippet(text: string, response: Response): string {
  if (!text.trim()) return '';
  if (isHtml(text, response)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    const h1 = /<h1[^>]*>([^<]*)<\/h1>/i.exec(text)?.[1]?.trim();
    return `: an HTML page${title || h1 ? ` "${title || h1}"` : ''}`;
  }
  return `: ${JSON.stringify(text.trim().slice(0, 200))}`;
}

function causeText(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
