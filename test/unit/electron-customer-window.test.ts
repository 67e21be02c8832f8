import type { BrowserWindow, IpcMain, WebContents } from 'electron';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { RPC_CHANNEL } from '../../src-main/electron/channels.js';
import {
  CUSTOMER_ENTRY,
  chooseCustomerDisplay,
  customerScreenEnabled,
  customerWindowOptions,
  startCustomerScreen,
  type CustomerScreen,
} from '../../src-main/electron/customer-window.js';
import { createIpcBridge, CUSTOMER_SCOPE, type IpcBridge } from '../../src-main/electron/ipc.js';
import type { WindowClass } from '../../src-main/electron/window.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { DEMO_USERS } from '../../src-main/demo/seed.js';
import type { Logger } from '../../src-main/rpc/dispatcher.js';
import { makeBackend, type TestBackend } from '../support/backend.js';

/*
 * customer-window.ts imports only electron's types: the window class and `screen` are handed in. The
 * stubbed module proves it: any value taken from 'electron' at run time would throw here.
 */
vi.mock('electron', () => ({}));

type Listener = (...args: unknown[]) => unknown;
class Emitter {
  private readonly listeners = new Map<string, Listener[]>();
  on(name: string, fn: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
    return this;
  }
  once(name: string, fn: Listener): this {
    const wrapped: Listener = (...args) => {
      this.removeListener(name, wrapped);
      return fn(...args);
    };
    return this.on(name, wrapped);
  }
  removeListener(name: string, fn: Listener): this {
    this.listeners.set(name, (this.listeners.get(name) ?? []).filter((l) => l !== fn));
    return this;
  }
  emit(name: string, ...args: unknown[]): void {
    for (const fn of [...(this.listeners.get(name) ?? [])]) fn(...args);
  }
  listenerCount(name: string): number {
    return this.listeners.get(name)?.length ?? 0;
  }
}

let nextId = 1;
class Frame {
  parent: Frame | null = null;
  detached = false;
  constructor(
    public origin: string,
    public url: string,
    public processId: number,
    public routingId: number,
  ) {}
}
class Contents extends Emitter {
  readonly id = nextId++;
  readonly mainFrame = new Frame('app://lavka', CUSTOMER_ENTRY, 100 + this.id, 1);
  readonly sent: [string, string][] = [];
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  send(channel: string, text: string): void {
    this.sent.push([channel, text]);
  }
  isDestroyed(): boolean {
    return false;
  }
  setWindowOpenHandler(fn: (details: { url: string }) => { action: string }): void {
    this.openHandler = fn;
  }
  reload(): void {}
  frames(): Record<string, unknown>[] {
    return this.sent.map(([, text]) => JSON.parse(text) as Record<string, unknown>);
  }
}

const windows: Win[] = [];
class Win extends Emitter {
  readonly webContents = new Contents();
  readonly loaded: string[] = [];
  destroyed = false;
  shownInactive = 0;
  constructor(readonly options: Record<string, unknown>) {
    super();
    windows.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return Promise.resolve();
  }
  showInactive(): void {
    this.shownInactive++;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** As Electron: 'closed' comes after the window is gone. */
  close(): void {
    this.destroyed = true;
    this.emit('closed');
  }
}

interface StubDisplay {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
}
const TILL: StubDisplay = { id: 1, bounds: { x: 0, y: 0, width: 1366, height: 768 } };
const LCD: StubDisplay = { id: 2, bounds: { x: 1366, y: 0, width: 1024, height: 600 } };
const BIG: StubDisplay = { id: 3, bounds: { x: -1920, y: 0, width: 1920, height: 1080 } };

class StubScreen extends Emitter {
  displays: StubDisplay[] = [TILL];
  primary: StubDisplay = TILL;
  failing = false;
  getAllDisplays(): StubDisplay[] {
    if (this.failing) throw new Error('no display server');
    return this.displays;
  }
  getPrimaryDisplay(): StubDisplay {
    return this.primary;
  }
  /** Plug or unplug, then announce it as Electron does. */
  set(displays: StubDisplay[], event: 'display-added' | 'display-removed' | 'display-metrics-changed'): void {
    this.displays = displays;
    this.emit(event, {}, displays.at(-1));
  }
}

describe('choosing the customer display', () => {
  it('is none with only the till display', () => {
    expect(chooseCustomerDisplay([TILL], TILL)).toBeNull();
    expect(chooseCustomerDisplay([], TILL)).toBeNull();
  });

  it('is the display that is not the primary, wherever it is listed', () => {
    expect(chooseCustomerDisplay([TILL, LCD], TILL)).toBe(LCD);
    expect(chooseCustomerDisplay([LCD, TILL], TILL)).toBe(LCD);
    // The LCD made primary by the OS: the customer window goes to the other one.
    expect(chooseCustomerDisplay([TILL, LCD], LCD)).toBe(TILL);
    expect(chooseCustomerDisplay([TILL, BIG, LCD], TILL)).toBe(BIG);
  });

  it('skips a display that mirrors the primary (covering it would hide the till)', () => {
    const mirror = { id: 9, bounds: { ...TILL.bounds } };
    expect(chooseCustomerDisplay([TILL, mirror], TILL)).toBeNull();
    expect(chooseCustomerDisplay([TILL, mirror, LCD], TILL)).toBe(LCD);
  });

  it('is on unless LAVKA_CUSTOMER_SCREEN=0', () => {
    expect(customerScreenEnabled({})).toBe(true);
    expect(customerScreenEnabled({ LAVKA_CUSTOMER_SCREEN: '1' })).toBe(true);
    expect(customerScreenEnabled({ LAVKA_CUSTOMER_SCREEN: '0' })).toBe(false);
  });
});

describe('the customer window options', () => {
  const options = customerWindowOptions(LCD, { preload: '/app/dist/main/preload.cjs', devTools: false });

  it('cover the chosen display exactly, frameless and full screen, never taking the focus', () => {
    expect(options).toMatchObject({ x: 1366, y: 0, width: 1024, height: 600, frame: false, fullscreen: true, focusable: false, show: false });
    const big = customerWindowOptions(BIG, { preload: '/p.cjs', devTools: false });
    expect([big.x, big.y, big.width, big.height]).toEqual([-1920, 0, 1920, 1080]);
  });

  it('have the same secure webPreferences as the till window', () => {
    expect(options.webPreferences).toEqual({
      preload: '/app/dist/main/preload.cjs',
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
      devTools: false,
    });
  });

  it('load the app page with view=customer', () => {
    expect(CUSTOMER_ENTRY).toBe('app://lavka/index.html#view=customer');
  });
});

describe('the customer window following the displays', () => {
  let screen: StubScreen;
  let till: Emitter;
  let attached: Contents[];
  let errors: string[];
  let customer: CustomerScreen;
  const log: Logger = { info: () => {}, error: (msg) => errors.push(msg) };

  const start = (): CustomerScreen =>
    startCustomerScreen(till as unknown as BrowserWindow, {
      screen: screen as never,
      Window: Win as unknown as WindowClass,
      attach: (c) => attached.push(c as unknown as Contents),
      preload: '/p.cjs',
      devTools: false,
      log,
    });
  const open = (): Win[] => windows.filter((w) => !w.destroyed);

  beforeEach(() => {
    windows.length = 0;
    screen = new StubScreen();
    till = new Emitter();
    attached = [];
    errors = [];
  });

  it('opens nothing with one display, then a window on the display plugged in', () => {
    customer = start();
    expect(windows).toEqual([]);
    expect(customer.window()).toBeNull();

    screen.set([TILL, LCD], 'display-added');
    expect(windows).toHaveLength(1);
    const win = windows[0]!;
    expect(customer.window()).toBe(win);
    expect(win.options).toMatchObject({ x: LCD.bounds.x, y: LCD.bounds.y, width: 1024, height: 600, frame: false });
    expect(win.loaded).toEqual([CUSTOMER_ENTRY]);
    // Connected before it loads, guarded like any of our windows, shown without taking the focus.
    expect(attached).toEqual([win.webContents]);
    expect(win.webContents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    win.emit('ready-to-show');
    expect(win.shownInactive).toBe(1);
  });

  it('opens at start on a second display, and closes it when that display is unplugged', () => {
    screen.displays = [TILL, LCD];
    customer = start();
    expect(open()).toHaveLength(1);
    screen.set([TILL], 'display-removed');
    expect(open()).toEqual([]);
    expect(customer.window()).toBeNull();
    screen.set([TILL, BIG], 'display-added');
    expect(open()).toHaveLength(1);
    expect(open()[0]!.options).toMatchObject({ x: -1920, width: 1920, height: 1080 });
  });

  it('keeps its window when an unrelated change comes, and moves it when its display changes size', () => {
    screen.displays = [TILL, LCD];
    customer = start();
    const first = customer.window();
    screen.set([TILL, LCD], 'display-metrics-changed');
    expect(customer.window()).toBe(first);
    expect(windows).toHaveLength(1);
    const resized = { id: LCD.id, bounds: { ...LCD.bounds, width: 800, height: 480 } };
    screen.set([TILL, resized], 'display-metrics-changed');
    expect(open()).toHaveLength(1);
    expect(customer.window()).not.toBe(first);
    expect(open()[0]!.options).toMatchObject({ width: 800, height: 480 });
  });

  it('closes with the till window and stops following the displays', () => {
    screen.displays = [TILL, LCD];
    customer = start();
    expect(screen.listenerCount('display-added')).toBe(1);
    till.emit('closed');
    expect(open()).toEqual([]);
    expect(screen.listenerCount('display-added')).toBe(0);
    expect(screen.listenerCount('display-removed')).toBe(0);
    expect(screen.listenerCount('display-metrics-changed')).toBe(0);
    screen.set([TILL, LCD, BIG], 'display-added');
    expect(open()).toEqual([]);
  });

  it('forgets a window that was closed some other way, and opens a new one at the next display change', () => {
    screen.displays = [TILL, LCD];
    customer = start();
    windows[0]!.close();
    expect(customer.window()).toBeNull();
    screen.set([TILL, LCD], 'display-metrics-changed');
    expect(open()).toHaveLength(1);
  });

  it('logs a failure instead of throwing: the till sells without its customer screen', () => {
    screen.failing = true;
    expect(() => (customer = start())).not.toThrow();
    expect(() => screen.emit('display-added', {}, LCD)).not.toThrow();
    expect(errors).toEqual(['customer screen failed', 'customer screen failed']);
    expect(windows).toEqual([]);
  });
});

describe('the IPC bridge for the customer window (scoped to customer.view)', () => {
  let t: TestBackend;
  let ipcMain: Emitter;
  let bridge: IpcBridge;
  let till: Contents;
  let customerPage: Contents;
  let refused: string[];
  const log: Logger = {
    info: () => {},
    error: (msg, data) => {
      if (msg === 'ipc method refused') refused.push(String(data?.method));
    },
  };
  const request = (c: Contents, id: number, method: string, params: Record<string, unknown> = {}): Record<string, unknown> | undefined => {
    ipcMain.emit(RPC_CHANNEL, { sender: c, senderFrame: c.mainFrame }, JSON.stringify({ id, method, params }));
    return c.frames().filter((m) => 'id' in m).at(-1);
  };
  const events = (c: Contents): string[] => c.frames().flatMap((m) => ('event' in m ? [String(m.event)] : []));

  beforeAll(async () => {
    t = makeBackend();
    await t.backend.effects.idle();
  });
  afterAll(async () => {
    await t.backend.effects.idle();
    t.dispose();
  });
  beforeEach(() => {
    refused = [];
    ipcMain = new Emitter();
    bridge?.dispose();
    bridge = createIpcBridge({ ipcMain: ipcMain as unknown as IpcMain, backend: t.backend, log });
    till = new Contents();
    customerPage = new Contents();
    bridge.attach(till as unknown as WebContents);
    bridge.attach(customerPage as unknown as WebContents, CUSTOMER_SCOPE);
  });

  it('answers customer.view to the customer window', () => {
    const reply = request(customerPage, 1, 'customer.view');
    expect(reply).toMatchObject({ id: 1, ok: true, result: { state: expect.any(String), title: expect.any(String) } });
    expect(refused).toEqual([]);
  });

  it.each(['system.info', 'session.users', 'session.login', 'checkout.current', 'no.such.method'])('refuses %s from the customer window with "forbidden"', (method) => {
    expect(request(customerPage, 7, method)).toEqual({ id: 7, ok: false, error: { code: 'forbidden', message: 'not available in this window' } });
    expect(refused).toEqual([method]);
  });

  it('answers a malformed frame from the customer window as the dispatcher does', () => {
    ipcMain.emit(RPC_CHANNEL, { sender: customerPage, senderFrame: customerPage.mainFrame }, 'not json');
    expect(customerPage.frames().at(-1)).toMatchObject({ id: -1, ok: false, error: { code: 'bad_request' } });
    ipcMain.emit(RPC_CHANNEL, { sender: customerPage, senderFrame: customerPage.mainFrame }, JSON.stringify({ id: 3, params: {} }));
    expect(customerPage.frames().at(-1)).toMatchObject({ id: 3, ok: false, error: { code: 'bad_request' } });
  });

  it('still gives the till window the whole contract', () => {
    expect(request(till, 1, 'system.info')).toMatchObject({ id: 1, ok: true });
    expect(request(till, 2, 'customer.view')).toMatchObject({ id: 2, ok: true });
  });

  it('sends the customer window the customer.view event only; the till window gets every event', async () => {
    const users = request(till, 1, 'session.users') as { result: { id: number; name: string }[] };
    const cashier = DEMO_USERS.find((u) => u.role === 'cashier')!;
    expect(request(till, 2, 'session.login', { userId: users.result.find((u) => u.name === cashier.name)!.id, pin: cashier.pin })).toMatchObject({ ok: true });
    expect(request(till, 3, 'checkout.scan', { code: DEMO_BARCODES.milk })).toMatchObject({ ok: true });
    t.backend.dispatcher.publish('device.status', { deviceId: 'printer', status: 'connected' });
    // The customer view follows the cart once the cart's own event has gone out to everyone.
    await new Promise((r) => setImmediate(r));

    expect(events(till)).toEqual(expect.arrayContaining(['session.changed', 'cart.changed', 'customer.view', 'device.status']));
    expect(new Set(events(customerPage))).toEqual(new Set(['customer.view']));
    const last = customerPage.frames().filter((m) => m.event === 'customer.view').at(-1) as { payload: { state: string; lines: unknown[] } };
    expect(last.payload).toMatchObject({ state: 'basket', lines: [expect.anything()] });
  });
});
