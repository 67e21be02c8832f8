import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAMME } from '../../src-common/loyalty.js';
import type { SyncStatusView } from '../../src-common/rpc/schemas.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import type { BackendConfig } from '../../src-main/host/backend.js';
import { buildServer } from '../../src-server/app.js';
import { openPglite, type ServerDb } from '../../src-server/db/db.js';
import { migrateServer } from '../../src-server/migrate.js';
import { ChaosProxy } from '../support/chaos-proxy.js';
import { waitFor as until } from '../support/wait.js';
import { failure, openTill, type Till } from './support.js';

/**
 * Loyalty across a chain, against the real head office (src-server on PGlite over HTTP): two
 * tills in two stores, each behind a proxy that can cut it off. Points spent offline at both tills
 * are bounded by the owner's cap; after sync the ledger is one, the overdraft is flagged and then
 * recovered from later earnings; erasing a customer removes them everywhere.
 */
const ADMIN = 'admin-secret-for-loyalty-tests';
const FAST: BackendConfig['sync'] = { backoff: { baseMs: 20, maxMs: 200, minMs: 10 }, kickDelayMs: 5, publishIntervalMs: 5, timeoutMs: 2_000, pullIntervalMs: 50 };
const CAP = 80;

const open: { close(): void | Promise<void> }[] = [];
let db: ServerDb | null = null;
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
  await db?.close();
  db = null;
});

type Admin = (method: 'GET' | 'POST' | 'DELETE' | 'PUT', path: string, body?: unknown) => Promise<Record<string, unknown>>;

async function headOffice(): Promise<{ url: string; admin: Admin }> {
  db = await openPglite();
  await migrateServer(db);
  const app: FastifyInstance = await buildServer({ db, adminToken: ADMIN });
  await app.listen({ host: '127.0.0.1', port: 0 });
  open.push({ close: () => app.close() });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const admin: Admin = async (method, path, body) => {
    const r = await app.inject({ method, url: path, headers: { authorization: `Bearer ${ADMIN}` }, ...(body === undefined ? {} : { payload: body as object }) });
    if (r.statusCode >= 400) throw new Error(`${method} ${path}: ${r.statusCode} ${r.body}`);
    return r.json() as Record<string, unknown>;
  };
  return { url, admin };
}

const status = (x: Till): SyncStatusView => x.t.backend.sync.status();

/** A till in its own store, enrolled through a proxy that can cut it off from the head office. */
async function tillInStore(ho: { url: string; admin: Admin }, storeName: string): Promise<{ x: Till; proxy: ChaosProxy; tillId: string }> {
  const store = (await ho.admin('POST', '/v1/admin/stores', { name: storeName })) as { id: string };
  const t = (await ho.admin('POST', '/v1/admin/tills', { storeId: store.id, name: 'Касса 1' })) as { id: string };
  const { code } = (await ho.admin('POST', `/v1/admin/tills/${t.id}/enrollment-codes`, {})) as { code: string };
  const proxy = new ChaosProxy(ho.url, { seed: 7, rate: 0, faults: ['drop_request'] });
  const via = await proxy.start();
  open.push({ close: () => proxy.stop() });
  const x = openTill({ sync: FAST });
  open.push(x);
  await x.as('owner');
  await x.c.call('sync.enroll', { url: via, code });
  await until(() => status(x), (v) => v.enrolled, `${storeName} enrolled`);
  return { x, proxy, tillId: t.id };
}

async function settled(x: Till, what: string): Promise<void> {
  await until(() => status(x), (v) => v.queued.total === 0 && v.connection === 'online', what, 20_000);
}

async function headOfficeCustomer(id: string): Promise<{ points: number; spend: number; phone: string | null; name: string | null; card_no: string | null }> {
  const [row] = await db!.query<{ points: string; spend: string; phone: string | null; name: string | null; card_no: string | null }>(
    'SELECT points, spend, phone, name, card_no FROM customers WHERE id = $1',
    [id],
  );
  return { ...row!, points: Number(row!.points), spend: Number(row!.spend) };
}

async function buyMilk(x: Till, customerId: string, n: number, points: number): Promise<{ total: number; earned: number }> {
  await x.c.call('checkout.setCustomer', { customerId });
  for (let i = 0; i < n; i++) await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
  const v = points > 0 ? await x.c.call('checkout.redeemPoints', { points }) : (await x.c.call('checkout.current'))!;
  const sale = await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: v.total }] });
  return { total: sale.total, earned: sale.loyalty!.pointsEarned };
}

describe('loyalty across the chain', () => {
  it('a promo code the head office makes reaches every till; uses go up and count against its limit chain-wide', async () => {
    const ho = await headOffice();
    const a = await tillInStore(ho, 'Лавка на Садовой');
    const b = await tillInStore(ho, 'Лавка у вокзала');
    await ho.admin('PUT', '/v1/admin/coupons/chain5', { value: { kind: 'amount', amount: 500 }, maxUses: 1, minTotal: 0, active: true });
    await a.x.as('cashier');
    await a.x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    const v = await until(() => a.x.c.call('checkout.applyCoupon', { code: 'CHAIN5' }).catch(() => null), (r) => r !== null, 'the coupon at store A');
    expect(v!.total).toBe(8_990 - 500);
    // Made at the head office: the till cannot change it.
    await a.x.as('manager');
    expect(await failure(a.x.c.call('loyalty.saveCoupon', { code: 'CHAIN5', value: { kind: 'amount', amount: 9_000 }, maxUses: null, oncePerCustomer: false, validFrom: null, validTo: null, minTotal: 0, active: true }))).toMatchObject({ code: 'setting_managed' });
    await a.x.as('cashier');
    await a.x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 8_490 }] });
    await settled(a.x, 'the use delivered');
    expect(Number((await db!.query<{ used: number }>(`SELECT used FROM coupons WHERE code = 'CHAIN5'`))[0]!.used)).toBe(1);
    // Store B hears it was used up.
    await b.x.as('cashier');
    await b.x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    expect(await until(() => failure(b.x.c.call('checkout.applyCoupon', { code: 'CHAIN5' })).catch(() => ({ code: 'applied', details: {} as Record<string, unknown> })), (f) => f.details.reason === 'used_up', 'used up at store B')).toMatchObject({ code: 'coupon_invalid' });
  });

  it('two stores spend the same customer’s points with the head office unreachable: bounded by the cap, one ledger after sync, the overdraft flagged and recovered', async () => {
    const ho = await headOffice();
    await ho.admin('POST', '/v1/admin/settings', { settings: [{ key: 'loyalty.programme', value: { ...DEFAULT_PROGRAMME, welcomePoints: 100, offlineBurnCapPerDay: CAP } }] });
    const a = await tillInStore(ho, 'Лавка на Садовой');
    const b = await tillInStore(ho, 'Лавка у вокзала');
    for (const t of [a, b]) await until(async () => (await t.x.c.call('loyalty.programme')).managed, (m) => m, 'the chain’s programme');

    // Signed up at store A; store B learns the customer and the balance from the head office.
    await a.x.as('cashier');
    const olga = await a.x.c.call('customers.signUp', { phone: '+79161112233', name: 'Ольга', consents: { loyalty: true, service: true } });
    await settled(a.x, 'the sign-up delivered');
    await b.x.as('cashier');
    const atB = await until(() => b.x.c.call('customers.find', { text: '8 916 111-22-33' }), (r) => r.length === 1, 'the customer at store B');
    expect(atB[0]!.id).toBe(olga.id);
    expect(await until(() => b.x.c.call('customers.get', { id: olga.id }), (c) => c.points === 100, 'the balance at store B')).toMatchObject({ points: 100 });

    // The head office becomes unreachable for both stores.
    a.proxy.setRate(1);
    b.proxy.setRate(1);
    // Let any confirmation in flight time out: neither till has a fresh answer now.
    a.x.t.clock.advance(DEFAULT_PROGRAMME.confirmFreshSeconds * 1000 + 1);
    b.x.t.clock.advance(DEFAULT_PROGRAMME.confirmFreshSeconds * 1000 + 1);
    await a.x.as('cashier');
    await b.x.as('cashier');

    // Each store lets her spend up to the cap today, and not a point more.
    await a.x.c.call('checkout.setCustomer', { customerId: olga.id });
    for (let i = 0; i < 10; i++) await a.x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    expect(await failure(a.x.c.call('checkout.redeemPoints', { points: CAP + 1 }))).toMatchObject({ code: 'points_unavailable', details: { max: CAP, reason: 'offline_cap' } });
    const capped = await a.x.c.call('checkout.redeemPoints', { points: CAP });
    const doneA = await a.x.c.call('checkout.complete', { payments: [{ method: 'card', amount: capped.total }] });
    const saleA = { total: doneA.total, earned: doneA.loyalty!.pointsEarned };
    const saleB = await buyMilk(b.x, olga.id, 10, CAP);
    expect((await a.x.c.call('customers.get', { id: olga.id })).online).toBe(false);

    // Back online: everything goes up, the balances come down.
    a.proxy.setRate(0);
    b.proxy.setRate(0);
    await a.x.c.call('sync.now');
    await b.x.c.call('sync.now');
    await settled(a.x, 'store A delivered');
    await settled(b.x, 'store B delivered');

    // One ledger: the head office's balance is the sum of every entry from both stores, each once.
    const entries = await db!.query<{ n: string; total: string }>('SELECT count(*) AS n, sum(points) AS total FROM loyalty_ledger WHERE customer_id = $1', [olga.id]);
    const expected = 100 - 2 * CAP + saleA.earned + saleB.earned;
    expect(Number(entries[0]!.total)).toBe(expected);
    expect(Number(entries[0]!.n)).toBe(1 + 2 + 2);
    expect((await headOfficeCustomer(olga.id)).points).toBe(expected);
    // 100 points, 160 spent: the overdraft is flagged, and no bigger than the cap.
    expect(expected).toBeLessThan(0);
    expect(-expected).toBeLessThanOrEqual(CAP);
    const od = (await ho.admin('GET', '/v1/admin/loyalty/overdrafts')) as { open: { customerId: string; points: number }[] };
    expect(od.open.map((o) => o.customerId)).toEqual([olga.id]);
    // How far below zero the second store's burn went when it arrived (its earning after it already counts in what is owed now).
    expect(od.open[0]!.points).toBeGreaterThanOrEqual(-expected);
    expect(od.open[0]!.points).toBeLessThanOrEqual(CAP);
    const exposure = (await ho.admin('GET', '/v1/admin/loyalty/exposure')) as { owed: { points: number }; worstCasePerDay: { perCustomer: { points: number }; activeTills: number } };
    expect(exposure.owed.points).toBe(-expected);
    expect(exposure.worstCasePerDay).toMatchObject({ activeTills: 2, perCustomer: { points: 2 * CAP } });

    // Both tills come to the head office's balance, and nobody can spend from it now.
    for (const t of [a, b]) {
      await t.x.as('cashier');
      expect(await until(() => t.x.c.call('customers.get', { id: olga.id }), (c) => c.points === expected, 'the balance after sync')).toMatchObject({ points: expected });
    }
    await b.x.c.call('checkout.setCustomer', { customerId: olga.id });
    await b.x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    expect(await failure(b.x.c.call('checkout.redeemPoints', { points: 1 }))).toMatchObject({ code: 'points_unavailable', details: { max: 0 } });
    await b.x.c.call('checkout.setCustomer', { customerId: null });
    await b.x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 8_990 }] });

    // Later purchases recover it: once the balance is back above zero the flag is cleared.
    let balance = expected;
    while (balance < 0) {
      const s = await buyMilk(a.x, olga.id, 30, 0);
      balance += s.earned;
    }
    await settled(a.x, 'the recovering purchases delivered');
    expect((await headOfficeCustomer(olga.id)).points).toBe(balance);
    const recovered = await db!.query<{ open: string }>('SELECT count(*) FILTER (WHERE recovered_at IS NULL) AS open FROM loyalty_overdrafts WHERE customer_id = $1', [olga.id]);
    expect(Number(recovered[0]!.open)).toBe(0);
  });

  it('birthday points given at one store are not given (or printed) again at another once it has heard', async () => {
    const ho = await headOffice();
    await ho.admin('POST', '/v1/admin/settings', {
      settings: [{ key: 'loyalty.programme', value: { ...DEFAULT_PROGRAMME, welcomePoints: 0, birthday: { ...DEFAULT_PROGRAMME.birthday, points: 300, coupon: null } } }],
    });
    const a = await tillInStore(ho, 'Лавка на Садовой');
    const b = await tillInStore(ho, 'Лавка у вокзала');
    for (const t of [a, b]) await until(async () => (await t.x.c.call('loyalty.programme')).managed, (m) => m, 'the chain’s programme');
    // Her birthday was two days ago (the clocks stand at 22 November): inside the window.
    await a.x.as('cashier');
    const lena = await a.x.c.call('customers.signUp', { phone: '+79165554433', name: 'Лена', birthday: '2000-11-20', consents: { loyalty: true } });
    const atA = await buyMilk(a.x, lena.id, 1, 0);
    expect(atA.earned).toBe(2 + 300);
    await settled(a.x, 'the gift delivered');
    await b.x.as('cashier');
    await until(() => b.x.c.call('customers.get', { id: lena.id }).catch(() => null), (c) => c?.points === 302, 'her balance at store B');
    const atB = await buyMilk(b.x, lena.id, 1, 0);
    expect(atB.earned).toBe(2);
    await settled(b.x, 'store B delivered');
    expect(await headOfficeCustomer(lena.id)).toMatchObject({ points: 304 });
    expect(Number((await db!.query<{ n: number }>(`SELECT count(*) AS n FROM loyalty_ledger WHERE customer_id = $1 AND reason = 'birthday-2026'`, [lena.id]))[0]!.n)).toBe(1);
  });

  it('the day’s birthday message goes once per chain: the chain’s sender sends it, another till cut off from the head office waits rather than send it too', async () => {
    const ho = await headOffice();
    const a = await tillInStore(ho, 'Лавка на Садовой');
    const b = await tillInStore(ho, 'Лавка у вокзала');
    // Both tills send SMS through their emulated provider, the day's messages switched on (the
    // default). Store A is switched on first and asks first: it becomes the chain's sender.
    const turnOf = async (day: string) => (await db!.query<{ till_id: string }>('SELECT till_id FROM sms_daily_turns WHERE day = $1', [day]))[0]?.till_id ?? null;
    for (const { x } of [a, b]) {
      await x.as('manager');
      const { apiKeySet: _set, ...settings } = await x.c.call('sms.settings');
      await x.c.call('sms.saveSettings', { settings: { ...settings, enabled: true, provider: 'emulator', dailyTriggers: true } });
      if (x === a.x) await until(() => turnOf('2026-11-22'), (t) => t === a.tillId, 'store A sending the day’s messages');
    }
    // Ivan's birthday, 26 November, enters the coupon's window tomorrow (the clocks stand at the 22nd).
    await a.x.as('cashier');
    await a.x.c.call('customers.signUp', { phone: '+79162223344', name: 'Иван', birthday: '1991-11-26', consents: { loyalty: true, service: true, advertising: true } });
    await settled(a.x, 'the sign-up delivered');
    await b.x.as('cashier');
    await until(() => b.x.c.call('customers.find', { text: '+79162223344' }), (r) => r.length === 1, 'Ivan known at store B');
    const birthdaysAt = (x: Till) => x.t.backend.db.prepare(`SELECT COUNT(*) FROM sms_outbox WHERE kind = 'birthday'`).pluck().get() as number;
    const wake = async (x: Till) => {
      await x.as('manager');
      const { apiKeySet: _set, ...settings } = await x.c.call('sms.settings');
      await x.c.call('sms.saveSettings', { settings });
    };

    // Next morning store B cannot reach the head office: it does not send the day's messages on its own.
    b.proxy.setRate(1);
    for (const { x } of [a, b]) x.t.clock.advance(23 * 3_600_000);
    await wake(b.x);
    await new Promise((r) => setTimeout(r, 300));
    expect(birthdaysAt(b.x)).toBe(0);
    // Store A asks, is given the day, and sends Ivan his birthday coupon.
    await wake(a.x);
    const sentByA = await until(() => a.x.c.call('sms.emulated'), (m) => m.some((s) => /рождения/.test(s.text)), 'the birthday message from store A');
    expect(sentByA.filter((s) => /рождения/.test(s.text)).map((s) => s.to)).toEqual(['79162223344']);
    // Store B is back; it asks again a few minutes later and leaves the day to store A.
    await b.proxy.heal();
    b.x.t.clock.advance(5 * 60_000);
    await wake(b.x);
    expect(await turnOf('2026-11-23')).toBe(a.tillId);
    await new Promise((r) => setTimeout(r, 300));
    expect(birthdaysAt(b.x)).toBe(0);
    expect((await b.x.c.call('sms.emulated')).filter((s) => /рождения/.test(s.text))).toEqual([]);
    expect(birthdaysAt(a.x)).toBe(1);
  });

  it('erasing a customer at the head office removes their personal data there and on every till after sync; receipts and totals stay', async () => {
    const ho = await headOffice();
    const a = await tillInStore(ho, 'Лавка на Садовой');
    const b = await tillInStore(ho, 'Лавка у вокзала');
    await a.x.as('cashier');
    const olga = await a.x.c.call('customers.signUp', { phone: '+79164445566', name: 'Ольга Иванова', birthday: '1985-03-08', consents: { loyalty: true, service: true, advertising: true } });
    const sale = await buyMilk(a.x, olga.id, 2, 0);
    await settled(a.x, 'delivered');
    await b.x.as('cashier');
    await until(() => b.x.c.call('customers.find', { text: '+79164445566' }), (r) => r.length === 1, 'known at store B');
    const salesBefore = await db!.query<{ n: string; total: string }>('SELECT count(*) AS n, sum(total) AS total FROM sales');

    await ho.admin('DELETE', `/v1/admin/customers/${olga.id}`);
    expect(await headOfficeCustomer(olga.id)).toMatchObject({ phone: null, name: null, card_no: null });
    const events = await db!.query<{ payload: unknown }>(`SELECT payload FROM events WHERE type = 'customer.signed_up'`);
    expect(JSON.stringify(events)).not.toMatch(/Ольга|79164445566/);

    for (const t of [a, b]) {
      await until(() => t.x.c.call('customers.find', { text: '+79164445566' }), (r) => r.length === 0, 'erased on the till');
      const row = t.x.t.backend.db.prepare('SELECT card_no, phone, name, birthday, erased_at FROM customers WHERE id = ?').get(olga.id) as Record<string, unknown>;
      expect(row).toMatchObject({ card_no: null, phone: null, name: null, birthday: null });
      expect(row.erased_at).not.toBeNull();
      expect(t.x.t.backend.db.prepare('SELECT COUNT(*) FROM customer_consents WHERE customer_id = ?').pluck().get(olga.id)).toBe(0);
      const outbox = t.x.t.backend.db.prepare(`SELECT payload FROM outbox WHERE type = 'customer.signed_up'`).all();
      expect(JSON.stringify(outbox)).not.toMatch(/Ольга|79164445566/);
    }
    // The receipts and the day's totals are untouched; the receipt keeps only the pseudonymous id.
    const salesAfter = await db!.query<{ n: string; total: string }>('SELECT count(*) AS n, sum(total) AS total FROM sales');
    expect(salesAfter).toEqual(salesBefore);
    const receipt = a.x.t.backend.db.prepare(`SELECT total, customer_id FROM receipts WHERE kind = 'sale' AND state = 'completed'`).get() as { total: number; customer_id: string };
    expect(receipt).toEqual({ total: sale.total, customer_id: olga.id });
  });
});
