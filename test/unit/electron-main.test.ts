import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { IpcMain, WebContents } from 'electron';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { MAX_MESSAGE_BYTES } from '../../src-common/rpc/wire.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { DEMO_USERS } from '../../src-main/demo/seed.js';
import { MSG_CHANNEL, RPC_CHANNEL } from '../../src-main/electron/channels.js';
import { createIpcBridge, type IpcBridge } from '../../src-main/electron/ipc.js';
import { appProtocolHandler, resolveRendererFile } from '../../src-main/electron/protocol.js';
import { redirectSqliteAddon } from '../../src-main/electron/native.js';
import type { Logger } from '../../src-main/rpc/dispatcher.js';
import { makeBackend, type TestBackend } from '../support/backend.js';

/** The policy the brief fixes, spelled out here rather than imported, so a silent edit fails. */
const EXPECTED_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const ROOT = join(import.meta.dirname, '..', '..');
/** The Node-ABI addon in node_modules; main.ts is told to load it "as the Electron build", which works under Node too. */
const SQLITE_ADDON = join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

/*
 * A stand-in for the parts of Electron main.ts touches. Each stub behaves like the real object as
 * far as our code can observe: events with listeners, frames with origin/url/ids, send() recorded.
 */
const h = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  class Emitter {
    private readonly listeners = new Map<string, Listener[]>();
    on(name: string, fn: (...args: never[]) => unknown): this {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn as Listener]);
      return this;
    }
    once(name: string, fn: (...args: never[]) => unknown): this {
      const wrapped: Listener = (...args) => {
        this.removeListener(name, wrapped);
        return (fn as Listener)(...args);
      };
      return this.on(name, wrapped);
    }
    removeListener(name: string, fn: (...args: never[]) => unknown): this {
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
  let nextId = 1;
  class Contents extends Emitter {
    readonly id = nextId++;
    mainFrame: Frame;
    readonly sent: [string, unknown][] = [];
    destroyed = false;
    openHandler: ((details: { url: string }) => { action: string }) | null = null;
    constructor(origin = 'app://lavka', url = 'app://lavka/index.html') {
      super();
      this.mainFrame = new Frame(origin, url, 100 + this.id, 1);
    }
    send(channel: string, ...args: unknown[]): void {
      this.sent.push([channel, args[0]]);
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    setWindowOpenHandler(fn: (details: { url: string }) => { action: string }): void {
      this.openHandler = fn;
    }
    reload(): void {}
    destroy(): void {
      this.destroyed = true;
      this.emit('destroyed');
    }
    /** Frames the page received on lavka:msg, parsed. */
    messages(): Record<string, unknown>[] {
      return this.sent.filter(([c]) => c === 'lavka:msg').map(([, text]) => JSON.parse(text as string) as Record<string, unknown>);
    }
  }
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    getPath: vi.fn((name: string) => `/nonexistent/${name}`),
    setPath: vi.fn(),
    setName: vi.fn(),
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => true),
    whenReady: vi.fn(() => Promise.resolve()),
    quit: vi.fn(),
    exit: vi.fn(),
  });
  const windows: Win[] = [];
  class Win extends Emitter {
    readonly webContents = new Contents();
    readonly loaded: string[] = [];
    constructor(readonly options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
      super();
      windows.push(this);
      // Electron announces every new webContents on `app`, the window's own included.
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string): Promise<void> {
      this.loaded.push(url);
      return Promise.resolve();
    }
    show(): void {}
    isDestroyed(): boolean {
      return false;
    }
    isMinimized(): boolean {
      return false;
    }
    restore(): void {}
    focus(): void {}
  }
  const defaultSession = {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
    webRequest: { onBeforeRequest: vi.fn() },
  };
  const electron = {
    app,
    BrowserWindow: Win,
    ipcMain: new Emitter(),
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    session: { defaultSession },
    dialog: { showErrorBox: vi.fn() },
    Menu: { setApplicationMenu: vi.fn() },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from(`sealed:${s}`),
      decryptString: (b: Buffer) => b.toString().replace(/^sealed:/, ''),
    },
  };
  return { Emitter, Frame, Contents, windows, electron };
});

vi.mock('electron', () => ({ ...h.electron, default: h.electron }));

type StubContents = InstanceType<typeof h.Contents>;
type StubFrame = InstanceType<typeof h.Frame>;
const asContents = (c: StubContents): WebContents => c as unknown as WebContents;

function navigation(url: string): { url: string; preventDefault: ReturnType<typeof vi.fn> } {
  return { url, preventDefault: vi.fn() };
}

function request(id: number, method: string, params: Record<string, unknown> = {}): string {
  return JSON.stringify({ id, method, params });
}

/** One turn of the event loop (the effects runner's drain starts on setImmediate). */
function macrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function lastReply(c: StubContents): Record<string, unknown> | undefined {
  return c.messages().filter((m) => 'id' in m).at(-1);
}

describe('Electron main process (main.ts with a stubbed electron)', () => {
  let dataDir: string;
  let consoleLog: MockInstance<typeof console.log>;
  let consoleError: MockInstance<typeof console.error>;
  /** Process listeners main.ts registered (only these are called or removed here, never the worker's own). */
  const added: Record<'SIGINT' | 'SIGTERM' | 'exit', (() => void)[]> = { SIGINT: [], SIGTERM: [], exit: [] };
  const { app, ipcMain, protocol, session } = h.electron;
  /** What main.ts's addon redirect (if any) calls: records the file, then loads it for real. */
  const realDlopen = process.dlopen;
  const dlopenBelow = vi.fn((...args: Parameters<typeof process.dlopen>) => realDlopen.apply(process, args));

  const win = (): InstanceType<typeof h.electron.BrowserWindow> => h.windows[0]!;
  const fromPage = (c: StubContents, frame: StubFrame | null, ...args: unknown[]): void =>
    ipcMain.emit(RPC_CHANNEL, { sender: c, senderFrame: frame }, ...args);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lavka-electron-'));
    process.env.LAVKA_DATA_DIR = dataDir;
    process.env.LAVKA_DEMO_PRODUCTS = '50';
    delete process.env.LAVKA_DEMO;
    delete process.env.LAVKA_APP_ROOT;
    delete process.env.LAVKA_KIOSK;
    consoleLog = vi.spyOn(console, 'log').mockImplementation(() => {});
    consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    process.env.LAVKA_ELECTRON_SQLITE_BINDING = SQLITE_ADDON;
    process.dlopen = dlopenBelow;
    const listenersOf = (name: keyof typeof added): unknown[] => (name === 'exit' ? process.listeners('exit') : process.listeners(name));
    const before = { SIGINT: listenersOf('SIGINT'), SIGTERM: listenersOf('SIGTERM'), exit: listenersOf('exit') };
    await import('../../src-main/electron/main.js');
    await vi.waitFor(() => expect(h.windows).toHaveLength(1));
    // createBackend() kicks the effects runner, whose drain starts after a macrotask; let it finish so
    // closing the store later does not race it (EffectsRunner.drain does not re-check `stopped` after that wait).
    await macrotask();
    for (const name of ['SIGINT', 'SIGTERM', 'exit'] as const) {
      added[name] = listenersOf(name).filter((l) => !before[name].includes(l)) as (() => void)[];
    }
  });
  afterAll(() => {
    // Never leave main.ts's handlers on the test worker's process.
    for (const [name, listeners] of Object.entries(added)) for (const l of listeners) process.removeListener(name, l);
    process.dlopen = realDlopen;
    delete process.env.LAVKA_ELECTRON_SQLITE_BINDING;
    app.emit('will-quit');
    consoleLog.mockRestore();
    consoleError.mockRestore();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('pins userData to the data dir, registers app:// as privileged, enables the sandbox and takes the single-instance lock', () => {
    expect(app.setPath).toHaveBeenCalledWith('userData', dataDir);
    expect(app.enableSandbox).toHaveBeenCalled();
    expect(app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1);
    const [schemes] = protocol.registerSchemesAsPrivileged.mock.calls[0] as [{ scheme: string; privileges: Record<string, boolean> }[]];
    expect(schemes).toHaveLength(1);
    expect(schemes[0]).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true } });
    // Privileges that would weaken the page or expose our files to other origins.
    expect(schemes[0]!.privileges).not.toHaveProperty('bypassCSP');
    expect(schemes[0]!.privileges).not.toHaveProperty('corsEnabled');
    expect(schemes[0]!.privileges).not.toHaveProperty('allowServiceWorkers');
  });

  it('in a checkout, loads better-sqlite3\'s addon from LAVKA_ELECTRON_SQLITE_BINDING (set by npm start)', () => {
    expect(process.dlopen).not.toBe(dlopenBelow);
    dlopenBelow.mockImplementationOnce(() => {});
    process.dlopen({ exports: {} }, join('/somewhere', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'));
    expect(dlopenBelow).toHaveBeenLastCalledWith({ exports: {} }, SQLITE_ADDON);
  });

  it('creates the window with the secure webPreferences and loads the renderer from app://lavka', () => {
    expect(win().options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: join(ROOT, 'dist', 'main', 'preload.cjs'),
    });
    expect(win().loaded).toEqual(['app://lavka/index.html']);
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
  });

  it('prevents navigation to a foreign URL and denies window.open', () => {
    const wc = win().webContents;
    const away = navigation('https://evil.example/phish');
    wc.emit('will-navigate', away, away.url);
    expect(away.preventDefault).toHaveBeenCalled();
    const sneaky = navigation('app://evil/index.html');
    wc.emit('will-navigate', sneaky, sneaky.url);
    expect(sneaky.preventDefault).toHaveBeenCalled();
    const home = navigation('app://lavka/index.html');
    wc.emit('will-navigate', home, home.url);
    expect(home.preventDefault).not.toHaveBeenCalled();
    const redirect = navigation('http://127.0.0.1:9/');
    wc.emit('will-redirect', redirect, redirect.url);
    expect(redirect.preventDefault).toHaveBeenCalled();
    const subframe = navigation('https://evil.example/frame');
    wc.emit('will-frame-navigate', subframe);
    expect(subframe.preventDefault).toHaveBeenCalled();

    expect(wc.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(wc.openHandler?.({ url: 'app://lavka/index.html' })).toEqual({ action: 'deny' });
  });

  it('guards any other webContents Chromium creates', () => {
    const other = new h.Contents('https://evil.example', 'https://evil.example/');
    app.emit('web-contents-created', {}, other);
    const nav = navigation('https://evil.example/next');
    other.emit('will-navigate', nav, nav.url);
    expect(nav.preventDefault).toHaveBeenCalled();
    expect(other.openHandler?.({ url: 'https://evil.example/popup' })).toEqual({ action: 'deny' });
    const webview = { preventDefault: vi.fn() };
    other.emit('will-attach-webview', webview, {}, {});
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('denies every permission and blocks remote requests', () => {
    const { defaultSession } = session;
    const [requestHandler] = defaultSession.setPermissionRequestHandler.mock.calls[0] as [(wc: unknown, p: string, cb: (ok: boolean) => void) => void];
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      const callback = vi.fn();
      requestHandler(win().webContents, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    const [checkHandler] = defaultSession.setPermissionCheckHandler.mock.calls[0] as [() => boolean];
    expect(checkHandler()).toBe(false);
    const [deviceHandler] = defaultSession.setDevicePermissionHandler.mock.calls[0] as [() => boolean];
    expect(deviceHandler()).toBe(false);

    const [filter] = defaultSession.webRequest.onBeforeRequest.mock.calls[0] as [(d: { url: string }, cb: (r: { cancel: boolean }) => void) => void];
    const verdict = (url: string): boolean | undefined => {
      let cancel: boolean | undefined;
      filter({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(verdict('https://cdn.example/lib.js')).toBe(true);
    expect(verdict('ws://127.0.0.1:4710/rpc')).toBe(true);
    expect(verdict('app://lavka/assets/index.js')).toBe(false);
  });

  it('answers a request from our page through the real backend, via webContents.send', () => {
    const wc = win().webContents;
    fromPage(wc, wc.mainFrame, request(1, 'session.users'));
    const reply = lastReply(wc) as { id: number; ok: boolean; result: { name: string }[] };
    expect(reply).toMatchObject({ id: 1, ok: true });
    expect(reply.result.map((u) => u.name)).toEqual(DEMO_USERS.map((u) => u.name));
    expect(wc.sent.every(([channel, text]) => channel === MSG_CHANNEL && typeof text === 'string')).toBe(true);
  });

  it('drops a message from a frame that is not our page, and logs it', () => {
    const wc = win().webContents;
    const before = wc.sent.length;
    const iframe = new h.Frame('app://lavka', 'app://lavka/index.html', wc.mainFrame.processId, 99);
    iframe.parent = wc.mainFrame;
    fromPage(wc, iframe, request(2, 'session.users'));
    expect(wc.sent.length).toBe(before);
    expect(consoleError.mock.calls.map((c) => String(c[0]))).toContainEqual(expect.stringContaining('ipc message dropped'));
  });

  it('serves the renderer through the registered handler with the CSP, refusing traversal', async () => {
    const [, handler] = protocol.handle.mock.calls[0] as [string, (r: Request) => Promise<Response>];
    const res = await handler(new Request('app://lavka/..%2f..%2f..%2f..%2fetc%2fpasswd'));
    expect(res.status).toBe(403);
    expect(res.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
  });

  it('gives a reloaded page a fresh, logged-out connection', () => {
    const wc = win().webContents;
    fromPage(wc, wc.mainFrame, request(3, 'session.users'));
    const users = (lastReply(wc) as { result: { id: number; name: string }[] }).result;
    const cashier = DEMO_USERS.find((u) => u.role === 'cashier')!;
    const userId = users.find((u) => u.name === cashier.name)!.id;
    fromPage(wc, wc.mainFrame, request(4, 'session.login', { userId, pin: cashier.pin }));
    expect(lastReply(wc)).toMatchObject({ id: 4, ok: true });
    fromPage(wc, wc.mainFrame, request(5, 'checkout.current'));
    expect(lastReply(wc)).toMatchObject({ id: 5, ok: true });
    wc.emit('did-navigate', {}, 'app://lavka/index.html');
    fromPage(wc, wc.mainFrame, request(6, 'checkout.current'));
    expect(lastReply(wc)).toMatchObject({ id: 6, ok: false, error: { code: 'unauthenticated' } });
  });

  it('turns SIGINT and SIGTERM into a normal quit (will-quit closes the store), and closes it on exit at the latest', () => {
    expect(added.SIGINT).toHaveLength(1);
    expect(added.SIGTERM).toHaveLength(1);
    expect(added.exit).toHaveLength(1);
    app.quit.mockClear();
    added.SIGTERM[0]!();
    added.SIGINT[0]!();
    expect(app.quit).toHaveBeenCalledTimes(2);
  });

  it('closes the backend and stops listening on quit', () => {
    expect(ipcMain.listenerCount(RPC_CHANNEL)).toBe(1);
    app.emit('will-quit');
    expect(ipcMain.listenerCount(RPC_CHANNEL)).toBe(0);
    expect(consoleLog.mock.calls.map((c) => String(c[0]))).toContainEqual(expect.stringContaining('backend closed'));
    // The exit fallback after will-quit is a no-op: the store is closed once.
    added.exit[0]!();
    expect(consoleLog.mock.calls.filter((c) => String(c[0]).includes('backend closed'))).toHaveLength(1);
  });
});

describe('IPC bridge against a real backend', () => {
  let t: TestBackend;
  let ipcMain: InstanceType<typeof h.Emitter>;
  let bridge: IpcBridge;
  let page: StubContents;
  let dropped: string[];

  const log: Logger = {
    info: () => {},
    error: (msg, data) => {
      if (msg === 'ipc message dropped') dropped.push(String(data?.reason));
    },
  };
  const emitFrom = (sender: StubContents, frame: StubFrame | null, ...args: unknown[]): void =>
    ipcMain.emit(RPC_CHANNEL, { sender, senderFrame: frame }, ...args);

  function attachPage(origin?: string, url?: string): StubContents {
    const c = new h.Contents(origin, url);
    bridge.attach(asContents(c));
    return c;
  }

  async function loginCashier(c: StubContents, firstId: number): Promise<void> {
    emitFrom(c, c.mainFrame, request(firstId, 'session.users'));
    const users = (lastReply(c) as { result: { id: number; name: string }[] }).result;
    const cashier = DEMO_USERS.find((u) => u.role === 'cashier')!;
    emitFrom(c, c.mainFrame, request(firstId + 1, 'session.login', { userId: users.find((u) => u.name === cashier.name)!.id, pin: cashier.pin }));
    expect(lastReply(c)).toMatchObject({ id: firstId + 1, ok: true });
  }

  // One store for the block (opening one costs ~0.4 s); every test gets its own bridge, so its own connections.
  beforeAll(async () => {
    t = makeBackend();
    await t.backend.effects.idle(); // the start-up drain, see the main-process block
  });
  afterAll(async () => {
    await t.backend.effects.idle();
    t.dispose();
  });
  beforeEach(() => {
    ipcMain = new h.Emitter();
    dropped = [];
    bridge = createIpcBridge({ ipcMain: ipcMain as unknown as IpcMain, backend: t.backend, log });
    page = attachPage();
  });
  afterEach(() => bridge.dispose());

  it('answers a valid request with a JSON text frame on lavka:msg', () => {
    emitFrom(page, page.mainFrame, request(7, 'system.info'));
    expect(page.sent).toHaveLength(1);
    const [channel, text] = page.sent[0]!;
    expect(channel).toBe(MSG_CHANNEL);
    expect(typeof text).toBe('string');
    expect(JSON.parse(text as string)).toMatchObject({ id: 7, ok: true });
    expect(dropped).toEqual([]);
  });

  it('answers malformed JSON like the WebSocket transport does', () => {
    emitFrom(page, page.mainFrame, 'not json');
    expect(lastReply(page)).toMatchObject({ id: -1, ok: false, error: { code: 'bad_request' } });
  });

  it.each<[string, () => [StubContents, StubFrame | null]]>([
    ['a webContents that was never attached', () => {
      const stranger = new h.Contents();
      return [stranger, stranger.mainFrame];
    }],
    ['a sub-frame of our page (same origin)', () => {
      const frame = new h.Frame('app://lavka', 'app://lavka/index.html', page.mainFrame.processId, 7);
      frame.parent = page.mainFrame;
      return [page, frame];
    }],
    ['a frame of another process claiming to be the main frame', () => [page, new h.Frame('app://lavka', 'app://lavka/index.html', 999, 1)]],
    ['our window after it navigated to a foreign origin', () => {
      page.mainFrame.origin = 'https://evil.example';
      page.mainFrame.url = 'https://evil.example/';
      return [page, page.mainFrame];
    }],
    ['an origin that says app://lavka on a foreign URL', () => {
      page.mainFrame.url = 'https://evil.example/';
      return [page, page.mainFrame];
    }],
    ['another app:// host', () => {
      page.mainFrame.origin = 'app://evil';
      page.mainFrame.url = 'app://evil/index.html';
      return [page, page.mainFrame];
    }],
    ['a frame that is gone (senderFrame null)', () => [page, null]],
    ['a detached frame', () => {
      page.mainFrame.detached = true;
      return [page, page.mainFrame];
    }],
  ])('drops a valid request from %s', (_name, who) => {
    const [sender, frame] = who();
    emitFrom(sender, frame, request(1, 'session.users'));
    expect(page.sent).toEqual([]);
    expect(sender.sent).toEqual([]);
    expect(dropped).toHaveLength(1);
  });

  it.each<[string, unknown[]]>([
    ['an object', [{ id: 1, method: 'session.users', params: {} }]],
    ['a Buffer', [Buffer.from(request(1, 'session.users'))]],
    ['a number', [42]],
    ['nothing', []],
    ['two strings', [request(1, 'session.users'), request(2, 'session.users')]],
    ['a string over 64 KiB', [JSON.stringify({ id: 1, method: 'session.users', params: {}, pad: 'x'.repeat(MAX_MESSAGE_BYTES) })]],
    // 40,000 UTF-16 units but 80,000 UTF-8 bytes: the limit is in bytes, as on the WebSocket.
    ['a string over 64 KiB in UTF-8 only', [JSON.stringify({ id: 1, method: 'session.users', params: {}, pad: 'я'.repeat(40_000) })]],
  ])('drops %s as the payload', (_name, args) => {
    emitFrom(page, page.mainFrame, ...args);
    expect(page.sent).toEqual([]);
    expect(dropped).toHaveLength(1);
  });

  it('accepts a message of exactly 64 KiB', () => {
    const head = JSON.stringify({ id: 9, method: 'session.users', params: {}, pad: '' });
    const text = head.replace('"pad":""', `"pad":"${'x'.repeat(MAX_MESSAGE_BYTES - head.length)}"`);
    expect(Buffer.byteLength(text)).toBe(MAX_MESSAGE_BYTES);
    emitFrom(page, page.mainFrame, text);
    expect(lastReply(page)).toMatchObject({ id: 9, ok: true });
  });

  it('forwards the events a command publishes, after commit, with their sequence numbers', async () => {
    await loginCashier(page, 1);
    page.sent.length = 0;
    emitFrom(page, page.mainFrame, request(3, 'checkout.scan', { code: DEMO_BARCODES.milk }));
    emitFrom(page, page.mainFrame, request(4, 'checkout.scan', { code: DEMO_BARCODES.bread }));
    const frames = page.messages();
    const events = frames.filter((m) => 'event' in m) as { event: string; seq: number; payload: { receiptId: string | null } }[];
    expect(events.map((e) => e.event)).toEqual(['cart.changed', 'cart.changed']);
    expect(events[1]!.seq).toBeGreaterThan(events[0]!.seq);
    expect(events[0]!.payload.receiptId).not.toBeNull();
    expect(frames.filter((m) => 'id' in m).map((m) => [m.id, m.ok])).toEqual([
      [3, true],
      [4, true],
    ]);
  });

  it('sends events to every attached page, but not to a destroyed one or one showing a foreign origin', async () => {
    const second = attachPage();
    const gone = attachPage();
    const hijacked = attachPage();
    gone.destroy();
    hijacked.mainFrame.origin = 'https://evil.example';
    hijacked.mainFrame.url = 'https://evil.example/';
    expect(bridge.clients()).toBe(3);
    await loginCashier(page, 1);
    const eventsOf = (c: StubContents): string[] => c.messages().flatMap((m) => ('event' in m ? [String(m.event)] : []));
    expect(eventsOf(page)).toEqual(['session.changed']);
    expect(eventsOf(second)).toEqual(['session.changed']);
    expect(gone.sent).toEqual([]);
    expect(hijacked.sent).toEqual([]);
  });

  it('keeps one session per webContents', async () => {
    const other = attachPage();
    await loginCashier(page, 1);
    emitFrom(other, other.mainFrame, request(1, 'checkout.scan', { code: DEMO_BARCODES.milk }));
    expect(lastReply(other)).toMatchObject({ id: 1, ok: false, error: { code: 'unauthenticated' } });
    emitFrom(page, page.mainFrame, request(3, 'checkout.scan', { code: DEMO_BARCODES.milk }));
    expect(lastReply(page)).toMatchObject({ id: 3, ok: true });
  });

  it('stops listening and forwarding after dispose', async () => {
    await loginCashier(page, 1);
    bridge.dispose();
    page.sent.length = 0;
    expect(ipcMain.listenerCount(RPC_CHANNEL)).toBe(0);
    t.backend.dispatcher.publish('cart.changed', { receiptId: null });
    expect(page.sent).toEqual([]);
  });
});

describe('app:// protocol handler', () => {
  let dir: string;
  let renderer: string;
  let handler: (r: Request) => Promise<Response>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lavka-protocol-'));
    renderer = join(dir, 'renderer');
    mkdirSync(join(renderer, 'assets'), { recursive: true });
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Lavka</title>');
    writeFileSync(join(renderer, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'TOP SECRET');
    handler = appProtocolHandler(renderer);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves index.html for / and assets with their types, the CSP and nosniff', async () => {
    const index = await handler(new Request('app://lavka/'));
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>Lavka</title>');
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    const js = await handler(new Request('app://lavka/assets/index-abc.js'));
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
    expect((await handler(new Request('app://lavka/missing.js'))).status).toBe(404);
  });

  it.each([
    'app://lavka/../../etc/passwd',
    'app://lavka/../secret.txt',
    'app://lavka/%2e%2e/secret.txt',
    'app://lavka/..%2fsecret.txt',
    'app://lavka/..%2f..%2f..%2f..%2fetc%2fpasswd',
    'app://lavka/assets/..%2F..%2Fsecret.txt',
    'app://lavka/..%5csecret.txt',
    'app://lavka/index.html%00.js',
    'app://lavka/%E0%A4%A',
    'app://lavka/<absolute path of the secret>',
    'app://evil/index.html',
    'file:///etc/passwd',
  ])('refuses %s', async (pattern) => {
    const url = pattern.replace('<absolute path of the secret>', encodeURIComponent(join(dir, 'secret.txt')));
    const res = await handler(new Request(url));
    expect([403, 404]).toContain(res.status);
    expect(await res.text()).not.toContain('TOP SECRET');
    expect(res.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
  });

  it('resolves only inside the renderer folder', () => {
    expect(resolveRendererFile(renderer, 'app://lavka/..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(resolveRendererFile(renderer, 'app://lavka/..%2fsecret.txt')).toBeNull();
    expect(resolveRendererFile(renderer, 'app://other/index.html')).toBeNull();
    expect(resolveRendererFile(renderer, 'app://lavka/')).toBe(join(renderer, 'index.html'));
    expect(resolveRendererFile(renderer, 'app://lavka/assets/index-abc.js?v=1#x')).toBe(join(renderer, 'assets', 'index-abc.js'));
  });

  it('is read-only', async () => {
    const res = await handler(new Request('app://lavka/index.html', { method: 'POST', body: 'x' }));
    expect(res.status).toBe(405);
  });
});

describe('better-sqlite3 addon redirect (npm start with the Electron binary)', () => {
  const SQLITE = ['node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'];

  it('sends only better-sqlite3\'s addon to the given file, passes flags through, and undoes', () => {
    const calls: [object, string, number | undefined][] = [];
    const original = (module: object, filename: string, flags?: number): void => void calls.push([module, filename, flags]);
    const proc = { dlopen: original };
    const undo = redirectSqliteAddon(proc, '/cache/electron/better_sqlite3.node');
    const m = { exports: {} };
    proc.dlopen(m, `/app/${SQLITE.join('/')}`, 1);
    proc.dlopen(m, `C:\\app\\${SQLITE.join('\\')}`);
    proc.dlopen(m, '/app/node_modules/bufferutil/build/Release/bufferutil.node');
    proc.dlopen(m, '/app/node_modules/not-better-sqlite3/build/Release/better_sqlite3.node');
    expect(calls).toEqual([
      [m, '/cache/electron/better_sqlite3.node', 1],
      [m, '/cache/electron/better_sqlite3.node', undefined],
      [m, '/app/node_modules/bufferutil/build/Release/bufferutil.node', undefined],
      [m, '/app/node_modules/not-better-sqlite3/build/Release/better_sqlite3.node', undefined],
    ]);
    undo();
    expect(proc.dlopen).toBe(original);
  });

  it('is where Node\'s own loader goes for a .node file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lavka-native-'));
    const release = join(dir, ...SQLITE.slice(0, -1));
    mkdirSync(release, { recursive: true });
    writeFileSync(join(release, 'better_sqlite3.node'), 'not an addon');
    writeFileSync(join(dir, 'electron-build.node'), 'not an addon either');
    const undo = redirectSqliteAddon(process, join(dir, 'electron-build.node'));
    try {
      // The loader's error names the file it really tried to open.
      expect(() => createRequire(import.meta.url)(join(release, 'better_sqlite3.node'))).toThrow(/electron-build\.node/);
    } finally {
      undo();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
