import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { UserError } from '../../core/errors/user-error.js';
import { readProjectFile } from '../../core/project/project-file.js';
import type { Logger } from '../output/logger.js';
import { docsSiteDir } from './docs.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** A running docs server. */
export interface DocsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves the static site in `dir` on host:port (port 0: any free port). Read-only; nothing outside `dir`. */
export async function serveDocs(dir: string, options: { port: number; host: string }): Promise<DocsServer> {
  const root = path.resolve(dir);
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    const file = path.resolve(root, `.${pathname.endsWith('/') ? `${pathname}index.html` : pathname}`);
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    let size: number;
    try {
      const stat = statSync(file);
      if (!stat.isFile()) throw new Error('not a file');
      size = stat.size;
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-length': size, 'cache-control': 'no-cache' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new UserError(`port ${options.port} is already in use`, { hint: 'pick another with --port, or --port 0 for any free port' }) : error),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/`,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Parses --port. */
export function parsePort(text: string | undefined): number {
  if (text === undefined) return 8080;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UserError(`--port must be a whole number from 0 to 65535, got '${text}'`);
  return n;
}

export interface DocsServeOptions {
  port?: string;
  host: string;
  projectDir?: string;
}

/** `docs serve`: serves target/docs/ until SIGINT or SIGTERM. Returns the exit code. */
export async function runDocsServe(options: DocsServeOptions, logger: Logger): Promise<number> {
  const root = path.resolve(options.projectDir ?? process.cwd());
  const dir = docsSiteDir(path.resolve(root, readProjectFile(root).targetPath));
  const server = await serveDocs(dir, { port: parsePort(options.port), host: options.host });
  logger.info(`Serving docs at ${server.url} (press Ctrl-C to stop)`, 'docs_serving', { url: server.url, port: server.port });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}
