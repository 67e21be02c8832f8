import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBackend } from '../host/backend.js';
import { appVersion, dataDir, demoProductCount } from '../host/paths.js';
import { startBrowserMode } from './server.js';

/** Browser-mode entry: the backend under Node, the renderer in whatever browser opens the URL. */
async function main(): Promise<void> {
  const started = performance.now();
  const appRoot = resolve(process.env.LAVKA_APP_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
  const dir = dataDir(appRoot);
  const backend = createBackend({
    dbPath: join(dir, 'till.sqlite'),
    migrationsDir: join(appRoot, 'migrations'),
    appVersion: appVersion(appRoot),
    // LAVKA_DEMO_SHIFT=0: the demo store starts with no shift open (the first thing to do is open one).
    demo:
      process.env.LAVKA_DEMO === '0'
        ? false
        : { products: demoProductCount(), openShift: process.env.LAVKA_DEMO_SHIFT !== '0', emulatedDevices: process.env.LAVKA_DEMO_DEVICES !== '0', emulatedFiscal: process.env.LAVKA_DEMO_FISCAL === '1' },
    // How often an idle till asks the head office for catalog and price changes (default 30 s).
    ...(process.env.LAVKA_SYNC_PULL_MS ? { sync: { pullIntervalMs: Number(process.env.LAVKA_SYNC_PULL_MS) } } : {}),
  });
  const token = process.env.LAVKA_TOKEN ?? randomBytes(24).toString('base64url');
  const server = await startBrowserMode({
    backend,
    staticDir: join(appRoot, 'dist', 'renderer'),
    token,
    port: Number(process.env.LAVKA_PORT ?? 4710),
  });
  const readyMs = performance.now() - started;
  const customerUrl = customerScreenUrl(server.url);
  // One machine-readable line that tests and benchmarks wait for.
  console.log(JSON.stringify({ level: 'info', msg: 'ready', url: server.url, customerUrl, origin: server.origin, readyMs }));
  console.log(`\n  Lavka POS is running in browser mode: ${server.url}\n  Customer screen (open it on the second monitor): ${customerUrl}\n`);
  openBrowser(server.url, process.env.LAVKA_CUSTOMER_SCREEN === '1' ? customerUrl : null);

  const shutdown = (): void => {
    void server.close().then(() => {
      backend.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

/** The till's URL with view=customer in the hash: the customer-facing screen, same token. */
function customerScreenUrl(tillUrl: string): string {
  const url = new URL(tillUrl);
  const params = new URLSearchParams(url.hash.slice(1));
  params.set('view', 'customer');
  url.hash = params.toString();
  return url.toString();
}

/** The till as a Chromium app window, and with LAVKA_CUSTOMER_SCREEN=1 the customer screen as a second one. */
function openBrowser(url: string, customerUrl: string | null): void {
  if (process.env.LAVKA_NO_BROWSER === '1') return;
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && process.platform === 'linux') return;
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
  if (!chromium) return;
  const open = (appUrl: string): void => {
    const child = spawn(chromium, [`--app=${appUrl}`, '--no-first-run', '--disable-background-networking'], {
      stdio: 'ignore',
      detached: true,
    });
    child.on('error', () => {});
    child.unref();
  };
  open(url);
  // A second launch hands its URL to the running browser; started together, both could race for the
  // profile lock, so the customer window follows once the first has had time to take it.
  if (customerUrl) setTimeout(() => open(customerUrl), 2000).unref();
}

main().catch((e: unknown) => {
  console.error(JSON.stringify({ level: 'error', msg: 'start-up failed', error: e instanceof Error ? e.message : String(e) }));
  process.exit(1);
});
