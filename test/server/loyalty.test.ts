import type { FastifyInstance } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { birthdayCouponCode, DEFAULT_PROGRAMME } from '../../src-common/loyalty.js';
import {
  CouponFeedRecordSchema,
  CustomerBalanceResponseSchema,
  CustomerFeedRecordSchema,
  LOYALTY_EVENTS,
  type CouponFeedRecord,
  type CustomerFeedRecord,
  type LedgerEntry,
} from '../../src-common/sync/loyalty.js';
import type { PullResponse, PushEvent, SnapshotResponse, SyncFeed } from '../../src-common/sync/protocol.js';
import { buildServer } from '../../src-server/app.js';
import type { ServerDb } from '../../src-server/db/db.js';
import { expirePoints } from '../../src-server/loyalty.js';
import { migrateServer } from '../../src-server/migrate.js';
import { pushEvent, salePayload, serverDatabases, TILL_HEADERS } from '../support/server.js';

const ADMIN = 'admin-secret-for-tests';
const databases = await serverDatabases();
const DAY = 86_400_000;

describe.each(databases)('loyalty at the head office, on $name', ({ skip, open }) => {
  if (skip) {
    it.skip(`skipped: ${skip}`, () => undefined);
    return;
  }
  let db: ServerDb & { drop(): Promise<void> };
  let app: FastifyInstance;
  const clock = Date.UTC(2026, 5, 1, 9, 0);

  beforeAll(async () => {
    db = await open();
    await migrateServer(db);
    app = await buildServer({ db, adminToken: ADMIN, now: () => clock });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  type Reply<T> = { status: number; body: T & { error?: { code: string; message: string } } };
  const admin = async <T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<Reply<T>> => {
    const r = await app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN}` }, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: r.statusCode, body: r.json() as Reply<T>['body'] };
  };
  const asTill = async <T = Record<string, unknown>>(credential: string | null, method: 'GET' | 'POST', url: string, body?: unknown): Promise<Reply<T>> => {
    const r = await app.inject({ method, url, headers: { ...TILL_HEADERS, ...(credential ? { authorization: `Bearer ${credential}` } : {}) }, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: r.statusCode, body: r.json() as Reply<T>['body'] };
  };
  const count = async (sql: string, params: unknown[] = []) => Number((await db.query<{ n: number }>(sql, params))[0]?.n);

  /** An enrolled till of its own store, pushing its loyalty channel in sequence. */
  async function enrolledTill(storeName: string, timeZone?: string) {
    const store = (await admin<{ id: string }>('POST', '/v1/admin/stores', { name: storeName, ...(timeZone ? { timeZone } : {}) })).body;
    const t = (await admin<{ id: string }>('POST', '/v1/admin/tills', { storeId: store.id, name: 'Касса 1' })).body;
    const { code } = (await admin<{ code: string }>('POST', `/v1/admin/tills/${t.id}/enrollment-codes`, {})).body;
    const credential = (await asTill<{ credential: string }>(null, 'POST', '/v1/enroll', { code, till: { name: 'Касса 1', appVersion: '0.1.0' } })).body.credential;
    const seq: Record<string, number> = {};
    let n = 0;
    const till = {
      storeId: store.id,
      tillId: t.id,
      credential,
      /** Push events as they are (a resend keeps their sequence numbers). */
      pushRaw: (events: PushEvent[], channel = 'loyalty') => asTill<{ results: { status: string }[] }>(credential, 'POST', '/v1/push', { channel, epoch: 1, events }),
      /** The next event of a channel. */
      event: (type: string, payload: unknown, channel = 'loyalty') => pushEvent((seq[channel] = (seq[channel] ?? 0) + 1), type, payload),
      /** Push one new event; its status. */
      push: async (type: string, payload: unknown, channel = 'loyalty') => {
        const r = await till.pushRaw([till.event(type, payload, channel)], channel);
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        return r.body.results[0]?.status;
      },
      /** A ledger entry with this till's next number. */
      entry: (customerId: string, kind: LedgerEntry['kind'], points: number, extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
        id: uuidv7(),
        n: ++n,
        customerId,
        kind,
        points,
        spend: 0,
        reason: kind === 'earn' ? 'purchase' : kind,
        receiptId: null,
        couponCode: null,
        at: clock,
        offline: kind === 'burn',
        ...extra,
      }),
    };
    return till;
  }

  let unique = 0;
  /** A sign-up payload with a fresh id, card and phone. */
  function signUp(extra: { name?: string | null; phone?: string | null; cardNo?: string | null; birthday?: string | null } = {}) {
    unique++;
    const id = uuidv7();
    return {
      id,
      payload: {
        customer: {
          id,
          cardNo: `2770000${String(unique).padStart(6, '0')}`,
          phone: `+7916${String(1_000_000 + unique * 7).padStart(7, '0')}`,
          name: `Покупатель ${unique}`,
          birthday: '1990-06-03',
          createdAt: clock,
          referrerId: null,
          ...extra,
        },
        consents: { loyalty: true, service: true, advertising: false },
      },
    };
  }

  async function pullAll(credential: string, feed: SyncFeed, after = 0) {
    const changes: PullResponse['changes'] = [];
    let cursor = after;
    for (;;) {
      const r = await asTill<PullResponse>(credential, 'GET', `/v1/pull?feed=${feed}&after=${cursor}&limit=3`);
      expect(r.status).toBe(200);
      changes.push(...r.body.changes);
      cursor = r.body.through;
      if (!r.body.more) return changes;
    }
  }
  /** A feed's snapshot page by page (by key), each row checked against its feed schema. */
  function snapshotAll(credential: string, feed: 'customers', limit?: number): Promise<Map<string, CustomerFeedRecord>>;
  function snapshotAll(credential: string, feed: 'coupons', limit?: number): Promise<Map<string, CouponFeedRecord>>;
  async function snapshotAll(credential: string, feed: 'customers' | 'coupons', limit = 2): Promise<Map<string, CustomerFeedRecord | CouponFeedRecord>> {
    const rows: SnapshotResponse['rows'] = [];
    let next: string | null = null;
    let total: number | null = null;
    do {
      const r: Reply<SnapshotResponse> = await asTill<SnapshotResponse>(credential, 'GET', `/v1/snapshot?feed=${feed}&limit=${limit}${next ? `&afterKey=${encodeURIComponent(next)}` : ''}`);
      expect(r.status).toBe(200);
      total ??= r.body.total;
      rows.push(...r.body.rows);
      next = r.body.nextKey;
    } while (next);
    expect(rows).toHaveLength(total ?? -1);
    const keys = rows.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    return new Map(rows.map((r) => [r.key, feed === 'customers' ? CustomerFeedRecordSchema.parse(r.data) : CouponFeedRecordSchema.parse(r.data)]));
  }
  /** The latest pulled record per customer, each checked against the feed schema. */
  const latestCustomers = (changes: PullResponse['changes']) => new Map(changes.map((c) => [c.key, CustomerFeedRecordSchema.parse(c.data)]));

  it('sign-up, then entries: the customers feed (pull and snapshot) and GET /v1/customers/:id carry the balance, spend and seen; a resent push counts nothing twice', async () => {
    const a = await enrolledTill('Лавка Бонус');
    const c = signUp();
    expect(await a.push(LOYALTY_EVENTS.signedUp, c.payload)).toBe('applied');
    const entries = [a.entry(c.id, 'earn', 100, { reason: 'welcome' }), a.entry(c.id, 'earn', 50, { spend: 5_000, receiptId: 'r-1' })];
    const batch = [a.event(LOYALTY_EVENTS.entries, { entries })];
    expect((await a.pushRaw(batch)).body.results.map((r) => r.status)).toEqual(['applied']);
    // The answer was lost: the same events again, and the same entries in a new event (the till re-queued them).
    expect((await a.pushRaw(batch)).body.results.map((r) => r.status)).toEqual(['duplicate']);
    expect(await a.push(LOYALTY_EVENTS.entries, { entries })).toBe('applied');
    expect(await a.push(LOYALTY_EVENTS.signedUp, c.payload)).toBe('applied');

    const expected = { id: c.id, points: 150, spend: 5_000, seen: { [a.tillId]: 2 }, erased: false, phone: c.payload.customer.phone, consents: { loyalty: true, service: true, advertising: false } };
    expect(latestCustomers(await pullAll(a.credential, 'customers')).get(c.id)).toMatchObject(expected);
    expect(await count('SELECT count(*) AS n FROM loyalty_ledger WHERE customer_id = $1', [c.id])).toBe(2);
    // Customers are chain-wide: another store's till sees them in its snapshot.
    const other = await enrolledTill('Лавка Другая');
    expect((await snapshotAll(other.credential, 'customers')).get(c.id)).toMatchObject({ ...expected, usedCoupons: [], createdAt: clock, birthday: '1990-06-03' });

    const balance = await asTill(other.credential, 'GET', `/v1/customers/${c.id}`);
    expect(balance.status).toBe(200);
    const answer = CustomerBalanceResponseSchema.parse(balance.body);
    expect(answer).toEqual({ id: c.id, points: 150, spend: 5_000, seen: { [a.tillId]: 2 }, erased: false, serverTime: clock, version: expect.any(Number) });
    // The version it reflects: every customers-feed row so far is at or below it.
    const pulled = await pullAll(other.credential, 'customers');
    expect(Math.max(...pulled.map((p) => p.version))).toBeLessThanOrEqual(answer.version!);

    // Consents: the newest choice by the till's clock wins, whenever it arrives.
    expect(await a.push(LOYALTY_EVENTS.consent, { customerId: c.id, purpose: 'advertising', granted: true, at: clock + 2_000 })).toBe('applied');
    expect(await other.push(LOYALTY_EVENTS.consent, { customerId: c.id, purpose: 'advertising', granted: false, at: clock + 1_000 })).toBe('applied');
    expect((await snapshotAll(a.credential, 'customers')).get(c.id)?.consents).toEqual({ loyalty: true, service: true, advertising: true });
    expect(await count('SELECT count(*) AS n FROM customer_consents WHERE customer_id = $1', [c.id])).toBe(5);
  });

  it('the customers feed carries the latest 12 days the customer bought anything anywhere in the chain, each in its store\'s time zone; none once erased', async () => {
    const a = await enrolledTill('Лавка Москва');
    const b = await enrolledTill('Лавка Владивосток', 'Asia/Vladivostok');
    const c = signUp();
    expect(await a.push(LOYALTY_EVENTS.signedUp, c.payload)).toBe('applied');
    // Welcome points are not a purchase; 13 daily purchases in Moscow (1–13 June); one in Vladivostok
    // at 20:00 UTC on the 20th, which is already the 21st there.
    const inMoscow = Array.from({ length: 13 }, (_, i) => a.entry(c.id, 'earn', 5, { spend: 500, receiptId: `m-${i}`, at: clock + i * DAY }));
    expect(await a.push(LOYALTY_EVENTS.entries, { entries: [a.entry(c.id, 'earn', 100, { reason: 'welcome' }), ...inMoscow] })).toBe('applied');
    expect(await b.push(LOYALTY_EVENTS.entries, { entries: [b.entry(c.id, 'earn', 5, { spend: 500, receiptId: 'v-1', at: Date.UTC(2026, 5, 20, 20, 0) })] })).toBe('applied');
    const days = [...Array.from({ length: 11 }, (_, i) => `2026-06-${String(i + 3).padStart(2, '0')}`), '2026-06-21'];
    expect(latestCustomers(await pullAll(a.credential, 'customers')).get(c.id)?.purchaseDays).toEqual(days);
    expect((await snapshotAll(b.credential, 'customers')).get(c.id)?.purchaseDays).toEqual(days);
    expect((await admin('DELETE', `/v1/admin/customers/${c.id}`)).status).toBe(200);
    expect(latestCustomers(await pullAll(b.credential, 'customers')).get(c.id)?.purchaseDays).toEqual([]);
  });

  it('GET /v1/customers/:id: any enrolled till of the chain may ask; no credential or a made-up one is 401; an unknown id 404', async () => {
    const a = await enrolledTill('Лавка Запрос');
    const c = signUp();
    await a.push(LOYALTY_EVENTS.signedUp, c.payload);
    expect((await asTill(null, 'GET', `/v1/customers/${c.id}`)).status).toBe(401);
    expect(await asTill('made-up', 'GET', `/v1/customers/${c.id}`)).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    expect(await asTill(a.credential, 'GET', '/v1/customers/nobody')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await asTill(a.credential, 'GET', `/v1/customers/${c.id}`)).body).toMatchObject({ id: c.id, points: 0, seen: {} });
  });

  it('two tills spend the same points offline: the overdraft is flagged, valued and recovered by later earnings', async () => {
    const a = await enrolledTill('Лавка Овердрафт А');
    const b = await enrolledTill('Лавка Овердрафт Б');
    const c = signUp();
    await a.push(LOYALTY_EVENTS.signedUp, c.payload);
    await a.push(LOYALTY_EVENTS.entries, { entries: [a.entry(c.id, 'earn', 300)] });
    // Both tills had 300 on their screen and were offline: B spends 250, A spends 200.
    expect(await b.push(LOYALTY_EVENTS.entries, { entries: [b.entry(c.id, 'burn', -250)] })).toBe('applied');
    const burn = a.entry(c.id, 'burn', -200);
    expect(await a.push(LOYALTY_EVENTS.entries, { entries: [burn] })).toBe('applied');

    expect((await asTill(a.credential, 'GET', `/v1/customers/${c.id}`)).body).toMatchObject({ points: -150, seen: { [a.tillId]: 2, [b.tillId]: 1 } });
    const od = await admin<{ totals: { open: { count: number; points: number } }; open: { customerId: string; entryId: string; points: number; tillId: string; value: number }[] }>('GET', '/v1/admin/loyalty/overdrafts');
    expect(od.status).toBe(200);
    expect(od.body.open.filter((o) => o.customerId === c.id)).toEqual([expect.objectContaining({ entryId: burn.id, points: 150, tillId: a.tillId, value: 150 * DEFAULT_PROGRAMME.pointValue })]);

    const tills = await count('SELECT count(*) AS n FROM tills WHERE enrolled_at IS NOT NULL AND revoked_at IS NULL');
    const ex = await admin<{ open: { points: number; value: number }; flagged: { customerId: string; balance: number; openPoints: number }[]; worstCasePerDay: { perCustomer: { points: number }; activeTills: number } }>(
      'GET',
      '/v1/admin/loyalty/exposure',
    );
    expect(ex.body.open.points).toBeGreaterThanOrEqual(150);
    expect(ex.body.open.value).toBe(ex.body.open.points * DEFAULT_PROGRAMME.pointValue);
    expect(ex.body.flagged).toContainEqual(expect.objectContaining({ customerId: c.id, balance: -150, openPoints: 150 }));
    expect(ex.body.worstCasePerDay).toMatchObject({ activeTills: tills, perCustomer: { points: DEFAULT_PROGRAMME.offlineBurnCapPerDay * tills } });

    // Earning 100 leaves them 50 below zero: still open. Another 60 brings them back above zero.
    await b.push(LOYALTY_EVENTS.entries, { entries: [b.entry(c.id, 'earn', 100)] });
    expect(await count('SELECT count(*) AS n FROM loyalty_overdrafts WHERE customer_id = $1 AND recovered_at IS NULL', [c.id])).toBe(1);
    await b.push(LOYALTY_EVENTS.entries, { entries: [b.entry(c.id, 'earn', 60)] });
    const after = await admin<{ open: { customerId: string }[]; recovered: { customerId: string; recoveredAt: number }[] }>('GET', '/v1/admin/loyalty/overdrafts');
    expect(after.body.open.filter((o) => o.customerId === c.id)).toEqual([]);
    expect(after.body.recovered.filter((o) => o.customerId === c.id)).toEqual([expect.objectContaining({ recoveredAt: clock })]);
    expect(latestCustomers(await pullAll(a.credential, 'customers')).get(c.id)).toMatchObject({ points: 10, seen: { [a.tillId]: 2, [b.tillId]: 3 } });
  });

  it('anomalies: an entry for an unknown customer parks the whole event (the channel goes on); one phone signed up twice keeps both customers, the second without it', async () => {
    const a = await enrolledTill('Лавка Аномалии');
    const b = await enrolledTill('Лавка Аномалии 2');
    const c = signUp();
    await a.push(LOYALTY_EVENTS.signedUp, c.payload);
    const stray = a.event(LOYALTY_EVENTS.entries, { entries: [a.entry(c.id, 'earn', 10), a.entry('no-such-customer', 'earn', 10)] });
    const next = a.event(LOYALTY_EVENTS.entries, { entries: [a.entry(c.id, 'earn', 5)] });
    const unreadable = a.event(LOYALTY_EVENTS.signedUp, { customer: { id: 'x' } });
    const wrongSign = a.event(LOYALTY_EVENTS.entries, { entries: [a.entry(c.id, 'earn', -5)] });
    expect((await a.pushRaw([stray, next, unreadable, wrongSign])).body.results.map((r) => r.status)).toEqual(['parked', 'applied', 'parked', 'parked']);
    expect(await db.query('SELECT reason FROM events WHERE id = $1', [stray.id])).toEqual([{ reason: 'customer no-such-customer is not known' }]);
    expect((await asTill(a.credential, 'GET', `/v1/customers/${c.id}`)).body).toMatchObject({ points: 5 });
    const alarms = await admin<{ parked: { eventId: string; reason: string }[] }>('GET', '/v1/admin/alarms');
    expect(alarms.body.parked.map((p) => p.eventId)).toEqual(expect.arrayContaining([stray.id, unreadable.id, wrongSign.id]));
    expect(await a.push(LOYALTY_EVENTS.consent, { customerId: 'nobody', purpose: 'service', granted: true, at: clock })).toBe('parked');

    // Till B signed up the same phone (and card) offline for someone it took for a new customer.
    const twin = signUp({ phone: c.payload.customer.phone, cardNo: c.payload.customer.cardNo });
    expect(await b.push(LOYALTY_EVENTS.signedUp, twin.payload)).toBe('applied');
    const record = (await snapshotAll(b.credential, 'customers', 50)).get(twin.id);
    expect(record).toMatchObject({ phone: null, cardNo: null, name: twin.payload.customer.name });
    expect(await db.query('SELECT field, value, other_customer_id FROM customer_conflicts WHERE customer_id = $1 ORDER BY field', [twin.id])).toEqual([
      { field: 'card_no', value: c.payload.customer.cardNo, other_customer_id: c.id },
      { field: 'phone', value: c.payload.customer.phone, other_customer_id: c.id },
    ]);
  });

  it('coupons: set by the owner and handed down; each use counted once per receipt, over the limit still counted; a birthday code joins the customer\'s used coupons', async () => {
    const a = await enrolledTill('Лавка Купоны');
    const created = await admin<CouponFeedRecord>('PUT', '/v1/admin/coupons/spring10', { value: { kind: 'percent', bp: 1_000 }, maxUses: 1, validTo: '2026-06-30' });
    expect(created.status).toBe(201);
    expect(CouponFeedRecordSchema.parse(created.body)).toEqual({
      code: 'SPRING10',
      value: { kind: 'percent', bp: 1_000 },
      maxUses: 1,
      oncePerCustomer: false,
      validFrom: null,
      validTo: '2026-06-30',
      minTotal: 0,
      active: true,
      used: 0,
    });
    expect((await admin('PUT', '/v1/admin/coupons/SPRING10', { value: { kind: 'amount', amount: 30_000 }, maxUses: 1, minTotal: 100_000 })).status).toBe(200);
    expect((await admin('PUT', '/v1/admin/coupons/BDAY-2026-ABC', { value: { kind: 'percent', bp: 1_000 } })).status).toBe(400);
    expect((await admin('PUT', '/v1/admin/coupons/X1', { value: { kind: 'percent', bp: 1_000 } })).status).toBe(400);
    expect((await admin('PUT', '/v1/admin/coupons/LATE', { value: { kind: 'percent', bp: 1_000 }, validFrom: '2026-07-01', validTo: '2026-06-01' })).status).toBe(400);
    expect((await admin('PUT', '/v1/admin/coupons/SPRING10', { value: { kind: 'percent', bp: 1_000 }, used: 5 })).status).toBe(400);

    const c = signUp();
    await a.push(LOYALTY_EVENTS.signedUp, c.payload);
    const use = (receiptId: string, code = 'spring10', customerId: string | null = c.id) => a.push(LOYALTY_EVENTS.couponUsed, { code, customerId, receiptId, at: clock });
    expect(await use('r-1')).toBe('applied');
    expect(await use('r-1')).toBe('applied');
    expect(await use('r-2', 'SPRING10', null)).toBe('applied');
    expect(await use('r-3', 'TILL-OWN-CODE')).toBe('applied');
    expect(await use('r-4', 'SPRING10', 'nobody')).toBe('parked');
    const list = await admin<(CouponFeedRecord & { overLimit: number })[]>('GET', '/v1/admin/coupons');
    expect(list.body.find((k) => k.code === 'SPRING10')).toMatchObject({ used: 2, overLimit: 1, value: { kind: 'amount', amount: 30_000 }, minTotal: 100_000 });
    const pulled = await pullAll(a.credential, 'coupons');
    expect(CouponFeedRecordSchema.parse(pulled.at(-1)?.data)).toMatchObject({ code: 'SPRING10', used: 2 });
    expect((await snapshotAll(a.credential, 'coupons')).get('SPRING10')).toMatchObject({ used: 2, maxUses: 1 });
    expect(await count(`SELECT count(*) AS n FROM coupon_uses WHERE code = 'TILL-OWN-CODE'`)).toBe(1);

    const bday = birthdayCouponCode(c.id, 2026);
    expect(await use('r-5', bday)).toBe('applied');
    expect(await use('r-6', birthdayCouponCode(c.id, 2025))).toBe('applied');
    expect((await snapshotAll(a.credential, 'customers', 50)).get(c.id)?.usedCoupons).toEqual([birthdayCouponCode(c.id, 2025), bday]);
  });

  it('erasure: personal data leaves the customers table, the consent history, the stored sign-up events and the feed (pull and snapshot); ledger, sales and coupon uses stay; export shows everything before', async () => {
    const a = await enrolledTill('Лавка Забвение');
    const b = await enrolledTill('Лавка Забвение 2');
    const c = signUp({ name: 'Анна Забытая', phone: '+79990001122', cardNo: '2770009990011', birthday: '1985-02-14' });
    const signUpEvent = a.event(LOYALTY_EVENTS.signedUp, c.payload);
    await a.pushRaw([signUpEvent]);
    await a.push(LOYALTY_EVENTS.consent, { customerId: c.id, purpose: 'advertising', granted: true, at: clock + 1 });
    const sale = salePayload({ number: 1, total: 10_000, completedAt: clock });
    const withCustomer = { ...sale, receipt: { ...sale.receipt, loyalty: { customerId: c.id } } };
    expect(await a.push('sale.completed', withCustomer, 'sales')).toBe('applied');
    await a.push(LOYALTY_EVENTS.entries, { entries: [a.entry(c.id, 'earn', 300, { receiptId: sale.receipt.id, spend: 10_000 })] });
    await a.push(LOYALTY_EVENTS.couponUsed, { code: 'TILL-OWN', customerId: c.id, receiptId: sale.receipt.id, at: clock });
    const referred = signUp({ phone: null, cardNo: null });
    await a.push(LOYALTY_EVENTS.signedUp, { ...referred.payload, customer: { ...referred.payload.customer, referrerId: c.id } });

    const exported = await admin<{
      customer: CustomerFeedRecord & { createdTill: string };
      consents: unknown[];
      ledger: { points: number; receiptId: string }[];
      couponUses: { code: string }[];
      receipts: { receiptId: string; total: number }[];
      referred: string[];
      events: { type: string }[];
    }>('GET', `/v1/admin/customers/${c.id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.body.customer).toMatchObject({ name: 'Анна Забытая', phone: '+79990001122', cardNo: '2770009990011', points: 300, createdTill: a.tillId });
    expect(exported.body.consents).toHaveLength(4);
    expect(exported.body.ledger).toEqual([expect.objectContaining({ points: 300, receiptId: sale.receipt.id })]);
    expect(exported.body.couponUses).toEqual([expect.objectContaining({ code: 'TILL-OWN' })]);
    expect(exported.body.receipts).toEqual([expect.objectContaining({ receiptId: sale.receipt.id, total: 10_000 })]);
    expect(exported.body.referred).toEqual([referred.id]);
    expect(exported.body.events.map((e) => e.type)).toEqual([LOYALTY_EVENTS.signedUp, LOYALTY_EVENTS.consent, LOYALTY_EVENTS.couponUsed]);
    expect(await admin('GET', '/v1/admin/customers/nobody/export')).toMatchObject({ status: 404 });

    // Found by the owner by phone written any way, by card and by part of the name.
    for (const q of ['8 999 000-11-22', '2770009990011', 'ЗАБЫТ', c.id]) {
      const found = await admin<CustomerFeedRecord[]>('GET', `/v1/admin/customers?q=${encodeURIComponent(q)}`);
      expect(found.body.map((x) => x.id), q).toEqual([c.id]);
    }

    const erased = await admin<CustomerFeedRecord>('DELETE', `/v1/admin/customers/${c.id}`);
    expect(erased.status).toBe(200);
    const gone = { cardNo: null, phone: null, name: null, birthday: null, erased: true, consents: { loyalty: false, service: false, advertising: false }, points: 300, spend: 10_000, seen: { [a.tillId]: 1 } };
    expect(CustomerFeedRecordSchema.parse(erased.body)).toMatchObject(gone);

    const personal = ['Анна Забытая', '+79990001122', '2770009990011', '1985-02-14'];
    const holding = async (table: string, column: string) => {
      const n: number[] = [];
      for (const p of personal) n.push(await count(`SELECT count(*) AS n FROM ${table} WHERE ${column}::text LIKE $1`, [`%${p}%`]));
      return n.reduce((x, y) => x + y, 0);
    };
    expect(await db.query('SELECT card_no, phone, name, birthday FROM customers WHERE id = $1', [c.id])).toEqual([{ card_no: null, phone: null, name: null, birthday: null }]);
    expect(await count('SELECT count(*) AS n FROM customer_consents WHERE customer_id = $1', [c.id])).toBe(0);
    expect(await holding('events', 'payload')).toBe(0);
    expect(await holding('change_log', 'data')).toBe(0);
    expect(await db.query(`SELECT payload -> 'customer' ->> 'id' AS id, hash FROM events WHERE id = $1`, [signUpEvent.id])).toEqual([{ id: c.id, hash: 'scrubbed' }]);
    // What the receipts and the books refer to stays.
    expect(await count('SELECT count(*) AS n FROM loyalty_ledger WHERE customer_id = $1', [c.id])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM sales WHERE receipt_id = $1 AND customer_id = $2', [sale.receipt.id, c.id])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM coupon_uses WHERE customer_id = $1', [c.id])).toBe(1);
    expect(await db.query('SELECT referrer_id FROM customers WHERE id = $1', [referred.id])).toEqual([{ referrer_id: c.id }]);

    // The feed: one row for the customer, the erased record, pulled from the start and in the snapshot.
    const pulled = (await pullAll(b.credential, 'customers')).filter((x) => x.key === c.id);
    expect(pulled).toHaveLength(1);
    expect(CustomerFeedRecordSchema.parse(pulled[0]?.data)).toMatchObject(gone);
    expect((await snapshotAll(b.credential, 'customers', 50)).get(c.id)).toMatchObject(gone);

    // Asked again, from a till this time: the same, once more. The sign-up resent is a duplicate, not a conflict;
    // a new sign-up event for the erased id keeps nothing of the person.
    expect(await b.push(LOYALTY_EVENTS.erased, { customerId: c.id, at: clock })).toBe('applied');
    expect((await admin('DELETE', `/v1/admin/customers/${c.id}`)).status).toBe(200);
    expect((await a.pushRaw([signUpEvent])).body.results.map((r) => r.status)).toEqual(['duplicate']);
    expect(await a.push(LOYALTY_EVENTS.signedUp, c.payload)).toBe('applied');
    expect(await holding('events', 'payload')).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM change_log WHERE feed = 'customers' AND key = $1`, [c.id])).toBe(1);
    expect((await asTill(a.credential, 'GET', `/v1/customers/${c.id}`)).body).toMatchObject({ erased: true, points: 300 });
    expect(await b.push(LOYALTY_EVENTS.erased, { customerId: 'nobody', at: clock })).toBe('parked');
    expect((await admin('DELETE', '/v1/admin/customers/nobody')).status).toBe(404);

    const after = await admin<{ customer: CustomerFeedRecord; consents: unknown[] }>('GET', `/v1/admin/customers/${c.id}/export`);
    expect(after.body.customer).toMatchObject(gone);
    expect(after.body.consents).toEqual([]);
    expect(JSON.stringify(after.body)).not.toMatch(/Анна|79990001122|2770009990011/);
    // The ledger refuses to be rewritten, erasure or not.
    await expect(db.query('UPDATE loyalty_ledger SET points = 0 WHERE customer_id = $1', [c.id])).rejects.toThrow(/never changed/);
    await expect(db.query('DELETE FROM loyalty_ledger WHERE customer_id = $1', [c.id])).rejects.toThrow(/never changed/);
  });

  it('expiry: points earned before the programme\'s window, less what was taken off since, expire as a head-office entry; running it again takes nothing more', async () => {
    const a = await enrolledTill('Лавка Сгорание');
    const programme = { ...DEFAULT_PROGRAMME, expiryDays: 30 };
    expect((await admin('POST', '/v1/admin/settings', { settings: [{ key: 'loyalty.programme', value: programme }] })).status).toBe(200);
    const c = signUp();
    const spent = signUp();
    await a.push(LOYALTY_EVENTS.signedUp, c.payload);
    await a.push(LOYALTY_EVENTS.signedUp, spent.payload);
    await a.push(LOYALTY_EVENTS.entries, {
      entries: [
        a.entry(c.id, 'earn', 100, { at: clock - 40 * DAY }),
        a.entry(c.id, 'earn', 50, { at: clock - 10 * DAY }),
        a.entry(c.id, 'burn', -30, { at: clock - 5 * DAY, offline: false }),
        a.entry(spent.id, 'earn', 100, { at: clock - 40 * DAY }),
        a.entry(spent.id, 'burn', -100, { at: clock - 35 * DAY, offline: false }),
      ],
    });
    const before = (await pullAll(a.credential, 'customers')).at(-1)?.version ?? 0;
    const r = await admin<{ customers: number; points: number; cutoff: number }>('POST', '/v1/admin/loyalty/expire');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ customers: 1, points: 70, cutoff: clock - 30 * DAY });
    expect((await asTill(a.credential, 'GET', `/v1/customers/${c.id}`)).body).toMatchObject({ points: 50, seen: { [a.tillId]: 3 } });
    expect(await db.query(`SELECT kind, points, till_id, n FROM loyalty_ledger WHERE customer_id = $1 AND kind = 'expire'`, [c.id])).toEqual([{ kind: 'expire', points: -70, till_id: null, n: 0 }]);
    expect(latestCustomers(await pullAll(a.credential, 'customers', before)).get(c.id)).toMatchObject({ points: 50 });
    expect(await expirePoints(db, clock)).toMatchObject({ customers: 0, points: 0 });
    // A month on, the 50 earned 10 days before are due too (the 30 spent came off the older points).
    expect(await expirePoints(db, clock + 25 * DAY)).toMatchObject({ customers: 1, points: 50 });
    await admin('POST', '/v1/admin/settings', { settings: [{ key: 'loyalty.programme', value: null }] });
  });
  it('expiry and a late offline burn: points spent before the expiry ran are given back from what it took, not flagged as an overdraft; a burn after it is', async () => {
    const a = await enrolledTill('Лавка Истечение А');
    const b = await enrolledTill('Лавка Истечение Б');
    expect((await admin('POST', '/v1/admin/settings', { settings: [{ key: 'loyalty.programme', value: { ...DEFAULT_PROGRAMME, expiryDays: 30 } }] })).status).toBe(200);
    const c = signUp();
    await a.push(LOYALTY_EVENTS.signedUp, c.payload);
    await a.push(LOYALTY_EVENTS.entries, { entries: [a.entry(c.id, 'earn', 100, { at: clock - 40 * DAY }), a.entry(c.id, 'earn', 50, { at: clock - 10 * DAY })] });
    // Store B, offline, lets her spend 120 an hour before the expiry runs; it learns nothing of it.
    const lateBurn = b.entry(c.id, 'burn', -120, { at: clock - 3_600_000 });
    expect(await expirePoints(db, clock)).toMatchObject({ customers: 1, points: 100 });
    expect((await asTill(a.credential, 'GET', `/v1/customers/${c.id}`)).body).toMatchObject({ points: 50 });
    // B's burn arrives. Known in time, it would have used the 100 old points and the expiry taken none:
    // the 100 come back, and the balance is 150 − 120 = 30, no overdraft.
    expect(await b.push(LOYALTY_EVENTS.entries, { entries: [lateBurn] })).toBe('applied');
    expect((await asTill(a.credential, 'GET', `/v1/customers/${c.id}`)).body).toMatchObject({ points: 30 });
    expect(await db.query(`SELECT points, reason FROM loyalty_ledger WHERE customer_id = $1 AND kind = 'expire' ORDER BY reason`, [c.id])).toEqual([
      { points: -100, reason: 'expiry' },
      { points: 100, reason: 'expiry-returned' },
    ]);
    expect(await count('SELECT count(*) AS n FROM loyalty_overdrafts WHERE customer_id = $1', [c.id])).toBe(0);
    // Resent, it is a duplicate: nothing comes back twice.
    expect(await b.push(LOYALTY_EVENTS.entries, { entries: [lateBurn] })).toBe('applied');
    expect((await asTill(a.credential, 'GET', `/v1/customers/${c.id}`)).body).toMatchObject({ points: 30 });
    // A burn made after the expiry ran gets nothing back: over the balance it is an overdraft as before.
    expect(await b.push(LOYALTY_EVENTS.entries, { entries: [b.entry(c.id, 'burn', -40, { at: clock + 3_600_000 })] })).toBe('applied');
    expect((await asTill(a.credential, 'GET', `/v1/customers/${c.id}`)).body).toMatchObject({ points: -10 });
    expect(await count('SELECT count(*) AS n FROM loyalty_overdrafts WHERE customer_id = $1', [c.id])).toBe(1);
    // The next expiry run takes nothing: the old points were spent.
    expect(await expirePoints(db, clock + DAY)).toMatchObject({ customers: 0 });
    await admin('POST', '/v1/admin/settings', { settings: [{ key: 'loyalty.programme', value: null }] });
  });

  it('the day\'s scheduled SMS: one till of the chain sends them day after day; another takes over only when it is revoked or silent for two days', async () => {
    const a = await enrolledTill('Лавка SMS-1');
    const b = await enrolledTill('Лавка SMS-2');
    const ask = async (t: { credential: string }, day: unknown) => {
      const r = await asTill<{ day: string; tillId: string; mine: boolean }>(t.credential, 'POST', '/v1/sms/daily-turn', { day });
      return r.status === 200 ? (r.body.tillId === a.tillId ? 'a' : r.body.tillId === b.tillId ? 'b' : r.body.tillId) : r.status;
    };
    // The first to ask becomes the sender, and is told so again.
    expect(await ask(a, '2026-06-02')).toBe('a');
    expect(await ask(b, '2026-06-02')).toBe('a');
    expect(await ask(a, '2026-06-02')).toBe('a');
    // The next day is the sender's even when another till asks first (its outbox knows whom it has
    // already wished a happy birthday; the window spans days).
    expect(await ask(b, '2026-06-03')).toBe('a');
    expect(await ask(a, '2026-06-03')).toBe('a');
    // The sender falls silent: its days wait for it for two days, then the next till to ask takes over.
    expect(await ask(b, '2026-06-04')).toBe('a');
    expect(await ask(b, '2026-06-05')).toBe('a');
    expect(await ask(b, '2026-06-06')).toBe('b');
    expect(await ask(a, '2026-06-06')).toBe('b');
    expect(await ask(a, '2026-06-07')).toBe('b');
    // The sender is revoked: the next till to ask takes the next day.
    expect((await admin('POST', `/v1/admin/tills/${b.tillId}/revoke`, {})).status).toBe(200);
    expect(await ask(a, '2026-06-08')).toBe('a');
    // Bad input: 400 and nothing taken; no credential: 401.
    expect(await ask(a, '2 июня')).toBe(400);
    expect((await asTill(null, 'POST', '/v1/sms/daily-turn', { day: '2026-06-09' })).status).toBe(401);
    expect(await count(`SELECT COUNT(*) AS n FROM sms_daily_turns WHERE day > '2026-06-08'`)).toBe(0);
  });
});
