import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserMode, type BrowserModeServer } from '../../src-main/bridge/server.js';
import { makeBackend, type TestBackend } from '../support/backend.js';
import { upgradeStatus } from '../support/ws-link.js';

let t: TestBackend;
let server: BrowserModeServer;
let port: string;

beforeAll(async () => {
  t = makeBackend();
  server = await startBrowserMode({ backend: t.backend, staticDir: mkdtempSync(join(tmpdir(), 'lavka-static-')), token: 'right-token', port: 0 });
  port = new URL(server.origin).port;
});
afterAll(async () => {
  await server.close();
  t.dispose();
});

function send(frames: (string | Buffer)[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc?token=right-token`, { headers: { Origin: server.origin } });
    const replies: string[] = [];
    ws.on('open', () => frames.forEach((f) => ws.send(f)));
    ws.on('message', (d) => {
      replies.push(d.toString());
      if (replies.length === frames.length) {
        ws.close();
        resolve(replies);
      }
    });
    ws.on('error', reject);
  });
}

describe('browser-mode WebSocket endpoint', () => {
  it('binds to loopback only', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('rejects a missing or wrong token and a foreign or missing Origin', async () => {
    const url = (token?: string): string => `ws://127.0.0.1:${port}/rpc${token === undefined ? '' : `?token=${token}`}`;
    expect(await upgradeStatus(url(), { Origin: server.origin })).toBe(401);
    expect(await upgradeStatus(url('wrong-token'), { Origin: server.origin })).toBe(401);
    expect(await upgradeStatus(url('right-token'), { Origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(url('right-token'), {})).toBe(403);
    expect(await upgradeStatus(`ws://127.0.0.1:${port}/other?token=right-token`, { Origin: server.origin })).toBe(404);
    expect(await upgradeStatus(url('right-token'), { Origin: server.origin })).toBe(101);
  });

  it('answers malformed frames with bad_request and stays up', async () => {
    const replies = await send(['not json', '{"id": "x"}', '[1,2]', Buffer.from([0xff, 0x00]), JSON.stringify({ id: 7, method: 'session.users', params: {} })]);
    const parsed = replies.map((r) => JSON.parse(r) as { id: number; ok: boolean; error?: { code: string } });
    expect(parsed.slice(0, 4).map((p) => p.error?.code)).toEqual(['bad_request', 'bad_request', 'bad_request', 'bad_request']);
    expect(parsed[4]).toMatchObject({ id: 7, ok: true });
  });

  it('closes the connection on an oversized frame but keeps serving others', async () => {
    const closed = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc?token=right-token`, { headers: { Origin: server.origin } });
      ws.on('open', () => ws.send('x'.repeat(100_000)));
      ws.on('close', (code) => resolve(code));
      ws.on('error', () => {});
    });
    expect(closed).toBe(1009); // message too big
    const [reply] = await send([JSON.stringify({ id: 1, method: 'system.info', params: {} })]);
    expect(JSON.parse(reply!)).toMatchObject({ ok: true });
  });

  it('serves static files with a CSP and refuses path traversal', async () => {
    const res = await fetch(`${server.origin}/..%2f..%2fetc%2fpasswd`);
    expect([403, 404]).toContain(res.status);
    const index = await fetch(`${server.origin}/`);
    expect(index.status).toBe(404); // the temp static dir is empty
  });
});
