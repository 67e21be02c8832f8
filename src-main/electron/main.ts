import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session } from 'electron';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createBackend } from '../host/backend.js';
import { demoProductCount } from '../host/paths.js';
import { consoleLogger } from '../rpc/dispatcher.js';
import { createIpcBridge } from './ipc.js';
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

function start(): void {
  mkdirSync(dataDir, { recursive: true });
  const backend = createBackend({
    dbPath: join(dataDir, 'till.sqlite'),
    migrationsDir: app.isPackaged ? join(process.resourcesPath, 'migrations') : join(appRoot, 'migrations'),
    demo: process.env.LAVKA_DEMO === '0' ? false : { products: demoProductCount() },
    log,
  });
  lockDownSession(session.defaultSession, log);
  protocol.handle(APP_SCHEME, appProtocolHandler(join(appRoot, 'dist', 'renderer')));
  if (app.isPackaged) Menu.setApplicationMenu(null);

  const bridge = createIpcBridge({ ipcMain, backend, log });
  const win = createMainWindow(BrowserWindow, {
    preload: join(appRoot, 'dist', 'main', 'preload.cjs'),
    devTools: !app.isPackaged,
    kiosk: process.env.LAVKA_KIOSK === '1',
    log,
  });
  bridge.attach(win.webContents);
  win.webContents.once('did-finish-load', () => {
    // The same machine-readable line browser mode prints.
    log.info('ready', { mode: 'electron', url: APP_ENTRY, dataDir, readyMs: performance.now() - started });
  });
  win.loadURL(APP_ENTRY).catch((e: unknown) => log.error('renderer failed to load', { error: String(e) }));

  app.on('second-instance', () => {
    if (win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  let closed = false;
  // Electron turns SIGINT/SIGTERM into a normal quit, so this runs on Ctrl+C too.
  app.on('will-quit', () => {
    if (closed) return;
    closed = true;
    bridge.dispose();
    backend.close();
    log.info('backend closed', {});
  });
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
