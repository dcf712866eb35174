import { spawn, spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { serveDocs } from '../../cli/commands/docs-serve.js';
import { DOCS_PROJECT } from '../docs-fixture.js';
import { strata, tempProjects } from '../harness.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(repo, 'dist/cli/bin.js');
const project = tempProjects();

function rawGet(port: number, pathname: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: pathname, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('strata docs serve', () => {
  it('serves the site read-only on 127.0.0.1, nothing outside target/docs', async () => {
    const dir = project(DOCS_PROJECT);
    expect((await strata(dir, 'docs', 'generate', '--empty-catalog')).code).toBe(0);
    const server = await serveDocs(path.join(dir, 'target', 'docs'), { port: 0, host: '127.0.0.1' });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const index = await fetch(server.url);
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toContain('text/html');
      expect(await index.text()).toContain('data/graph.js');
      const graph = await fetch(new URL('data/graph.js', server.url));
      expect(graph.headers.get('content-type')).toContain('javascript');
      expect(await graph.text()).toContain('strataDocsGraph(');
      expect((await fetch(new URL('nothing-here.js', server.url))).status).toBe(404);
      // A path climbing out of the site is refused (sent raw: fetch would normalise the dots away).
      for (const climb of ['/../../project.yml', '/%2e%2e/%2e%2e/project.yml']) {
        const answer = await rawGet(server.port, climb);
        expect([403, 404], climb).toContain(answer.status);
        expect(answer.body).not.toContain('name: shop');
      }
      expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
  });

  it('the built binary generates the site (its assets found from dist/), serves it until SIGTERM, then exits 0', async () => {
    if (!existsSync(bin)) throw new Error('dist/cli/bin.js is missing: run npm run build');
    const dir = project(DOCS_PROJECT);
    const generated = spawnSync(process.execPath, [bin, 'docs', 'generate', '--empty-catalog', '--project-dir', dir], { encoding: 'utf8' });
    expect(generated.status, generated.stdout + generated.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'target', 'docs', 'vendor', 'sigma.min.js'))).toBe(true);
    const child = spawn(process.execPath, [bin, 'docs', 'serve', '--port', '0', '--project-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 15_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /Serving docs at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (match) (clearTimeout(timer), resolve(match[1]));
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Strata docs</title>');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
