import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { makeProject, strata } from '../harness.js';

// Screenshots stay after the run (one folder, overwritten each time) so a person can look at them.
export const SCREENSHOTS = path.join(os.tmpdir(), 'strata-docs-screenshots');

/** A project of `files` in a temp folder, built and with its docs generated; the caller removes `dir`. */
export async function builtDocsSite(files: Record<string, string>): Promise<{ dir: string; indexUrl: string }> {
  const dir = makeProject(files);
  const build = await strata(dir, 'build');
  expect(build.code, build.output).toBe(0);
  expect((await strata(dir, 'docs', 'generate')).code).toBe(0);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return { dir, indexUrl: pathToFileURL(path.join(dir, 'target', 'docs', 'index.html')).href };
}

/** Opens the site at `url` and waits until its graph has drawn its first frame. */
export async function openGraph(page: Page, url: string, timeout = 15_000): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.graphReady === 'true', null, { timeout });
}

/** Saves a screenshot of the page as SCREENSHOTS/<name> and returns it. */
export async function saveScreenshot(page: Page, name: string): Promise<Buffer> {
  const png = await page.screenshot();
  writeFileSync(path.join(SCREENSHOTS, name), png);
  return png;
}
