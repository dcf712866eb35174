import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_PROJECT } from '../docs-fixture.js';
import { removeProject } from '../harness.js';
import { builtDocsSite, openGraph as openSiteGraph, saveScreenshot } from './docs-site-fixture.js';
import { countColours, launchChromium, type Browser } from './launch-chromium.js';

const EXPOSURE_ORANGE = '#f08c00';
const EXPOSURES = `version: 2
exposures:
  - name: exec_revenue
    label: Executive revenue
    type: dashboard
    maturity: high
    url: https://bi.example.com/dashboards/7
    description: "The board's **weekly** revenue view, see [the board](https://bi.example.com/7). <b>raw</b> [bad](javascript:alert(1))"
    owner:
      name: Finance analytics
      email: finance@example.com
    depends_on:
      - ref('fct_orders')
      - ref('fct_paid')
`;

let dir: string;
let browser: Browser;
let indexUrl: string;

beforeAll(async () => {
  ({ dir, indexUrl } = await builtDocsSite({ ...DOCS_PROJECT, 'models/marts/exposures.yml': EXPOSURES }));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) removeProject(dir);
});

const openGraph = (url: string) => openSiteGraph(browser.page, url);

describe('exposures on the docs site in Chromium', () => {
  it('an exposure is drawn in the graph, right of what it depends on, in its own colour', async () => {
    await openGraph(indexUrl);
    const { page } = browser;
    const drawn = await page.evaluate(() => {
      const docs = (window as any).strataDocs;
      const g = docs.graphData();
      const i = g.id.indexOf('exposure.shop.exec_revenue');
      const r = docs.renderer();
      return { inGraph: r.getGraph().hasNode(i), x: g.x[i], parents: ['model.shop.fct_orders', 'model.shop.fct_paid'].map((id) => g.x[g.id.indexOf(id)]) };
    });
    expect(drawn.inGraph).toBe(true);
    for (const x of drawn.parents) expect(drawn.x).toBeGreaterThan(x);
    expect(await page.innerText('#legend')).toContain('exposure');
    const png = await saveScreenshot(page, 'graph-exposure.png');
    expect((await countColours(page, png, [EXPOSURE_ORANGE])).byColour[EXPOSURE_ORANGE]).toBeGreaterThan(20);
    expect(browser.errors).toEqual([]);
  });

  it('+exposure:x in the search box focuses the exposure and everything upstream', async () => {
    await openGraph(indexUrl);
    const { page } = browser;
    await page.fill('#search', '+exposure:exec_revenue');
    await page.press('#search', 'Enter');
    const focused: string[] = await page.evaluate(() => (window as any).strataDocs.focused());
    expect(focused.filter((id) => !id.startsWith('test.'))).toEqual([
      'exposure.shop.exec_revenue',
      'model.shop.eph_paid',
      'model.shop.fct_orders',
      'model.shop.fct_paid',
      'model.shop.stg_customers',
      'model.shop.stg_orders',
      'seed.shop.raw_customers',
      'seed.shop.raw_orders',
    ]);
  });

  it('search finds the exposure by its label and its page shows owner, type, maturity, url and upstream nodes', async () => {
    await openGraph(indexUrl);
    const { page } = browser;
    await page.fill('#search', 'executive');
    const item = page.locator('#results li[data-node]').first();
    await item.waitFor();
    expect(await item.textContent()).toContain('exec_revenue');
    await item.dispatchEvent('mousedown');
    await page.waitForSelector('#node-view table.exposure');
    expect(decodeURIComponent(page.url().split('#')[1])).toBe('node/exposure.shop.exec_revenue');
    expect(await page.innerText('#node-view h1')).toContain('exec_revenue');
    expect(await page.innerText('.exposure-type')).toBe('dashboard');
    expect(await page.innerText('.exposure-maturity')).toBe('high');
    expect(await page.innerText('.exposure-label')).toBe('Executive revenue');
    expect(await page.innerText('.exposure-owner')).toBe('Finance analytics, finance@example.com');
    expect(await page.getAttribute('.exposure-email', 'href')).toBe('mailto:finance@example.com');
    expect(await page.getAttribute('a.exposure-url', 'href')).toBe('https://bi.example.com/dashboards/7');
    const text = await page.innerText('#node-view');
    expect(text).toContain("The board's weekly revenue view, see the board.");
    // The description is markdown, as on dbt's site; HTML in it is text, and a javascript: link is no link.
    expect(await page.innerText('#node-view .description strong')).toBe('weekly');
    expect(await page.$$eval('#node-view .description a', (as) => as.map((a) => [a.textContent, a.getAttribute('href')]))).toEqual([['the board', 'https://bi.example.com/7']]);
    expect(await page.$$eval('#node-view .description b', (bs) => bs.length)).toBe(0);
    expect(text).toContain('<b>raw</b> bad');
    const upstream = await page.$$eval('#node-view h2:has-text("Depends on") + ul a', (as) => as.map((a) => a.textContent));
    expect(upstream.sort()).toEqual(['fct_orders', 'fct_paid']);
    await saveScreenshot(page, 'exposure-page.png');
    await page.click('#node-view a:has-text("fct_orders")');
    await page.waitForSelector('#node-view h1:has-text("fct_orders")');
    // The model's page lists the exposure among what uses it.
    expect(await page.$$eval('#node-view h2:has-text("Referenced by") + ul a', (as) => as.map((a) => a.textContent))).toContain('exec_revenue');
    expect(browser.errors).toEqual([]);
  });

  it('the overview counts exposures', async () => {
    const { page } = browser;
    await page.goto(`${indexUrl}#overview`);
    await page.waitForSelector('#overview-view h2');
    expect(await page.innerText('#overview-view')).toMatch(/1\s*exposures/);
    const row = await page.$$eval('#overview-view h2:has-text("Exposures") + table tr', (trs) => trs.slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText.trim())));
    expect(row).toEqual([['exec_revenue', 'dashboard', 'high', 'Finance analytics']]);
    await page.click('#overview-view a:has-text("exec_revenue")');
    await page.waitForSelector('#node-view table.exposure');
  });
});
