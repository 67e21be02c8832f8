import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_MESSAGE_BYTES } from '../../src-common/rpc/wire.js';
import { PRELOAD_MAX_MESSAGE_BYTES, type LavkaIpc } from '../../src-main/electron/channels.js';

/** A stand-in for the sandboxed preload's `electron`: contextBridge records, ipcRenderer keeps listeners. */
const h = vi.hoisted(() => {
  type Listener = (event: unknown, ...args: unknown[]) => void;
  const listeners = new Map<string, Listener[]>();
  const ipcRenderer = {
    send: vi.fn(),
    sendSync: vi.fn(),
    invoke: vi.fn(),
    postMessage: vi.fn(),
    on: vi.fn((channel: string, fn: Listener) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), fn]);
      return ipcRenderer;
    }),
    removeListener: vi.fn((channel: string, fn: Listener) => {
      listeners.set(channel, (listeners.get(channel) ?? []).filter((l) => l !== fn));
      return ipcRenderer;
    }),
  };
  const contextBridge = { exposeInMainWorld: vi.fn(), exposeInIsolatedWorld: vi.fn() };
  /** What the main process's webContents.send would deliver: a real-looking event plus the payload. */
  const deliver = (channel: string, ...args: unknown[]): void => {
    const event = { sender: ipcRenderer, senderId: 0, ports: [] };
    for (const fn of [...(listeners.get(channel) ?? [])]) fn(event, ...args);
  };
  return { ipcRenderer, contextBridge, listeners, deliver };
});

vi.mock('electron', () => ({ contextBridge: h.contextBridge, ipcRenderer: h.ipcRenderer }));

let api: LavkaIpc;

beforeAll(async () => {
  await import('../../src-main/electron/preload.js');
  api = h.contextBridge.exposeInMainWorld.mock.calls[0]?.[1] as LavkaIpc;
});
beforeEach(() => {
  h.ipcRenderer.send.mockClear();
});

describe('preload', () => {
  it('exposes exactly window.lavkaIpc with send and onMessage, and nothing else', () => {
    expect(h.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(h.contextBridge.exposeInMainWorld.mock.calls[0]![0]).toBe('lavkaIpc');
    expect(h.contextBridge.exposeInIsolatedWorld).not.toHaveBeenCalled();
    expect(Reflect.ownKeys(api).sort()).toEqual(['onMessage', 'send']);
    expect(typeof api.send).toBe('function');
    expect(typeof api.onMessage).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('sends one string on lavka:rpc and nothing else', () => {
    api.send('{"id":1,"method":"system.info","params":{}}');
    expect(h.ipcRenderer.send).toHaveBeenCalledTimes(1);
    expect(h.ipcRenderer.send).toHaveBeenCalledWith('lavka:rpc', '{"id":1,"method":"system.info","params":{}}');
    expect(h.ipcRenderer.sendSync).not.toHaveBeenCalled();
    expect(h.ipcRenderer.invoke).not.toHaveBeenCalled();
    expect(h.ipcRenderer.postMessage).not.toHaveBeenCalled();
  });

  it('refuses anything but a string', () => {
    for (const bad of [{ id: 1 }, 42, null, undefined, new Uint8Array([1])]) {
      expect(() => api.send(bad as unknown as string)).toThrow(TypeError);
    }
    expect(h.ipcRenderer.send).not.toHaveBeenCalled();
  });

  it('fails fast on a frame the main process would drop (over 64 KiB of UTF-8)', () => {
    expect(PRELOAD_MAX_MESSAGE_BYTES).toBe(MAX_MESSAGE_BYTES);
    expect(() => api.send('x'.repeat(MAX_MESSAGE_BYTES + 1))).toThrow(RangeError);
    expect(() => api.send('я'.repeat(MAX_MESSAGE_BYTES / 2 + 1))).toThrow(RangeError);
    expect(h.ipcRenderer.send).not.toHaveBeenCalled();
    api.send('x'.repeat(MAX_MESSAGE_BYTES));
    api.send('я'.repeat(MAX_MESSAGE_BYTES / 2));
    expect(h.ipcRenderer.send).toHaveBeenCalledTimes(2);
  });

  it('delivers only the text of lavka:msg frames, never the IPC event, until unsubscribed', () => {
    const cb = vi.fn();
    const off = api.onMessage(cb);
    h.deliver('lavka:msg', '{"event":"cart.changed","seq":1,"payload":{"receiptId":null}}');
    h.deliver('lavka:msg', { not: 'a string' });
    h.deliver('some:other-channel', 'ignored');
    expect(cb.mock.calls).toEqual([['{"event":"cart.changed","seq":1,"payload":{"receiptId":null}}']]);
    off();
    h.deliver('lavka:msg', '{"id":1}');
    expect(cb).toHaveBeenCalledTimes(1);
    expect(h.listeners.get('lavka:msg')).toEqual([]);
  });

  it('refuses a non-function listener', () => {
    expect(() => api.onMessage('x' as unknown as (text: string) => void)).toThrow(TypeError);
  });
});

const BUNDLE = join(import.meta.dirname, '..', '..', 'dist', 'main', 'preload.cjs');

describe('the built preload bundle', () => {
  // Built by `node scripts/build.mjs --main-only`; `npm test` builds before it runs vitest.
  it.skipIf(!existsSync(BUNDLE))('requires only electron (a sandboxed preload gets nothing else) and exposes only lavkaIpc', () => {
    const required: string[] = [];
    const exposed: string[] = [];
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (key: string) => exposed.push(key) },
      ipcRenderer: { send: () => {}, on: () => {}, removeListener: () => {} },
    };
    const fakeRequire = (id: string): unknown => {
      required.push(id);
      if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`);
      return fakeElectron;
    };
    const module = { exports: {} };
    // The bundle is our own build output, run here the way Electron's sandboxed loader would.
    new Function('require', 'module', 'exports', readFileSync(BUNDLE, 'utf8'))(fakeRequire, module, module.exports);
    expect(required).toEqual(['electron']);
    expect(exposed).toEqual(['lavkaIpc']);
  });
});
