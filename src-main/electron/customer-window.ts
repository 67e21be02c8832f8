import type { BrowserWindow, BrowserWindowConstructorOptions, Display, Screen, WebContents } from 'electron';
import type { Logger } from '../rpc/dispatcher.js';
import { APP_ENTRY } from './protocol.js';
import { guardWebContents, reloadAfterCrash, secureWebPreferences, type WindowClass } from './window.js';

/** `LAVKA_CUSTOMER_SCREEN=0` keeps the second display free (a till whose second monitor is for something else). */
export const CUSTOMER_SCREEN_ENV = 'LAVKA_CUSTOMER_SCREEN';

/** The same page as the till; the renderer shows the customer screen for this hash. */
export const CUSTOMER_ENTRY = `${APP_ENTRY}#view=customer`;

export function customerScreenEnabled(env: Record<string, string | undefined>): boolean {
  return env[CUSTOMER_SCREEN_ENV] !== '0';
}

type DisplayInfo = Pick<Display, 'id' | 'bounds'>;

function sameBounds(a: DisplayInfo['bounds'], b: DisplayInfo['bounds']): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}

/**
 * The display that faces the customer: the first one that is not the primary (the till's), or
 * null when there is only one. A display showing exactly the primary's area is a mirror of the
 * till's screen, not a second screen: covering it would hide the till.
 */
export function chooseCustomerDisplay<D extends DisplayInfo>(displays: readonly D[], primary: DisplayInfo): D | null {
  return displays.find((d) => d.id !== primary.id && !sameBounds(d.bounds, primary.bounds)) ?? null;
}

/** A frameless window covering `display`, with the till window's webPreferences. */
export function customerWindowOptions(display: DisplayInfo, opts: { preload: string; devTools: boolean }): BrowserWindowConstructorOptions {
  const { x, y, width, height } = display.bounds;
  return {
    title: 'Lavka POS — customer screen',
    x,
    y,
    width,
    height,
    frame: false,
    fullscreen: true,
    // A keyboard-wedge scanner types into the focused window: the customer's screen must never take
    // the focus from the till. (On Linux this also keeps it above other windows on that display.)
    focusable: false,
    skipTaskbar: true,
    show: false,
    autoHideMenuBar: true,
    backgroundColor: '#0b1f3a',
    webPreferences: secureWebPreferences(opts.preload, opts.devTools),
  };
}

export interface CustomerScreenDeps {
  screen: Pick<Screen, 'getAllDisplays' | 'getPrimaryDisplay' | 'on' | 'removeListener'>;
  Window: WindowClass;
  /** Connects the window's page to the backend (the IPC bridge, scoped to what the page needs); called before it loads. */
  attach(contents: WebContents): void;
  preload: string;
  devTools: boolean;
  log: Logger;
}

export interface CustomerScreen {
  /** The customer window now, or null (no second display, or disposed). */
  window(): BrowserWindow | null;
  dispose(): void;
}

const DISPLAY_EVENTS = ['display-added', 'display-removed', 'display-metrics-changed'] as const;

/**
 * Keeps a customer window on the second display while there is one: opened now, or when a display
 * is plugged in; moved when the displays change; closed when its display goes, and for good when
 * the till's window closes (so the app quits with it).
 */
export function startCustomerScreen(till: Pick<BrowserWindow, 'once'>, deps: CustomerScreenDeps): CustomerScreen {
  const { log } = deps;
  let current: { win: BrowserWindow; display: DisplayInfo } | null = null;
  let disposed = false;

  const close = (): void => {
    const win = current?.win;
    current = null;
    if (win && !win.isDestroyed()) win.close();
  };

  const open = (display: DisplayInfo): void => {
    const win = new deps.Window(customerWindowOptions(display, deps));
    current = { win, display: { id: display.id, bounds: { ...display.bounds } } };
    guardWebContents(win.webContents, log);
    reloadAfterCrash(win, log);
    deps.attach(win.webContents);
    win.once('ready-to-show', () => win.showInactive());
    win.once('closed', () => {
      if (current?.win === win) current = null;
    });
    win.loadURL(CUSTOMER_ENTRY).catch((e: unknown) => log.error('customer screen failed to load', { error: String(e) }));
    log.info('customer screen opened', { displayId: display.id, bounds: display.bounds });
  };

  const sync = (): void => {
    if (disposed) return;
    try {
      const display = chooseCustomerDisplay(deps.screen.getAllDisplays(), deps.screen.getPrimaryDisplay());
      if (current && display && current.display.id === display.id && sameBounds(current.display.bounds, display.bounds)) return;
      close();
      if (display) open(display);
    } catch (e) {
      // The customer's screen is an extra: whatever goes wrong with it, the till goes on selling.
      log.error('customer screen failed', { error: String(e) });
    }
  };

  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    for (const name of DISPLAY_EVENTS) deps.screen.removeListener(name as 'display-added', sync);
    close();
  };

  for (const name of DISPLAY_EVENTS) deps.screen.on(name as 'display-added', sync);
  till.once('closed', dispose);
  sync();
  return { window: () => current?.win ?? null, dispose };
}
