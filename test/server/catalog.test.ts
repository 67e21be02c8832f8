import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogItem, PullResponse, SnapshotResponse, SyncFeed } from '../../src-common/sync/protocol.js';
import { buildServer } from '../../src-server/app.js';
import { compactChangeLog, upsertProducts } from '../../src-server/catalog.js';
import type { ServerDb } from '../../src-server/db/db.js';
import { migrateServer } from '../../src-server/migrate.js';
import { catalogItem, serverDatabases, TILL_HEADERS } from '../support/server.js';

const ADMIN = 'admin-secret-for-tests';
const databases = await serverDatabases();

const item = (sku: string, price = 10_000, extra: Partial<CatalogItem> = {}): CatalogItem => catalogItem(sku, { price, ...extra });

describe.each(databases)('catalog and prices handed down, on $name', ({ skip, open }) => {
  if (skip) {
    it.skip(`skipped: ${skip}`, () => undefined);
    return;
  }
  let db: ServerDb & { drop(): Promise<void> };
  let app: FastifyInstance;
  const clock = Date.UTC(2026, 11, 1, 9, 0);

  beforeAll(async () => {
    db = await open();
    await migrateServer(db);
    app = await buildServer({ db, adminToken: ADMIN, now: () => clock });
    await app.inject({ method: 'POST', url: '/v1/admin/tax-rates', headers: { authorization: `Bearer ${ADMIN}` }, payload: { rates: [{ code: 'vat22', bp: 2200 }, { code: 'vat10', bp: 1000 }, { code: 'vat0', bp: 0 }, { code: 'none', bp: 0 }] } });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const admin = async (method: 'GET' | 'POST', url: string, body?: unknown, contentType?: string) => {
    const r = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${ADMIN}`, ...(contentType ? { 'content-type': contentType } : {}) },
      ...(body === undefined ? {} : { payload: body as string }),
    });
    return { status: r.statusCode, body: r.json() as Record<string, unknown> & { error?: { code: string } } };
  };
  const asTill = async <T>(credential: string | null, url: string) => {
    const r = await app.inject({ method: 'GET', url, headers: { ...TILL_HEADERS, ...(credential ? { authorization: `Bearer ${credential}` } : {}) } });
    return { status: r.statusCode, body: r.json() as T & { error?: { code: string } } };
  };
  async function enrolledTill(storeName: string) {
    const store = (await admin('POST', '/v1/admin/stores', { name: storeName })).body as { id: string };
    const t = (await admin('POST', '/v1/admin/tills', { storeId: store.id, name: 'Касса 1' })).body as { id: string };
    const { code } = (await admin('POST', `/v1/admin/tills/${t.id}/enrollment-codes`, {})).body as { code: string };
    const r = await app.inject({ method: 'POST', url: '/v1/enroll', headers: TILL_HEADERS, payload: { code, till: { name: 'Касса 1', appVersion: '0.1.0' } } });
    return { storeId: store.id, credential: (r.json() as { credential: string }).credential };
  }
  /** Pull a feed from `after` to its end, page by page, as a till would. */
  async function pullAll(credential: string, feed: SyncFeed, after: number, limit = 1000) {
    const changes: PullResponse['changes'] = [];
    let cursor = after;
    for (;;) {
      const r = await asTill<PullResponse>(credential, `/v1/pull?feed=${feed}&after=${cursor}&limit=${limit}`);
      expect(r.status).toBe(200);
      changes.push(...r.body.changes);
      cursor = r.body.through;
      if (!r.body.more) return { changes, cursor };
    }
  }

  it('imports a CSV: good rows in, each bad row refused with its line and reason', async () => {
    const csv = [
      'Артикул;Наименование;Штрихкоды;Цена;НДС;Ед;Категория',
      'SKU-1;Молоко 3,2% 1 л;4600000000015;89,90;22;шт;Молочные',
      'SKU-2;Вода 0,5 л (упаковка 6);4600000000022 4600000000039:6;45.00;10;шт;Напитки',
      'SKU-3;Яблоки Гала;;149,90;10;кг;Фрукты',
      'SKU-4;Плохой штрихкод;4600000000018;10;22;шт;',
      'SKU-5;Неизвестный НДС;;10;18;шт;',
      'SKU-6;Отрицательная цена;;-5;22;шт;',
      'SKU-7;Не цена;;бесплатно;22;шт;',
    ].join('\n');
    const r = await admin('POST', '/v1/admin/catalog/import', csv, 'text/csv');
    expect(r.status).toBe(200);
    expect(r.body.imported).toBe(3);
    expect(r.body.rejected).toEqual([
      { line: 5, reason: 'the barcode 4600000000018 has a wrong check digit or length' },
      { line: 6, reason: 'unknown VAT rate "18"' },
      { line: 7, reason: 'the price is negative' },
      { line: 8, reason: 'the price "бесплатно" is not an amount' },
    ]);
    const t = await enrolledTill('Лавка CSV');
    const { changes } = await pullAll(t.credential, 'catalog', 0);
    const byKey = new Map(changes.map((c) => [c.key, c.data as CatalogItem]));
    expect(byKey.get('SKU-1')).toMatchObject({ name: 'Молоко 3,2% 1 л', price: 8990, taxCode: 'vat22', category: 'Молочные', barcodes: [{ code: '4600000000015', packQty: 1000 }] });
    expect(byKey.get('SKU-2')?.barcodes).toEqual([
      { code: '4600000000022', packQty: 1000 },
      { code: '4600000000039', packQty: 6000 },
    ]);
    expect(byKey.get('SKU-3')).toMatchObject({ kind: 'weighed', unit: 'kg', price: 14990 });
    expect(byKey.has('SKU-4')).toBe(false);
    expect((await admin('POST', '/v1/admin/catalog/import', 'sku;name\nA;B', 'text/csv')).body).toMatchObject({ imported: 0, rejected: [{ line: 1, reason: 'the header has no "price" column' }] });
  });

  it('pulls in pages in version order; the cursor ends at the committed version; a price is the store\'s own', async () => {
    const a = await enrolledTill('Лавка A');
    const b = await enrolledTill('Лавка B');
    const start = (await pullAll(a.credential, 'catalog', 0)).cursor;
    await admin('POST', '/v1/admin/catalog/products', { items: ['P1', 'P2', 'P3', 'P4', 'P5'].map((s) => item(s)) });
    const first = await asTill<PullResponse>(a.credential, `/v1/pull?feed=catalog&after=${start}&limit=2`);
    expect(first.body.changes.map((c) => c.key)).toEqual(['P1', 'P2']);
    expect(first.body).toMatchObject({ more: true, through: first.body.changes[1]!.version });
    const rest = await pullAll(a.credential, 'catalog', first.body.through, 2);
    expect(rest.changes.map((c) => c.key)).toEqual(['P3', 'P4', 'P5']);
    const idle = await asTill<PullResponse>(a.credential, `/v1/pull?feed=catalog&after=${rest.cursor}`);
    expect(idle.body).toMatchObject({ changes: [], more: false, through: rest.cursor });

    const priced = await admin('POST', `/v1/admin/stores/${a.storeId}/prices`, { prices: [{ sku: 'P2', price: 7_777 }] });
    expect(priced.body).toEqual({ changed: 1 });
    expect((await pullAll(a.credential, 'prices', 0)).changes.map((c) => c.data)).toEqual([{ sku: 'P2', price: 7_777 }]);
    expect((await pullAll(b.credential, 'prices', 0)).changes).toEqual([]);
    // An unknown SKU refuses the whole change; nothing moves.
    expect((await admin('POST', `/v1/admin/stores/${a.storeId}/prices`, { prices: [{ sku: 'P1', price: 1 }, { sku: 'NOPE', price: 1 }] })).body).toMatchObject({ error: { code: 'bad_request' } });
    expect((await pullAll(a.credential, 'prices', 0)).changes).toHaveLength(1);
    expect(await asTill(null, '/v1/pull?feed=catalog&after=0')).toMatchObject({ status: 401 });
    expect(await asTill(a.credential, '/v1/pull?feed=nope&after=0')).toMatchObject({ status: 400 });
  });

  it('VAT rates are a feed of their own; a product with a rate the chain has not set up is refused', async () => {
    const t = await enrolledTill('Лавка НДС');
    const before = (await pullAll(t.credential, 'taxes', 0)).changes.map((c) => c.data);
    expect(before).toEqual(expect.arrayContaining([{ code: 'vat22', bp: 2200 }, { code: 'vat10', bp: 1000 }]));
    const refused = await admin('POST', '/v1/admin/catalog/products', { items: [item('X-18', 100, { taxCode: 'vat18' })] });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    expect((await admin('POST', '/v1/admin/tax-rates', { rates: [{ code: 'vat18', bp: 1800 }] })).body).toEqual({ changed: 1 });
    expect((await admin('POST', '/v1/admin/catalog/products', { items: [item('X-18', 100, { taxCode: 'vat18' })] })).status).toBe(200);
    const snap = await asTill<SnapshotResponse>(t.credential, '/v1/snapshot?feed=taxes');
    expect(snap.body.rows.map((r) => r.key)).toContain('vat18');
    expect((await admin('POST', '/v1/admin/tax-rates', { rates: [{ code: 'VAT 18', bp: 1800 }] })).status).toBe(400);
  });

  it('writers at once: a till pulling meanwhile never skips a change (versions visible in commit order)', async () => {
    const t = await enrolledTill('Лавка C');
    let cursor = (await pullAll(t.credential, 'catalog', 0)).cursor;
    const before = cursor;
    const seen: number[] = [];
    let writing = true;
    const writers = Promise.all(
      Array.from({ length: 6 }, async (_, w) => {
        for (let k = 0; k < 5; k++) {
          await db.transaction(async (tx) => {
            const [{ version }] = (await tx.query<{ version: number }>('UPDATE change_counter SET version = version + 1 WHERE id = 1 RETURNING version')) as [{ version: number }];
            // Hold the transaction open a moment: another writer and the reader run meanwhile.
            await new Promise((r) => setTimeout(r, 3 + ((w * 7 + k) % 5)));
            const data = JSON.stringify(item(`C-${w}-${k}`));
            await tx.query(`INSERT INTO catalog_products (sku, data, active, version) VALUES ($1, $2::jsonb, true, $3)`, [`C-${w}-${k}`, data, version]);
            await tx.query(`INSERT INTO change_log (version, feed, store_id, key, data, at) VALUES ($1, 'catalog', NULL, $2, $3::jsonb, 0)`, [version, `C-${w}-${k}`, data]);
          });
        }
      }),
    ).finally(() => (writing = false));
    while (writing) {
      const r = await asTill<PullResponse>(t.credential, `/v1/pull?feed=catalog&after=${cursor}&limit=3`);
      seen.push(...r.body.changes.map((c) => c.version));
      cursor = r.body.through;
      await new Promise((r) => setTimeout(r, 1));
    }
    await writers;
    const tail = await pullAll(t.credential, 'catalog', cursor);
    seen.push(...tail.changes.map((c) => c.version));
    const all = (await db.query<{ version: number }>(`SELECT version FROM change_log WHERE feed = 'catalog' AND version > $1 ORDER BY version`, [before])).map((r) => r.version);
    expect(seen).toEqual(all);
    expect(all).toHaveLength(30);
  });

  it('a snapshot in key order with a total; pulling from its asOf brings what changed meanwhile; an old cursor must re-snapshot', async () => {
    const t = await enrolledTill('Лавка D');
    const firstPage = await asTill<SnapshotResponse>(t.credential, '/v1/snapshot?feed=catalog&limit=4');
    expect(firstPage.body.total).toBeGreaterThan(4);
    const keys = firstPage.body.rows.map((r) => r.key);
    expect([...keys].sort()).toEqual(keys);
    const asOf = firstPage.body.asOf;
    await upsertProducts(db, [item('ZZ-NEW', 5_000)], clock);
    let next = firstPage.body.nextKey;
    let n = firstPage.body.rows.length;
    while (next) {
      const page = await asTill<SnapshotResponse>(t.credential, `/v1/snapshot?feed=catalog&limit=4&afterKey=${encodeURIComponent(next)}`);
      expect(page.body.total).toBeNull();
      n += page.body.rows.length;
      next = page.body.nextKey;
    }
    expect(n).toBe(firstPage.body.total! + 1);
    expect((await pullAll(t.credential, 'catalog', asOf)).changes.map((c) => c.key)).toEqual(['ZZ-NEW']);

    await db.query(`INSERT INTO change_log_floor (feed, min_version) VALUES ('catalog', $1)`, [asOf]);
    expect(await asTill(t.credential, `/v1/pull?feed=catalog&after=${asOf - 1}`)).toMatchObject({ status: 410, body: { error: { code: 'resnapshot' } } });
    expect((await asTill(t.credential, `/v1/pull?feed=catalog&after=${asOf}`)).status).toBe(200);
    await db.query(`DELETE FROM change_log_floor`);
  });

  it('compaction forgets changes older than the window: a till at the head pulls on, one further behind re-snapshots', async () => {
    const ahead = await enrolledTill('Лавка E');
    const cursor = (await pullAll(ahead.credential, 'catalog', 0)).cursor;
    const r = await compactChangeLog(db, 86_400_000, clock + 2 * 86_400_000);
    expect(r.find((f) => f.feed === 'catalog')).toMatchObject({ floor: expect.any(Number) as number });
    expect(r.find((f) => f.feed === 'catalog')!.deleted).toBeGreaterThan(0);
    expect(Number((await db.query<{ n: number }>(`SELECT count(*) AS n FROM change_log WHERE feed = 'catalog'`))[0]?.n)).toBe(0);
    expect((await asTill(ahead.credential, `/v1/pull?feed=catalog&after=${cursor}`)).status).toBe(200);
    expect(await asTill(ahead.credential, '/v1/pull?feed=catalog&after=0')).toMatchObject({ status: 410, body: { error: { code: 'resnapshot' } } });
    // The snapshot still has everything, and new changes come after the floor.
    await upsertProducts(db, [item('AFTER-COMPACT')], clock);
    expect((await pullAll(ahead.credential, 'catalog', cursor)).changes.map((c) => c.key)).toEqual(['AFTER-COMPACT']);
    expect((await admin('POST', '/v1/admin/compact', { retainDays: -1 })).status).toBe(400);
    await db.query('DELETE FROM change_log_floor');
  });

  it('settings: the chain\'s and each store\'s own, checked against their shape; a till pulls only its store\'s; null takes one back', async () => {
    const a = await enrolledTill('Лавка S1');
    const b = await enrolledTill('Лавка S2');
    const before = Number((await db.query<{ n: number }>('SELECT count(*) AS n FROM change_log'))[0]?.n);
    // Refused whole, nothing stored: a value of the wrong shape, a key the head office may not set, a missing value, an unknown store.
    for (const body of [
      { settings: [{ key: 'shift.maxHours', value: 12 }, { key: 'shift.maxHours', value: 30 }] },
      { settings: [{ key: 'fiscal.mode', value: 'atol' }] },
      { settings: [{ key: 'receipt.template', value: { header: ['x'.repeat(65)], footer: [], showCashier: true, showVat: true, code: 'qr' } }] },
      { settings: [{ key: 'timeZone', value: 'Mars/Olympus' }] },
      { settings: [{ key: 'shift.maxHours' }] },
    ]) {
      const r = await admin('POST', '/v1/admin/settings', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error?.code).toBe('bad_request');
    }
    expect((await admin('POST', '/v1/admin/settings', { storeId: 'nope', settings: [{ key: 'shift.maxHours', value: 12 }] })).status).toBe(404);
    expect(Number((await db.query<{ n: number }>('SELECT count(*) AS n FROM change_log'))[0]?.n)).toBe(before);

    expect((await admin('POST', '/v1/admin/settings', { settings: [{ key: 'shift.maxHours', value: 12 }] })).body).toEqual({ changed: 1 });
    await admin('POST', '/v1/admin/settings', { storeId: b.storeId, settings: [{ key: 'shift.maxHours', value: 10 }] });
    const pulled = await pullAll(a.credential, 'settings', 0);
    const seen = pulled.changes.map((c) => c.data as { key: string; scope: string; value: unknown });
    // A's name and time zone (set when the store was made) and the chain's shift limit; nothing of B's.
    expect(seen).toEqual(
      expect.arrayContaining([
        { key: 'store.name', scope: 'store', value: 'Лавка S1' },
        { key: 'timeZone', scope: 'store', value: 'Europe/Moscow' },
        { key: 'shift.maxHours', scope: 'chain', value: 12 },
      ]),
    );
    expect(seen.filter((c) => c.scope === 'store').map((c) => c.value)).not.toContain('Лавка S2');
    expect(seen).not.toContainEqual({ key: 'shift.maxHours', scope: 'store', value: 10 });
    const snap = await asTill<SnapshotResponse>(b.credential, '/v1/snapshot?feed=settings&limit=100');
    expect(snap.body.rows.map((r) => r.key)).toEqual(['chain/shift.maxHours', 'store/shift.maxHours', 'store/store.name', 'store/timeZone']);
    expect(snap.body.total).toBe(4);

    // Renaming the store renames it in the head office's own reports too; taking a value back logs null.
    await admin('POST', '/v1/admin/settings', { storeId: b.storeId, settings: [{ key: 'store.name', value: 'Лавка у вокзала' }, { key: 'shift.maxHours', value: null }] });
    expect((await db.query<{ name: string }>('SELECT name FROM stores WHERE id = $1', [b.storeId]))[0]?.name).toBe('Лавка у вокзала');
    const later = await pullAll(b.credential, 'settings', snap.body.asOf);
    expect(later.changes.map((c) => c.data)).toEqual([
      { key: 'store.name', scope: 'store', value: 'Лавка у вокзала' },
      { key: 'shift.maxHours', scope: 'store', value: null },
    ]);
    expect((await admin('GET', `/v1/admin/settings?storeId=${b.storeId}`)).body).toEqual({
      storeId: b.storeId,
      settings: [
        { key: 'store.name', value: 'Лавка у вокзала' },
        { key: 'timeZone', value: 'Europe/Moscow' },
      ],
    });
  });
});
