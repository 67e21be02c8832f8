import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SyncClient, SyncRequestError } from '../../src-main/sync/client.js';
import { FileCredentialStore } from '../../src-main/sync/credentials.js';
import { checkServerUrl } from '../../src-main/sync/url.js';

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('the head office address', () => {
  it.each([
    ['https://office.example.com/', { url: 'https://office.example.com' }],
    ['  https://office.example.com/lavka/  ', { url: 'https://office.example.com/lavka' }],
    ['http://127.0.0.1:8080', { url: 'http://127.0.0.1:8080' }],
    ['http://localhost:8080/', { url: 'http://localhost:8080' }],
    ['http://[::1]:8080', { url: 'http://[::1]:8080' }],
    ['http://office.example.com', { problem: 'tls_required' }],
    ['http://192.168.1.10:8080', { problem: 'tls_required' }],
    ['http://127.0.0.1.evil.example', { problem: 'tls_required' }],
    ['ftp://office.example.com', { problem: 'url_invalid' }],
    ['https://user:secret@office.example.com', { problem: 'url_invalid' }],
    ['https://office.example.com/?token=1', { problem: 'url_invalid' }],
    ['office.example.com', { problem: 'url_invalid' }],
  ])('%s', (input, expected) => {
    expect(checkServerUrl(input)).toEqual(expected);
  });
});

describe('the credential file', () => {
  it('is created 0600, replaced atomically, and read back; none is null', () => {
    dir = mkdtempSync(join(tmpdir(), 'lavka-cred-'));
    const path = join(dir, 'sync-credential');
    const store = new FileCredentialStore(path);
    expect(store.read()).toBeNull();
    // A temp file a crash left behind does not get in the way.
    writeFileSync(`${path}.tmp`, 'half');
    store.write('first-secret');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    store.write('second-secret');
    expect(store.read()).toBe('second-secret');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['sync-credential']);
    store.clear();
    expect(store.read()).toBeNull();
  });
});

describe('what a failed request means', () => {
  const client = (impl: () => Promise<Response>) => new SyncClient({ appVersion: '1.2.3', timeoutMs: 200, fetch: impl as typeof fetch });
  const fail = async (impl: () => Promise<Response>): Promise<SyncRequestError> => {
    try {
      await client(impl).cursors('https://office.example.com', 'cred');
    } catch (e) {
      if (e instanceof SyncRequestError) return e;
      throw e;
    }
    throw new Error('expected a failure');
  };
  const socketError = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });

  it.each([
    ['connection refused', 'unreachable', () => Promise.reject(socketError('ECONNREFUSED')), true],
    ['untrusted certificate', 'tls', () => Promise.reject(socketError('DEPTH_ZERO_SELF_SIGNED_CERT')), true],
    ['wrong host name on the certificate', 'tls', () => Promise.reject(socketError('ERR_TLS_CERT_ALTNAME_INVALID')), true],
    ['503 with an error body', 'server_error', () => Promise.resolve(Response.json({ error: { code: 'internal', message: 'down' } }, { status: 503 })), true],
    ['502 from a proxy', 'server_error', () => Promise.resolve(new Response('<html>bad gateway</html>', { status: 502 })), true],
    ['426 without a body', 'update_required', () => Promise.resolve(new Response('', { status: 426 })), false],
    ['401 revoked', 'revoked', () => Promise.resolve(Response.json({ error: { code: 'revoked', message: 'gone' } }, { status: 401 })), false],
    ['a captive portal page', 'bad_response', () => Promise.resolve(new Response('<html>log in to Wi-Fi</html>', { status: 200 })), true],
  ] as const)('%s → %s', async (_what, code, impl, transient) => {
    const e = await fail(impl);
    expect(e.code).toBe(code);
    expect(e.transient).toBe(transient);
  });

  it('times out on its own deadline', async () => {
    // Like fetch, the request gives up when its signal aborts; nothing else ends it.
    const never = (_url: URL, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason as Error)));
    const e = await fail(never as () => Promise<Response>);
    expect(e.code).toBe('timeout');
  }, 2_000);

  it('sends the protocol headers and the credential, and refuses redirects', async () => {
    let seen: { url: string; init: RequestInit } | null = null;
    const spy = (url: URL, init: RequestInit): Promise<Response> => {
      seen = { url: String(url), init };
      return Promise.resolve(Response.json({ tillId: 't', storeId: 's', epochs: [], serverTime: 1 }));
    };
    const c = new SyncClient({ appVersion: '1.2.3', timeoutMs: 200, fetch: spy as typeof fetch });
    await c.cursors('https://office.example.com/lavka', 'secret');
    expect(seen!.url).toBe('https://office.example.com/lavka/v1/cursors');
    expect(seen!.init.redirect).toBe('error');
    expect(seen!.init.headers).toMatchObject({ 'x-lavka-protocol': '1', 'x-lavka-app': 'lavka-pos/1.2.3', authorization: 'Bearer secret' });
  });
});
