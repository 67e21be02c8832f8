import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { CatalogItem } from '../../src-common/sync/protocol.js';
import { CatalogPuller, FeedGone, type PullProgress } from '../../src-main/sync/catalog-pull.js';
import { CatalogStore } from '../../src-main/sync/catalog-store.js';
import { buildServer } from '../../src-server/app.js';
import { openPglite, type ServerDb } from '../../src-server/db/db.js';
import { migrateServer } from '../../src-server/migrate.js';
import { catalogItem, TILL_HEADERS } from '../support/server.js';
import { openTill, type Till } from './support.js';

const ADMIN = 'admin';
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const item = (sku: string, code: string, price: number): CatalogItem => catalogItem(sku, { price, category: 'Бакалея', barcodes: [{ code, packQty: 1000 }] });
/** EAN-13 codes no demo product has (prefix 590). */
const code = (n: number) => {
  const body = `5900000${String(n).padStart(5, '0')}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[11 - i]) * (i % 2 === 0 ? 3 : 1);
  return body + String((10 - (sum % 10)) % 10);
};

/** A head office on PGlite over real HTTP, a store with 12 products, and an enrolled till. */
async function headOffice(): Promise<{ db: ServerDb; url: string; storeId: string; credential: string; admin(path: string, body: unknown): Promise<unknown> }> {
  const db = await openPglite();
  await migrateServer(db);
  const app: FastifyInstance = await buildServer({ db, adminToken: ADMIN });
  await app.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(async () => {
    await app.close();
    await db.close();
  });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const post = async (path: string, body: unknown, auth?: string) => {
    const r = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...TILL_HEADERS, ...(auth ? { authorization: `Bearer ${auth}` } : {}) }, body: JSON.stringify(body) });
    return (await r.json()) as Record<string, unknown>;
  };
  const admin = (path: string, body: unknown) => post(path, body, ADMIN);
  const store = (await admin('/v1/admin/stores', { name: 'Лавка' })) as { id: string };
  const t = (await admin('/v1/admin/tills', { storeId: store.id, name: 'Касса 1' })) as { id: string };
  const { code: enrollment } = (await admin(`/v1/admin/tills/${t.id}/enrollment-codes`, {})) as { code: string };
  const { credential } = (await post('/v1/enroll', { code: enrollment, till: { name: 'Касса 1', appVersion: 'test' } })) as { credential: string };
  await admin('/v1/admin/tax-rates', { rates: [{ code: 'vat22', bp: 2200 }, { code: 'vat10', bp: 1000 }, { code: 'vat0', bp: 0 }, { code: 'none', bp: 0 }] });
  await admin('/v1/admin/catalog/products', { items: Array.from({ length: 12 }, (_, i) => item(`SKU-${i + 1}`, code(i + 1), 1_000 * (i + 1))) });
  return { db, url, storeId: store.id, credential, admin };
}

function puller(x: Till, ho: { url: string; credential: string }, o: { failOn?: (path: string) => boolean; progress?: PullProgress[] } = {}) {
  const store = new CatalogStore(x.t.backend.db, x.t.backend.repos.settings);
  const get = async (path: string) => {
    if (o.failOn?.(path)) throw new Error('connection reset');
    const r = await fetch(ho.url + path, { headers: { ...TILL_HEADERS, authorization: `Bearer ${ho.credential}` } });
    if (r.status === 410) throw new FeedGone('resnapshot');
    if (!r.ok) throw new Error(`${r.status}`);
    return r.json();
  };
  return {
    store,
    puller: new CatalogPuller({
      get,
      store,
      basketInProgress: () => store.basketInProgress(x.t.clock.now()),
      now: () => x.t.clock.now(),
      pageSize: 5,
      progress: (p) => o.progress?.push(p),
    }),
  };
}

async function cashierTill(): Promise<Till> {
  const x = openTill();
  cleanups.push(() => x.close());
  await x.as('cashier');
  return x;
}

describe('the till pulls the head office catalog', () => {
  it('a fresh till loads the catalog by snapshot pages with progress, then sells from it', async () => {
    const ho = await headOffice();
    const x = await cashierTill();
    const progress: PullProgress[] = [];
    const { puller: p, store } = puller(x, ho, { progress });
    expect(await p.run()).toBe(true);
    expect(progress.filter((e) => e.feed === 'catalog').map((e) => [e.loaded, e.total])).toEqual([
      [5, 12],
      [10, 12],
      [12, 12],
    ]);
    expect(store.state('catalog')).toMatchObject({ loaded: true, snapshot: null });
    expect(await x.c.call('catalog.lookup', { code: code(7) })).toMatchObject({ name: 'Товар SKU-7', price: 7_000, category: 'Бакалея' });
    // Nothing new: a second run changes nothing.
    expect(await p.run()).toBe(false);
  });

  it('a price changed at the head office reaches the next basket, never the open one', async () => {
    const ho = await headOffice();
    const x = await cashierTill();
    const { puller: p } = puller(x, ho);
    await p.run();
    const basket = await x.c.call('checkout.scan', { code: code(3) });
    expect(basket.lines[0]?.price).toBe(3_000);

    await ho.admin(`/v1/admin/stores/${ho.storeId}/prices`, { prices: [{ sku: 'SKU-3', price: 2_500 }] });
    await p.run();
    // The basket is open: the new price waits. The same product scanned again is still at the basket's price.
    const again = await x.c.call('checkout.scan', { code: code(3) });
    expect(again.lines.map((l) => l.price)).toEqual([3_000]);
    expect(again.lines[0]?.qty).toBe(2_000);
    await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 6_000 }] });
    // Between baskets it goes live (the sync loop calls this after every basket and on its timer).
    expect(p.activateIfIdle()).toBe(true);
    const next = await x.c.call('checkout.scan', { code: code(3) });
    expect(next.lines[0]?.price).toBe(2_500);
  });

  it('a dropped connection mid-snapshot resumes where it stopped; a cursor the head office no longer keeps loads a snapshot again', async () => {
    const ho = await headOffice();
    const x = await cashierTill();
    let calls = 0;
    const broken = puller(x, ho, { failOn: (path) => path.startsWith('/v1/snapshot?feed=catalog') && ++calls === 2 });
    await expect(broken.puller.run()).rejects.toThrow('connection reset');
    expect(broken.store.state('catalog').snapshot?.key).toBe('SKU-2') // keys in text order: SKU-1, SKU-10, SKU-11, SKU-12, SKU-2;
    const seen: string[] = [];
    const again = puller(x, ho, { failOn: (path) => (seen.push(path), false) });
    await again.puller.run();
    // The resumed snapshot asked from the key it reached, not from the start.
    expect(seen.filter((s) => s.startsWith('/v1/snapshot?feed=catalog'))[0]).toMatch(/afterKey=/);
    expect(x.t.backend.db.prepare('SELECT COUNT(*) FROM products WHERE sku IS NOT NULL').pluck().get()).toBe(12);

    // The head office compacts its log past this till's cursor.
    await ho.admin('/v1/admin/catalog/products', { items: [item('SKU-NEW', code(99), 999)] });
    await ho.db.query(`INSERT INTO change_log_floor (feed, min_version) SELECT 'catalog', version FROM change_counter`);
    await again.puller.run();
    expect(await x.c.call('catalog.lookup', { code: code(99) })).toMatchObject({ price: 999 });
  });
});
