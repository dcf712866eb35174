import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compactGraph } from './compact-graph.js';
import type { DocsSiteData } from './docs-site-data.js';

/** The browser libraries the site loads, copied from node_modules next to index.html. */
const VENDOR: Record<string, [string, string]> = {
  'graphology.umd.min.js': ['graphology', 'graphology.umd.min.js'],
  'sigma.min.js': ['sigma', 'sigma.min.js'],
  // Markdown in descriptions; its main file is lib/marked.esm.js, the browser build beside it.
  'marked.umd.js': ['marked', 'marked.umd.js'],
};

/** What was written, for the CLI's summary and the benchmark. */
export interface WrittenSite {
  dir: string;
  files: number;
  bytes: number;
  /** Bytes index.html loads before the graph is interactive (page, styles, scripts, graph data). */
  firstLoadBytes: number;
}

/**
 * Writes the static site: index.html and its assets, the vendored graph libraries, and the data
 * as script files (`data/*.js`) so the site works from file:// where fetch() is not allowed.
 * `scrub` masks secrets in everything written from the project.
 */
export function writeDocsSite(dir: string, data: DocsSiteData, scrub: (text: string) => string = (t) => t): WrittenSite {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  mkdirSync(path.join(dir, 'vendor'), { recursive: true });
  const assets = siteAssetsDir();
  for (const file of readdirSync(assets)) {
    if (file.endsWith('.test.ts')) continue;
    copyFileSync(path.join(assets, file), path.join(dir, file));
  }
  const require = createRequire(import.meta.url);
  // The packages' exports maps hide their browser builds, which sit beside their main files in dist/.
  for (const [name, [pkg, file]] of Object.entries(VENDOR)) copyFileSync(path.join(path.dirname(require.resolve(pkg)), file), path.join(dir, 'vendor', name));
  // JSON.parse of a string is parsed faster by browsers than the same object as a JS literal.
  const script = (call: string, value: unknown, extra = '') => `${call}(${extra}JSON.parse(${JSON.stringify(scrub(JSON.stringify(value)))}));\n`;
  writeFileSync(path.join(dir, 'data', 'graph.js'), script('strataDocsGraph', compactGraph(data.graph)));
  data.pages.forEach((chunk, k) => writeFileSync(path.join(dir, 'data', `pages-${k}.js`), script('strataDocsPages', chunk, `${k}, `)));
  writeFileSync(path.join(dir, 'data', 'search.js'), script('strataDocsSearch', data.search));
  let files = 0;
  let bytes = 0;
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const full = path.join(d, entry);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      else (files++, (bytes += stat.size));
    }
  };
  walk(dir);
  const first = ['index.html', 'style.css', 'app.js', 'selection.js', 'graph-data.js', 'vendor/graphology.umd.min.js', 'vendor/sigma.min.js', 'vendor/marked.umd.js', 'data/graph.js'];
  const firstLoadBytes = first.reduce((sum, f) => sum + (existsSync(path.join(dir, f)) ? statSync(path.join(dir, f)).size : 0), 0);
  return { dir, files, bytes, firstLoadBytes };
}

/**
 * The site's static files live in core/docs/site/ in the source tree; the compiled module in
 * dist/core/docs/ finds them there too, so a fresh clone's `npm run build` needs no copy step.
 */
export function siteAssetsDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'site'), path.resolve(here, '..', '..', '..', 'core', 'docs', 'site')];
  const found = candidates.find((c) => existsSync(path.join(c, 'index.html')));
  if (!found) throw new Error(`the docs site's files are missing (looked in ${candidates.join(' and ')})`);
  return found;
}
