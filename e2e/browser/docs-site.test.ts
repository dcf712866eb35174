import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDocs } from '../../cli/commands/docs-serve.js';
import { DOCS_PROJECT } from '../docs-fixture.js';
import { removeProject } from '../harness.js';
import { builtDocsSite, openGraph as openSiteGraph, saveScreenshot } from './docs-site-fixture.js';
import { countColours, launchChromium, type Browser } from './launch-chromium.js';

const MODEL_BLUE = '#1c7ed6';
const SEED_TEAL = '#0c8599';

let dir: string;
let browser: Browser;
let indexUrl: string;

beforeAll(async () => {
  ({ dir, indexUrl } = await builtDocsSite(DOCS_PROJECT));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) removeProject(dir);
});

const openGraph = (url: string) => openSiteGraph(browser.page, url);
const shot = (name: string) => saveScreenshot(browser.page, name);

describe('the docs site in Chromium', () => {
  it('renders the lineage graph from file://, every node drawn, no script errors', async () => {
    await openGraph(indexUrl);
    const { page } = browser;
    const rendered = await page.evaluate(() => {
      const r = (window as any).strataDocs.renderer();
      return { order: r.getGraph().order, size: r.getGraph().size, visible: (window as any).strataDocs.visibleCount() };
    });
    // 2 seeds and 6 models; the 4 tests join the rendered graph only when asked for.
    expect(rendered).toEqual({ order: 8, size: 7, visible: 8 });
    expect(await page.textContent('#graph-status')).toBe('8 nodes (tests hidden)');
    const png = await shot('graph.png');
    const colours = await countColours(page, png, [MODEL_BLUE, SEED_TEAL]);
    expect(colours.byColour[MODEL_BLUE]).toBeGreaterThan(50);
    expect(colours.byColour[SEED_TEAL]).toBeGreaterThan(20);
    await page.check('#show-tests');
    const withTests = await page.evaluate(() => ({ order: (window as any).strataDocs.renderer().getGraph().order, size: (window as any).strataDocs.renderer().getGraph().size }));
    expect(withTests).toEqual({ order: 12, size: 11 });
    expect(await page.textContent('#graph-status')).toBe('12 nodes');
    expect(browser.errors).toEqual([]);
  });

  it('a selection typed in the search box focuses exactly those nodes', async () => {
    await openGraph(indexUrl);
    const { page } = browser;
    await page.fill('#search', '+fct_orders');
    await page.press('#search', 'Enter');
    const focused = await page.evaluate(() => (window as any).strataDocs.focused());
    expect(focused).toEqual(['model.shop.fct_orders', 'model.shop.stg_customers', 'model.shop.stg_orders', 'seed.shop.raw_customers', 'seed.shop.raw_orders']);
    expect(await page.textContent('#graph-status')).toBe('5 of 12 nodes selected');
    expect(page.url()).toContain('#graph');
    await shot('graph-focused.png');
    await page.fill('#search', 'tag:finance');
    await page.press('#search', 'Enter');
    // Tests declared on a model carry its tags, as in dbt, so its not_null test is selected too (and shown).
    const finance: string[] = await page.evaluate(() => (window as any).strataDocs.focused());
    expect(finance[0]).toBe('model.shop.fct_orders');
    expect(finance.slice(1)).toEqual([expect.stringMatching(/^test\.shop\.not_null_fct_orders_amount/)]);
    expect(await page.evaluate(() => (window as any).strataDocs.visibleCount())).toBe(2);
    await page.click('#clear-focus');
    expect(await page.evaluate(() => (window as any).strataDocs.focused())).toBeNull();
    await page.fill('#search', 'nosuch:thing');
    await page.press('#search', 'Enter');
    expect(await page.textContent('#graph-status')).toMatch(/unknown method 'nosuch'/);
    expect(browser.errors).toEqual([]);
  });

  it('free-text search finds a model by its description and opens its page', async () => {
    await openGraph(indexUrl);
    const { page } = browser;
    await page.fill('#search', 'revenue lives');
    const item = page.locator('#results li[data-node]').first();
    await item.waitFor();
    expect(await item.textContent()).toContain('fct_orders');
    await item.dispatchEvent('mousedown');
    await page.waitForSelector('#node-view h1:has-text("fct_orders")');
    expect(page.url()).toContain('#node/model.shop.fct_orders');
  });

  it('clicking a node in the graph opens its page', async () => {
    await openGraph(indexUrl);
    const { page } = browser;
    const point = await page.evaluate(() => {
      const docs = (window as any).strataDocs;
      const g = docs.graphData();
      const i = g.id.indexOf('model.shop.fct_orders');
      const r = docs.renderer();
      const p = r.graphToViewport({ x: g.x[i], y: g.y[i] });
      const box = document.getElementById('graph')!.getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    });
    await page.mouse.move(point.x, point.y);
    await page.mouse.click(point.x, point.y);
    await page.waitForFunction(() => location.hash.startsWith('#node/'));
    expect(decodeURIComponent(page.url().split('#')[1])).toBe('node/model.shop.fct_orders');
  });

  it('a model page shows its columns, types, descriptions, tests and upstream columns', async () => {
    const { page } = browser;
    await page.goto(`${indexUrl}#node/model.shop.fct_orders`);
    await page.waitForSelector('#node-view table');
    const rows = await page.$$eval('#node-view h2:has-text("Columns") + table tr', (trs) => trs.slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText.trim())));
    const byName = Object.fromEntries(rows.map((r) => [r[0], r]));
    expect(Object.keys(byName)).toEqual(['order_id', 'customer_name', 'amount', 'paid_amount', 'loaded_on']);
    expect(byName.customer_name.slice(1, 3)).toEqual(['VARCHAR', 'Who placed the order.']);
    expect(byName.customer_name[4]).toBe('stg_customers.name');
    expect(byName.amount[3]).toMatch(/not_null_fct_orders_amount/);
    expect(byName.paid_amount[4].split('\n').sort()).toEqual(['stg_orders.amount', 'stg_orders.status']);
    expect(byName.loaded_on[4]).toMatch(/none/);
    const text = await page.innerText('#node-view');
    expect(text).toContain('owner analytics@example.com');
    expect(text).toContain('Latest result');
    expect(text).toMatch(/success in \d+\.\d\d s/);
    expect(await page.locator('#node-view svg.columns-graph text').count()).toBeGreaterThan(5);
    await shot('model-page.png');
    await page.click('#node-view a:has-text("stg_customers.name")');
    await page.waitForSelector('#node-view h1:has-text("stg_customers")');
    expect(await page.innerText('#node-view')).toContain('raw_customers.name');
  });

  it('a page whose SQL could not be parsed says its column origins are unknown', async () => {
    const { page } = browser;
    await page.goto(`${indexUrl}#node/model.shop.duckdb_only`);
    await page.waitForSelector('#node-view table');
    const text = await page.innerText('#node-view');
    expect(text).toMatch(/Column lineage unknown: the compiled SQL could not be parsed/);
    expect(text).not.toMatch(/stg_orders\.amount/);
  });

  it('the overview shows counts by layer and the last run', async () => {
    const { page } = browser;
    await page.goto(`${indexUrl}#overview`);
    await page.waitForSelector('#overview-view h2');
    const text = await page.innerText('#overview-view');
    expect(text).toMatch(/6\s*models/);
    expect(text).toMatch(/marts\s+4/);
    expect(text).toMatch(/build at .*: success 7, pass 4/);
    await shot('overview.png');
    await page.click('#overview-view tr:has-text("marts") a:has-text("show in graph")');
    await page.waitForFunction(() => (window as any).strataDocs.focused() !== null);
    // The layer's selector is its fqn prefix (shop.marts), which also takes the tests declared there, as in the CLI.
    const focused: string[] = await page.evaluate(() => (window as any).strataDocs.focused());
    expect(focused.filter((id) => id.startsWith('model.'))).toEqual(['model.shop.duckdb_only', 'model.shop.eph_paid', 'model.shop.fct_orders', 'model.shop.fct_paid']);
    expect(focused.filter((id) => !id.startsWith('model.'))).toEqual([expect.stringMatching(/^test\.shop\.not_null_fct_orders_amount/)]);
  });

  it('works the same when served over http by docs serve', async () => {
    const server = await serveDocs(path.join(dir, 'target', 'docs'), { port: 0, host: '127.0.0.1' });
    try {
      await openGraph(server.url);
      expect(await browser.page.evaluate(() => (window as any).strataDocs.renderer().getGraph().order)).toBe(8);
    } finally {
      await server.close();
    }
  });
});
