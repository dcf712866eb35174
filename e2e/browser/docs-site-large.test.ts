import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocsManifest, DocsNode } from '../../core/docs/docs-manifest.js';
import { buildDocsSiteData } from '../../core/docs/docs-site-data.js';
import { writeDocsSite } from '../../core/docs/write-docs-site.js';
import { openGraph } from './docs-site-fixture.js';
import { launchChromium, type Browser } from './launch-chromium.js';

// A 6,000-model graph written straight from a synthetic manifest (no warehouse needed): big enough
// for the site's level of detail, where edges are drawn only where few enough reach the screen.
const MODELS = 6000;
let dir: string;
let browser: Browser;

function syntheticManifest(): DocsManifest {
  const nodes: Record<string, DocsNode> = {};
  const parentMap: Record<string, string[]> = {};
  for (let i = 0; i < MODELS; i++) {
    const name = `m_${String(i).padStart(5, '0')}`;
    const id = `model.big.${name}`;
    nodes[id] = { unique_id: id, resource_type: 'model', name, package_name: 'big', original_file_path: `models/${name}.sql`, fqn: ['big', name], database: null, schema: 'main', config: { materialized: 'view' } };
    // Each model reads two earlier ones, a near and a far one, as real projects do.
    parentMap[id] = i < 20 ? [] : [...new Set([i - 1 - (i % 7), Math.floor(i / 3)])].map((p) => `model.big.m_${String(p).padStart(5, '0')}`);
  }
  return { metadata: { project_name: 'big' }, nodes, sources: {}, parent_map: parentMap };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'strata-docs-large-'));
  writeDocsSite(dir, buildDocsSiteData({ manifest: syntheticManifest(), lineage: new Map() }));
  browser = await launchChromium();
  await openGraph(browser.page, pathToFileURL(path.join(dir, 'index.html')).href, 30_000);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const drawnEdges = () => browser.page.evaluate(() => (window as any).strataDocs.drawnEdges() as number);
const setRatio = async (ratio: number) => {
  await browser.page.evaluate((r) => {
    const camera = (window as any).strataDocs.renderer().getCamera();
    camera.setState({ ...camera.getState(), ratio: r });
  }, ratio);
  // The site waits for the camera to rest (120 ms) before it decides which edges to draw.
  await browser.page.waitForTimeout(600);
};

describe('the docs site on a 6,000-model graph', () => {
  it('draws the nodes but not the mass of edges when it shows everything, and says why', async () => {
    const rendered = await browser.page.evaluate(() => ({ order: (window as any).strataDocs.renderer().getGraph().order, size: (window as any).strataDocs.renderer().getGraph().size }));
    // Edges are not even handed to the renderer until some are to be drawn.
    expect(rendered).toEqual({ order: MODELS, size: 0 });
    expect(await drawnEdges()).toBe(0);
    expect(await browser.page.textContent('#graph-status')).toContain('edges appear when you zoom in or select');
  });

  it('draws only the edges near the screen once zoomed in far enough', async () => {
    await setRatio(0.02);
    expect(await browser.page.evaluate(() => (window as any).strataDocs.renderer().getGraph().size)).toBeGreaterThan(10_000);
    const near = await drawnEdges();
    expect(near).toBeGreaterThan(0);
    expect(near).toBeLessThanOrEqual(4000);
    await setRatio(1);
    expect(await drawnEdges()).toBe(0);
  });

  it('a selection of a few nodes shows their edges, handing the renderer only those', async () => {
    await browser.page.reload();
    await browser.page.waitForFunction(() => document.body.dataset.graphReady === 'true', null, { timeout: 30_000 });
    await browser.page.evaluate(() => (window as any).strataDocs.select('2+m_05999'));
    const focused: string[] = await browser.page.evaluate(() => (window as any).strataDocs.focused());
    expect(focused.length).toBeGreaterThan(2);
    expect(focused.length).toBeLessThanOrEqual(7);
    // Every focused node but the root of the walk has an edge to a parent in the set; at most two each.
    const edges = await drawnEdges();
    expect(edges).toBeGreaterThanOrEqual(focused.length - 1);
    expect(edges).toBeLessThanOrEqual(2 * focused.length);
    expect(await browser.page.evaluate(() => (window as any).strataDocs.renderer().getGraph().size)).toBe(edges);
    // Zooming in on everything again brings the rest of the edges.
    await browser.page.evaluate(() => (window as any).strataDocs.select(''));
    await setRatio(0.02);
    expect(await browser.page.evaluate(() => (window as any).strataDocs.renderer().getGraph().size)).toBeGreaterThan(10_000);
    expect(browser.errors).toEqual([]);
  });
});
