import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, screen, session } from 'electron';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createBackend } from '../host/backend.js';
import { appVersion, demoProductCount } from '../host/paths.js';
import { consoleLogger } from '../rpc/dispatcher.js';
import { credentialStoreFor } from './credentials.js';
import { customerScreenEnabled, startCustomerScreen } from './customer-window.js';
import { createIpcBridge, CUSTOMER_SCOPE } from './ipc.js';
import { redirectSqliteAddon, SQLITE_BINDING_ENV } from './native.js';
import { APP_ENTRY, APP_SCHEME, appProtocolHandler, registerAppScheme } from './protocol.js';
import { createMainWindow, guardWebContents, lockDownSession } from './window.js';

/*
 * Electron entry (bundled to dist/main/electron-main.cjs). It mirrors src-main/bridge/main.ts:
 * the same createBackend(), with IPC instead of a WebSocket and app://lavka instead of http://127.0.0.1.
 */

const PRODUCT_NAME = 'Lavka POS';
const started = performance.now();
const log = consoleLogger;
// The bundle sits at <appRoot>/dist/main/ (in development and inside app.asar alike).
const appRoot = resolve(process.env.LAVKA_APP_ROOT ?? join(__dirname, '..', '..'));
// Pinned, not left to Electron: started as `electron dist/main/electron-main.cjs` there is no
// package.json beside the bundle and userData would be ".../Electron". The userData folder is also
// Chromium's profile and the single-instance lock's key, so LAVKA_DATA_DIR moves all three together.
const dataDir = resolve(process.env.LAVKA_DATA_DIR ?? join(app.getPath('appData'), PRODUCT_NAME));
app.setName(PRODUCT_NAME);
app.setPath('userData', dataDir);
registerAppScheme(protocol);
app.enableSandbox();
// `npm start` in a checkout: better-sqlite3 in node_modules is built for Node; use the Electron build beside it.
const devSqliteBinding = app.isPackaged ? undefined : process.env[SQLITE_BINDING_ENV];
if (devSqliteBinding) redirectSqliteAddon(process, devSqliteBinding);

function start(): void {
  mkdirSync(dataDir, { recursive: true });
  const backend = createBackend({
    dbPath: join(dataDir, 'till.sqlite'),
    migrationsDir: app.isPackaged ? join(process.resourcesPath, 'migrations') : join(appRoot, 'migrations'),
    appVersion: appVersion(appRoot),
    demo: process.env.LAVKA_DEMO === '0' ? false : { products: demoProductCount(), emulatedDevices: process.env.LAVKA_DEMO_DEVICES !== '0', emulatedFiscal: process.env.LAVKA_DEMO_FISCAL === '1' },
    log,
    // The head-office credential under the OS keychain where there is one (safeStorage is usable once the app is ready).
    sync: { credentials: credentialStoreFor(safeStorage, join(dataDir, 'sync-credential')) },
  });
  lockDownSession(session.defaultSession, log);
  protocol.handle(APP_SCHEME, appProtocolHandler(join(appRoot, 'dist', 'renderer')));
  if (app.isPackaged) Menu.setApplicationMenu(null);

  const bridge = createIpcBridge({ ipcMain, backend, log });
  const preload = join(appRoot, 'dist', 'main', 'preload.cjs');
  const devTools = !app.isPackaged;
  const win = createMainWindow(BrowserWindow, { preload, devTools, kiosk: process.env.LAVKA_KIOSK === '1', log });
  bridge.attach(win.webContents);
  win.webContents.once('did-finish-load', () => {
    // The same machine-readable line browser mode prints.
    log.info('ready', { mode: 'electron', url: APP_ENTRY, dataDir, readyMs: performance.now() - started });
  });
  win.loadURL(APP_ENTRY).catch((e: unknown) => log.error('renderer failed to load', { error: String(e) }));
  if (customerScreenEnabled(process.env)) {
    try {
      // The customer's screen gets only customer.view (query and event): it has no login and no business with the rest.
      startCustomerScreen(win, { screen, Window: BrowserWindow, attach: (c) => bridge.attach(c, CUSTOMER_SCOPE), preload, devTools, log });
    } catch (e) {
      // An extra: without it the till still sells.
      log.error('customer screen unavailable', { error: String(e) });
    }
  }

  app.on('second-instance', () => {
    if (win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  let closed = false;
  const closeBackend = (): void => {
    if (closed) return;
    closed = true;
    bridge.dispose();
    backend.close();
    log.info('backend closed', {});
  };
  app.on('will-quit', closeBackend);
  // Electron maps Ctrl+C to app.quit() on some platforms only (electron#5273), and a SIGTERM from a
  // service manager or logout does not always reach will-quit: ask for the normal quit explicitly.
  // `once`, so a second signal falls back to the default and ends a stuck process.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());
  // Last resort if the process ends without will-quit (app.exit): closing SQLite is synchronous.
  process.once('exit', closeBackend);
}

function fail(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  log.error('start-up failed', { error: e instanceof Error ? (e.stack ?? message) : message });
  dialog.showErrorBox(`${PRODUCT_NAME} could not start`, message);
  app.exit(1);
}

if (!app.requestSingleInstanceLock()) {
  // The first instance gets 'second-instance' and comes to the front.
  log.info('already running; focusing the open window', {});
  app.quit();
} else {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, log));
  app.on('window-all-closed', () => app.quit());
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => fail(e));
}
