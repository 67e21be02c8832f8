import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebContents, WebPreferences } from 'electron';
import type { Logger } from '../rpc/dispatcher.js';
import { isAppUrl } from './protocol.js';

/** What the window gets, and what the tests assert: never weaker in tests than in production. */
export function secureWebPreferences(preload: string, devTools: boolean): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools,
  };
}

const guarded = new WeakSet<WebContents>();

/**
 * Every webContents (our window, and anything else Chromium creates) may show only our own
 * page: navigation and redirects elsewhere are cancelled, new windows and <webview> refused.
 */
export function guardWebContents(contents: WebContents, log: Logger): void {
  if (guarded.has(contents)) return;
  guarded.add(contents);
  const stayHome = (event: { url: string; preventDefault(): void }, kind: string): void => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log.error('navigation blocked', { kind, url: event.url.slice(0, 200) });
  };
  contents.on('will-navigate', (event) => stayHome(event, 'navigate'));
  contents.on('will-frame-navigate', (event) => stayHome(event, 'frame-navigate'));
  contents.on('will-redirect', (event) => stayHome(event, 'redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.error('webview blocked', {});
  });
  contents.setWindowOpenHandler(({ url }) => {
    log.error('window.open blocked', { url: url.slice(0, 200) });
    return { action: 'deny' };
  });
}

/** No camera, geolocation, notifications, WebUSB/WebHID/serial... Devices are driven from the main process, not the page. */
export function lockDownSession(
  ses: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'webRequest'>,
  log: Logger,
): void {
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    log.error('permission request denied', { permission });
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // No remote content, whatever the CSP says. Head-office sync runs in the main process over Node's own
  // HTTP stack, which this session filter does not see.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAppUrl(details.url) || /^(devtools|data|blob):/.test(details.url);
    if (!allowed) log.error('request blocked', { url: details.url.slice(0, 200) });
    callback({ cancel: !allowed });
  });
}

export type WindowClass = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

export interface MainWindowOptions {
  preload: string;
  devTools: boolean;
  kiosk: boolean;
  log: Logger;
}

/** The till's one window. It loads nothing yet: the caller attaches the IPC bridge first. */
export function createMainWindow(Window: WindowClass, opts: MainWindowOptions): BrowserWindow {
  const win = new Window({
    title: 'Lavka POS',
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    kiosk: opts.kiosk,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    webPreferences: secureWebPreferences(opts.preload, opts.devTools),
  });
  guardWebContents(win.webContents, opts.log);
  win.once('ready-to-show', () => win.show());
  reloadAfterCrash(win, opts.log);
  return win;
}

/**
 * A blank screen is worse than a reload: the open receipt lives in SQLite, not in the page.
 * Reloading in a loop would hide the cause, so at most once every 10 s.
 */
export function reloadAfterCrash(win: BrowserWindow, log: Logger): void {
  let lastCrash = 0;
  win.webContents.on('render-process-gone', (_event, details) => {
    log.error('renderer gone', { reason: details.reason, exitCode: details.exitCode });
    if (details.reason === 'clean-exit' || win.isDestroyed()) return;
    const now = Date.now();
    if (now - lastCrash > 10_000) win.webContents.reload();
    lastCrash = now;
  });
}
