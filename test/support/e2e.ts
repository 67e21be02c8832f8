import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { BackendProcess, launchChromium } from './browser.js';

export interface ChromiumTill {
  backend: BackendProcess;
  browser: Browser;
  page: Page;
  /** Uncaught errors in the page: a test ends by asserting there were none. */
  pageErrors: string[];
}

/**
 * For an e2e file: before its tests, the browser-mode backend as a real child process (with `env`)
 * and Chromium with one page on it; after a failed step, a screenshot of what the cashier would
 * have seen; after all, both shut down. The fields are set once the beforeAll has run.
 */
export function chromiumTill(name: string, env: Record<string, string> = {}): ChromiumTill {
  const t = { pageErrors: [] as string[] } as unknown as ChromiumTill;
  beforeAll(async () => {
    t.backend = await BackendProcess.start(env);
    t.browser = await launchChromium();
    t.page = await t.browser.newPage({ viewport: { width: 1366, height: 768 } });
    // Fail a step with Playwright's own message well before the test's 30 s timeout.
    t.page.setDefaultTimeout(10_000);
    t.page.on('pageerror', (e) => t.pageErrors.push(e.message));
    await t.page.goto(t.backend.url);
  });
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail' || !t.page) return;
    const dir = join(tmpdir(), 'lavka-e2e-failures');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name}-${task.name.replace(/[^\p{L}\d]+/gu, '-').slice(0, 80)}.png`);
    await t.page.screenshot({ path: file }).catch(() => {});
    console.error(`e2e failure screenshot: ${file}`);
  });
  afterAll(async () => {
    await t.browser?.close();
    await t.backend?.dispose();
  });
  return t;
}
