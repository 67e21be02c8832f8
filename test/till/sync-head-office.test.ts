import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncStatusView } from '../../src-common/rpc/schemas.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import type { BackendConfig } from '../../src-main/host/backend.js';
import { buildServer } from '../../src-server/app.js';
import { openPglite, type ServerDb } from '../../src-server/db/db.js';
import { migrateServer } from '../../src-server/migrate.js';
import { ChaosProxy } from '../support/chaos-proxy.js';
import { openTill, openTillOn, type Till } from './support.js';
import { waitFor as until } from '../support/wait.js';

/**
 * The till against the real head office (src-server on embedded PGlite, over real HTTP on
 * loopback): what the stub in sync.test.ts stands in for, checked once end to end.
 */
const ADMIN = 'admin-secret-for-till-tests';
const FAST: BackendConfig['sync'] = { backoff: { baseMs: 20, maxMs: 200, minMs: 10 }, kickDelayMs: 5, publishIntervalMs: 5, timeoutMs: 5_000 };

let till: Till | null = null;
let app: FastifyInstance | null = null;
let db: ServerDb | null = null;
afterEach(async () => {
  till?.close();
  till = null;
  await app?.close();
  app = null;
  await db?.close();
  db = null;
});

async function headOffice(): Promise<{ url: string; admin: (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<Record<string, unknown>> }> {
  db = await openPglite();
  await migrateServer(db);
  app = await buildServer({ db, adminToken: ADMIN });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const admin = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const r = await app!.inject({ method, url: path, headers: { authorization: `Bearer ${ADMIN}` }, ...(body === undefined ? {} : { payload: body as object }) });
    return r.json() as Record<string, unknown>;
  };
  return { url, admin };
}

const status = (x: Till): SyncStatusView => x.t.backend.sync.status();
const count = async (sql: string) => Number((await db!.query<{ n: number }>(sql))[0]?.n);

async function sell(x: Till): Promise<string> {
  await x.c.call('checkout.scan', { code: DEMO_BARCODES.bread });
  return (await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 5490 }] })).id;
}

describe('the till and the real head office', () => {
  it('enrolls, delivers every sale exactly once, survives a restore from an old backup, and stops when revoked', async () => {
    const ho = await headOffice();
    const store = (await ho.admin('POST', '/v1/admin/stores', { name: 'Лавка на Садовой' })) as { id: string };
    const t = (await ho.admin('POST', '/v1/admin/tills', { storeId: store.id, name: 'Касса 1' })) as { id: string };
    const { code } = (await ho.admin('POST', `/v1/admin/tills/${t.id}/enrollment-codes`, {})) as { code: string };

    till = openTill({ sync: FAST });
    const x = till;
    await x.as('owner');
    await x.c.call('sync.enroll', { url: ho.url, code });
    expect(await until(() => status(x), (v) => v.enrolled, 'enrollment')).toMatchObject({ storeName: 'Лавка на Садовой', tillName: 'Касса 1' });
    // The code is spent: another till cannot use it (the same till asking again soon is a retry of a lost answer).
    const other = openTill({ sync: FAST });
    try {
      await other.as('owner');
      await other.c.call('sync.enroll', { url: ho.url, code });
      expect((await until(() => status(other), (v) => v.enrollment.state === 'failed', 'the refusal')).enrollment.error?.code).toBe('enrollment_used');
    } finally {
      other.close();
    }

    const sold = [await sell(x)];
    await until(() => status(x), (v) => v.queued.total === 0, 'the first sale');
    const backup = join(x.t.dir, 'backup.sqlite');
    await x.t.backend.db.backup(backup);
    sold.push(await sell(x), await sell(x));
    await until(() => status(x), (v) => v.queued.total === 0, 'the next sales');
    expect(await count('SELECT COUNT(*)::int AS n FROM sales')).toBe(3);

    // Restored from the backup: the head office is ahead of it; a new epoch, and nothing counted twice.
    x.t.backend.close();
    for (const f of [x.t.dbPath, `${x.t.dbPath}-wal`, `${x.t.dbPath}-shm`]) rmSync(f, { force: true });
    copyFileSync(backup, x.t.dbPath);
    x.t.restart({ sync: FAST });
    till = openTillOn(x);
    const y = till;
    await y.as('owner');
    await until(() => status(y), (v) => v.epoch === 2, 'the new epoch');
    sold.push(await sell(y));
    await until(() => status(y), (v) => v.queued.total === 0, 'the sale after the restore');
    const receipts = (await db!.query<{ receipt_id: string }>('SELECT receipt_id FROM sales ORDER BY completed_at, receipt_id')).map((r) => r.receipt_id);
    expect(receipts.sort()).toEqual([...sold].sort());
    expect(await count('SELECT COUNT(*)::int AS n FROM conflicts')).toBe(0);

    // Revoked by the owner: the till stops sending, says so, and sells on.
    await ho.admin('POST', `/v1/admin/tills/${t.id}/revoke`, {});
    await sell(y);
    expect(await until(() => y.c.call('sync.status', {}), (v) => v.halted === 'revoked', 'the revocation')).toMatchObject({ queued: { total: 1 } });
    expect(await count('SELECT COUNT(*)::int AS n FROM sales')).toBe(4);
  });
});

describe('the head office catalog reaches the till through the sync service', () => {
  it('loads the catalog after enrolling; a price changed at the head office is charged from the next basket on, never in the open one', async () => {
    const ho = await headOffice();
    const store = (await ho.admin('POST', '/v1/admin/stores', { name: 'Лавка на Садовой' })) as { id: string };
    const t = (await ho.admin('POST', '/v1/admin/tills', { storeId: store.id, name: 'Касса 1' })) as { id: string };
    const { code } = (await ho.admin('POST', `/v1/admin/tills/${t.id}/enrollment-codes`, {})) as { code: string };
    const tea = { sku: 'TEA-1', name: 'Чай чёрный «Лавка» 100 пак.', taxCode: 'vat22', price: 24_990, barcodes: [{ code: '5900000000015', packQty: 1000 }] };
    await ho.admin('POST', '/v1/admin/tax-rates', { rates: [{ code: 'vat22', bp: 2200 }, { code: 'vat10', bp: 1000 }, { code: 'vat0', bp: 0 }, { code: 'none', bp: 0 }] });
    await ho.admin('POST', '/v1/admin/catalog/products', { items: [tea] });

    till = openTill({ sync: { ...FAST, pullIntervalMs: 50 } });
    const x = till;
    await x.as('owner');
    await x.c.call('sync.enroll', { url: ho.url, code });
    await until(() => x.c.call('catalog.lookup', { code: '5900000000015' }), (p) => p?.price === 24_990, 'the catalog');
    expect(status(x).catalog).toMatchObject({ waiting: 0, problems: 0, loading: null });

    await x.as('cashier');
    await x.c.call('checkout.scan', { code: '5900000000015' });
    await ho.admin('POST', `/v1/admin/stores/${store.id}/prices`, { prices: [{ sku: 'TEA-1', price: 19_990 }] });
    // The change arrives and waits: the basket is open.
    await until(() => status(x), (v) => (v.catalog?.waiting ?? 0) > 0, 'the price change to arrive');
    const open = await x.c.call('checkout.scan', { code: '5900000000015' });
    expect(open.lines.map((l) => [l.price, l.qty])).toEqual([[24_990, 2000]]);
    await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 49_980 }] });
    // The sale's own sync round makes it live once the basket is done.
    await until(() => x.c.call('catalog.lookup', { code: '5900000000015' }), (p) => p?.price === 19_990, 'the new price');
    const next = await x.c.call('checkout.scan', { code: '5900000000015' });
    expect(next.lines[0]?.price).toBe(19_990);
  });
});

describe('staff and roles come down from the head office', () => {
  it('a cashier set up at the head office logs in at the till with the PIN given there; a role change applies; deactivated, they cannot', async () => {
    const ho = await headOffice();
    const store = (await ho.admin('POST', '/v1/admin/stores', { name: 'Лавка на Садовой' })) as { id: string };
    const other = (await ho.admin('POST', '/v1/admin/stores', { name: 'Лавка у вокзала' })) as { id: string };
    const t = (await ho.admin('POST', '/v1/admin/tills', { storeId: store.id, name: 'Касса 1' })) as { id: string };
    const { code } = (await ho.admin('POST', `/v1/admin/tills/${t.id}/enrollment-codes`, {})) as { code: string };
    const anna = (await ho.admin('POST', '/v1/admin/staff', { name: 'Анна Головная', role: 'cashier', pin: '4826', storeId: store.id })) as { id: string };
    expect(anna).not.toHaveProperty('pinHash');
    await ho.admin('POST', '/v1/admin/staff', { name: 'Иван Вокзальный', role: 'cashier', pin: '5937', storeId: other.id });
    await ho.admin('POST', '/v1/admin/staff', { name: 'Ольга Сетевая', role: 'manager', pin: '6048', storeId: null });
    expect(((await ho.admin('POST', '/v1/admin/staff', { name: 'Без PIN', role: 'cashier' })) as { error?: { code: string } }).error?.code).toBe('bad_request');

    till = openTill({ sync: { ...FAST, pullIntervalMs: 50 } });
    const x = till;
    await x.as('owner');
    await x.c.call('sync.enroll', { url: ho.url, code });
    const names = async () => (await x.c.call('session.users', {})).map((u) => u.name);
    await until(names, (n) => n.includes('Анна Головная') && n.includes('Ольга Сетевая'), 'the staff');
    expect(await names()).not.toContain('Иван Вокзальный');

    // The PIN set at the head office works at the till (the same scrypt hash, checked offline).
    const annaHere = (await x.c.call('session.users', {})).find((u) => u.name === 'Анна Головная')!;
    await x.c.call('session.logout', {});
    await expect(x.c.call('session.login', { userId: annaHere.id, pin: '0000' })).rejects.toMatchObject({ code: 'pin_invalid' });
    await x.c.call('session.login', { userId: annaHere.id, pin: '4826' });
    await expect(x.c.call('shift.cashOut', { amount: 100, reason: 'тест' })).rejects.toMatchObject({ code: 'approval_required' });
    await x.c.call('session.logout', {});

    // The chain lets cashiers take cash out; then Anna leaves.
    await ho.admin('POST', '/v1/admin/roles', { role: 'cashier', permissions: ['sale', 'return', 'cash_in', 'cash_out', 'report_x'] });
    await ho.admin('POST', '/v1/admin/staff', { id: anna.id, name: 'Анна Головная', role: 'cashier', active: false, storeId: store.id });
    await until(
      () => x.t.backend.db.prepare(`SELECT active FROM users WHERE name = 'Анна Головная'`).pluck().get(),
      (v) => v === 0,
      'Anna deactivated',
    );
    expect(x.t.backend.repos.permissions.can('cashier', 'cash_out')).toBe(true);
    await expect(x.c.call('session.login', { userId: annaHere.id, pin: '4826' })).rejects.toBeTruthy();
  });
});

describe('settings come down from the head office', () => {
  it('the store name and the chain\'s receipt header are on the next receipt; a store\'s shift limit goes over the chain\'s; the screens are told', async () => {
    const ho = await headOffice();
    const store = (await ho.admin('POST', '/v1/admin/stores', { name: 'Лавка на Садовой' })) as { id: string };
    const t = (await ho.admin('POST', '/v1/admin/tills', { storeId: store.id, name: 'Касса 1' })) as { id: string };
    const { code } = (await ho.admin('POST', `/v1/admin/tills/${t.id}/enrollment-codes`, {})) as { code: string };
    const template = { header: ['ООО «Лавка», ИНН 7701234567'], footer: ['Спасибо за покупку!'], showCashier: true, showVat: true, code: 'barcode' as const, showLogo: false };
    expect(await ho.admin('POST', '/v1/admin/settings', { settings: [{ key: 'receipt.template', value: template }, { key: 'shift.maxHours', value: 12 }] })).toEqual({ changed: 2 });
    await ho.admin('POST', '/v1/admin/settings', { storeId: store.id, settings: [{ key: 'shift.maxHours', value: 10 }] });

    till = openTill({ sync: { ...FAST, pullIntervalMs: 50 } });
    const x = till;
    let told = 0;
    x.c.on('system.changed', () => told++);
    await x.as('owner');
    await x.c.call('sync.enroll', { url: ho.url, code });
    await until(() => x.c.call('system.info', {}), (i) => i.storeName === 'Лавка на Садовой', 'the store name');
    expect(told).toBeGreaterThan(0);
    expect(x.t.backend.repos.settings.get('shift.maxHours')).toBe(10);
    expect((await x.c.call('sync.status', {})).managedSettings).toEqual(['receipt.template', 'shift.maxHours', 'store.name', 'timeZone']);

    const id = await sell(x);
    const printed = await until(() => x.c.call('receipts.printed', { id }), (p) => p !== null, 'the receipt text');
    expect(printed!.text).toContain('Лавка на Садовой');
    expect(printed!.text).toContain('ООО «Лавка», ИНН 7701234567');
    expect(printed!.text).toContain('Спасибо за покупку!');
    await expect(x.c.call('receipt.templateSave', { template: { ...template, footer: ['Своё'] } })).rejects.toMatchObject({ code: 'setting_managed' });

    // The store's own limit taken back: the chain's applies.
    await ho.admin('POST', '/v1/admin/settings', { storeId: store.id, settings: [{ key: 'shift.maxHours', value: null }] });
    await until(() => x.t.backend.repos.settings.get('shift.maxHours'), (h) => h === 12, 'the chain\'s shift limit');
  });
});

describe('enrollment when the answer is lost', () => {
  it('the head office enrolled the till but the answer never came: trying the same code again enrolls it, no new code needed', async () => {
    const ho = await headOffice();
    const store = (await ho.admin('POST', '/v1/admin/stores', { name: 'Лавка на Садовой' })) as { id: string };
    const t = (await ho.admin('POST', '/v1/admin/tills', { storeId: store.id, name: 'Касса 1' })) as { id: string };
    const { code } = (await ho.admin('POST', `/v1/admin/tills/${t.id}/enrollment-codes`, {})) as { code: string };
    // Every answer is lost on the way back (the head office commits each request).
    const proxy = new ChaosProxy(ho.url, { seed: 1, rate: 1, faults: ['drop_response'] });
    const via = await proxy.start();
    try {
      till = openTill({ sync: FAST });
      const x = till;
      await x.as('owner');
      await x.c.call('sync.enroll', { url: via, code });
      const failed = await until(() => status(x), (v) => v.enrollment.state === 'failed', 'the lost answer');
      expect(failed.enrolled).toBe(false);
      expect(proxy.counts.drop_response).toBeGreaterThan(0);
      expect(Number((await db!.query<{ n: number }>('SELECT count(*)::int AS n FROM tills WHERE enrolled_at IS NOT NULL'))[0]?.n)).toBe(1);

      await proxy.heal();
      await x.c.call('sync.enroll', { url: via, code: code.toLowerCase() });
      expect(await until(() => status(x), (v) => v.enrolled, 'enrollment on the second try')).toMatchObject({ storeName: 'Лавка на Садовой', halted: null });
      await sell(x);
      await until(() => status(x), (v) => v.queued.total === 0 && v.lastSuccessAt !== null, 'the sale delivered with the credential from the second answer');
    } finally {
      await proxy.stop();
    }
  });
});

describe('transfers between stores', () => {
  it('one store sends goods (in transit at the head office), the other\'s till gets the transfer, counts it and posts it (received)', async () => {
    const ho = await headOffice();
    const a = (await ho.admin('POST', '/v1/admin/stores', { name: 'Лавка на Садовой' })) as { id: string };
    const b = (await ho.admin('POST', '/v1/admin/stores', { name: 'Лавка у вокзала' })) as { id: string };
    const enroll = async (x: Till, storeId: string) => {
      const t = (await ho.admin('POST', '/v1/admin/tills', { storeId, name: 'Касса 1' })) as { id: string };
      const { code } = (await ho.admin('POST', `/v1/admin/tills/${t.id}/enrollment-codes`, {})) as { code: string };
      await x.as('owner');
      await x.c.call('sync.enroll', { url: ho.url, code });
      await until(() => status(x), (v) => v.enrolled, 'enrollment');
    };
    till = openTill({ sync: { ...FAST, pullIntervalMs: 50 } });
    const sender = till;
    const receiver = openTill({ sync: { ...FAST, pullIntervalMs: 50 } });
    try {
      await enroll(sender, a.id);
      await enroll(receiver, b.id);
      // Not enrolled anywhere, a till cannot send; enrolled, it sees the chain's other store.
      const stores = await until(() => sender.c.call('stores.list', {}), (l) => l.length === 1, 'the chain\'s stores');
      expect(stores).toEqual([{ id: b.id, name: 'Лавка у вокзала' }]);

      const out = await sender.c.call('transfers.create', { toStoreId: b.id });
      for (let i = 0; i < 3; i++) await sender.c.call('stockDocs.scan', { docId: out.id, code: DEMO_BARCODES.milk });
      const sent = await sender.c.call('stockDocs.post', { docId: out.id });
      expect(sent).toMatchObject({ kind: 'transfer_out', state: 'posted', store: { name: 'Лавка у вокзала' } });
      const milk = (await sender.c.call('catalog.lookup', { code: DEMO_BARCODES.milk }))!.id;
      expect(sender.t.backend.db.prepare('SELECT qty FROM stock_levels WHERE product_id = ?').pluck().get(milk)).toBe(-3_000);
      const inTransit = await until(
        async () => (await ho.admin('GET', '/v1/admin/transfers?state=in_transit')) as unknown as { from: { name: string }; to: { name: string }; lines: number }[],
        (l) => l.length === 1,
        'the transfer in transit',
      );
      expect(inTransit[0]).toMatchObject({ from: { name: 'Лавка на Садовой' }, to: { name: 'Лавка у вокзала' }, lines: 1 });

      // At the other store: a draft to receive, with what was sent as expected; two arrived.
      const incoming = await until(() => receiver.c.call('stockDocs.list', { kind: 'transfer_in' }), (l) => l.length === 1, 'the incoming transfer');
      expect(incoming[0]).toMatchObject({ state: 'draft', store: { name: 'Лавка на Садовой' } });
      await receiver.c.call('stockDocs.scan', { docId: incoming[0]!.id, code: DEMO_BARCODES.milk });
      const counted = await receiver.c.call('stockDocs.scan', { docId: incoming[0]!.id, code: DEMO_BARCODES.milk });
      expect(counted.lines).toEqual([expect.objectContaining({ productId: milk, expectedQty: 3_000, qty: 2_000, status: 'short' })]);
      await receiver.c.call('stockDocs.post', { docId: incoming[0]!.id });
      expect(receiver.t.backend.db.prepare('SELECT qty FROM stock_levels WHERE product_id = ?').pluck().get(milk)).toBe(2_000);
      await until(async () => (await ho.admin('GET', '/v1/admin/transfers?state=in_transit')) as unknown as unknown[], (l) => l.length === 0, 'the transfer received');
      const all = (await ho.admin('GET', '/v1/admin/transfers')) as unknown as { state: string }[];
      expect(all.map((t) => t.state)).toEqual(['received']);
      // The same transfer is never made into a second draft.
      expect(await receiver.c.call('stockDocs.list', { kind: 'transfer_in' })).toHaveLength(1);
    } finally {
      receiver.close();
    }
  });
});
