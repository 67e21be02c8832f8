/** What every benchmark group gets, and the helpers they share. */
import type { RpcClient } from '../src-common/rpc/client.js';
import { generateProduct } from '../src-main/demo/catalog-generator.js';
import { DEMO_USERS } from '../src-main/demo/seed.js';
import type { Backend } from '../src-main/host/backend.js';
import { newConnection } from '../src-main/rpc/dispatcher.js';
import type { CachedCatalog } from './catalog-cache.js';
import { rng } from './stats.js';

export type Figures = Record<string, number>;

export interface BenchContext {
  catalog: CachedCatalog;
  /** Where groups may put private copies of the store and other scratch files. */
  workDir: string;
  /** An in-process backend on a private copy of the catalog (opened on first use). */
  backend(): Backend;
  log(msg: string): void;
}

export interface Group {
  name: string;
  describe: string;
  /** The figures it produces, or { skipped: reason }. */
  run(ctx: BenchContext): Promise<Figures | { skipped: string }>;
}

/** Log in on a client as the demo user with this role (the cashier by default). */
export async function loginAs(client: RpcClient, role = 'cashier'): Promise<number> {
  const demo = DEMO_USERS.find((u) => u.role === role);
  if (!demo) throw new Error(`no demo user with role ${role}`);
  const users = await client.call('session.users');
  const user = users.find((u) => u.name === demo.name);
  if (!user) throw new Error(`demo user ${demo.name} is missing from the store`);
  await client.call('session.login', { userId: user.id, pin: demo.pin });
  await ensureSellingShift(client);
  return user.id;
}

/** Selling needs an open shift younger than the fiscal limit: close a stale one (the store is reused) and open one. */
export async function ensureSellingShift(client: RpcClient): Promise<void> {
  const shift = await client.call('shift.current');
  if (shift && shift.expiresAt > Date.now()) return;
  if (shift) await client.call('shift.close', { count: [], reason: 'benchmark store reused after the shift limit' });
  await client.call('shift.open', { count: [] });
}

/**
 * `count` random barcodes that exist in a catalog of `products` generated products: a random
 * product's barcode (its pack barcode now and then), as a scanner at the till would read them.
 */
export function sampleBarcodes(products: number, count: number, seed: number): string[] {
  const rnd = rng(seed);
  const out: string[] = [];
  while (out.length < count) {
    const p = generateProduct(Math.floor(rnd() * products));
    if (p.barcodes.length === 0) continue; // services and weighed goods have none
    out.push((p.barcodes[Math.floor(rnd() * p.barcodes.length)] as { code: string }).code);
  }
  return out;
}

/**
 * What cashiers type into the search box: the first 2–8 letters of one or two words of the name
 * of a product on the counter, in Russian or English, mostly lower case.
 */
export function cashierQueries(products: number, count: number, seed: number): string[] {
  const rnd = rng(seed);
  const out: string[] = [];
  const prefix = (w: string): string => w.slice(0, Math.min(w.length, 2 + Math.floor(rnd() * 7)));
  while (out.length < count) {
    const p = generateProduct(Math.floor(rnd() * products));
    const name = rnd() < 0.5 ? p.name : p.nameAlt;
    const words = name.split(/\s+/).filter((w) => /^\p{L}{2,}$/u.test(w));
    const first = words[0];
    if (!first) continue;
    let q = prefix(first);
    if (words.length > 1 && rnd() < 0.4) {
      const other = words[1 + Math.floor(rnd() * (words.length - 1))] as string;
      q += ' ' + prefix(other);
    }
    out.push(rnd() < 0.15 ? q.charAt(0).toUpperCase() + q.slice(1) : q.toLowerCase());
  }
  return out;
}

/**
 * Commands straight into the dispatcher on a connection of its own, logged in as the demo user with
 * `role`: no transport and no await between them (for filling a store fast, and timing one command).
 */
export function directCaller(backend: Backend, role: string): <T = unknown>(method: string, params: unknown) => T {
  const demo = DEMO_USERS.find((u) => u.role === role);
  if (!demo) throw new Error(`no demo user with role ${role}`);
  const conn = newConnection();
  const userId = backend.db.prepare('SELECT id FROM users WHERE name = ?').pluck().get(demo.name) as number;
  let id = 0;
  const call = <T = unknown>(method: string, params: unknown): T => {
    const r = backend.dispatcher.handle({ id: ++id, method, params }, conn) as { ok: boolean; result?: T; error?: unknown };
    if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
    return r.result as T;
  };
  call('session.login', { userId, pin: demo.pin });
  return call;
}
