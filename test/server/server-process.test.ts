import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adminCli } from '../../src-server/cli.js';
import { adminToken, serverConfig } from '../../src-server/config.js';
import { TILL_HEADERS } from '../support/server.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lavka-server-'));
  dirs.push(d);
  return d;
}

/** `npm run server` as a fresh machine runs it: no DATABASE_URL, so PGlite in the data directory. */
function startServer(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-server/main.ts'], { env: { ...process.env, DATABASE_URL: '', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${out}`)), 30_000);
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      const ready = out.split('\n').find((l) => l.includes('head office ready'));
      if (ready) {
        clearTimeout(timer);
        resolve({ url: (JSON.parse(ready) as { url: string }).url, child });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => reject(new Error(`the server exited (${code}):\n${out}`)));
  });
}

describe('the head-office process', () => {
  it('refuses to serve plain HTTP beyond loopback; keeps the admin token in a file only its owner reads', () => {
    expect(() => serverConfig({ HOST: '0.0.0.0' })).toThrow(/not loopback/);
    expect(serverConfig({ HOST: '0.0.0.0', LAVKA_TLS_CERT: 'c.pem', LAVKA_TLS_KEY: 'k.pem' }).tls).toEqual({ cert: 'c.pem', key: 'k.pem' });
    const dir = tempDir();
    const first = adminToken(dir, {});
    expect(statSync(first.file!).mode & 0o777).toBe(0o600);
    expect(adminToken(dir, {}).token).toBe(first.token);
    expect(adminToken(dir, { LAVKA_ADMIN_TOKEN: 'from-env' })).toEqual({ token: 'from-env', file: null });
  });

  it('starts on PGlite with no configuration; the owner\'s CLI creates a store, a till and a code; the till enrolls', async () => {
    const data = tempDir();
    const { url } = await startServer({ LAVKA_SERVER_DATA: data });
    const health = (await (await fetch(new URL('/v1/health', url))).json()) as { ok: boolean; db: string };
    expect(health).toMatchObject({ ok: true, db: 'pglite' });
    const env = { LAVKA_SERVER_URL: url, LAVKA_SERVER_DATA: data };
    const lines: string[] = [];
    const cli = async (...args: string[]) => {
      lines.length = 0;
      expect(await adminCli(args, env, (s) => lines.push(s))).toBe(0);
      return JSON.parse(lines.join('\n')) as Record<string, string>;
    };
    const store = await cli('store', 'add', 'Лавка на Ленина');
    const till = await cli('till', 'add', store.id!, 'Касса 1');
    const { code } = await cli('code', till.id!, '15');
    const enrolled = await fetch(new URL('/v1/enroll', url), {
      method: 'POST',
      headers: { ...TILL_HEADERS, 'content-type': 'application/json' },
      body: JSON.stringify({ code, till: { name: 'Касса 1', appVersion: '0.1.0' } }),
    });
    expect(await enrolled.json()).toMatchObject({ tillId: till.id, storeName: 'Лавка на Ленина' });
    const csv = join(data, 'catalog.csv');
    writeFileSync(csv, 'sku;name;barcodes;price;vat\nMILK-1;Молоко 1 л;4600000000015;89,90;22\nBAD;Плохой;4600000000018;1;22\n');
    expect(await cli('tax', 'vat22', '22')).toEqual({ changed: 1 });
    const imported = await cli('import', csv);
    expect(imported).toMatchObject({ imported: 1, rejected: [{ line: 3 }] });
    expect(await cli('price', store.id!, 'MILK-1', '79,90')).toEqual({ changed: 1 });
    expect(await adminCli(['nonsense'], env, () => undefined)).toBe(2);
    expect(await adminCli(['revoke', 'no-such-till'], env, () => undefined)).toBe(1);
  });

  it('serves HTTPS when given a certificate, and then may listen beyond loopback', async () => {
    const dir = tempDir();
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const { url } = await startServer({ LAVKA_SERVER_DATA: join(dir, 'data'), HOST: '0.0.0.0', LAVKA_TLS_CERT: cert, LAVKA_TLS_KEY: key });
    expect(url).toMatch(/^https:/);
    const port = new URL(url).port;
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/v1/health', ca: readFileSync(cert), servername: 'localhost' }, (res) => {
        let b = '';
        res.on('data', (c: Buffer) => (b += c.toString()));
        res.on('end', () => resolve(b));
      });
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(body)).toMatchObject({ ok: true });
  });
});
