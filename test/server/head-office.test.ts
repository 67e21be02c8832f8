import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, type PushEvent } from '../../src-common/sync/protocol.js';
import { buildServer } from '../../src-server/app.js';
import type { ServerDb } from '../../src-server/db/db.js';
import { loadServerMigrations, migrateServer } from '../../src-server/migrate.js';
import { pushEvent, salePayload, serverDatabases, TILL_HEADERS } from '../support/server.js';

const ADMIN = 'admin-secret-for-tests';
const databases = await serverDatabases();

describe.each(databases)('head office on $name', ({ skip, open }) => {
  if (skip) {
    it.skip(`skipped: ${skip}`, () => undefined);
    return;
  }
  let db: ServerDb & { drop(): Promise<void> };
  let app: FastifyInstance;
  let clock = Date.UTC(2026, 11, 1, 9, 0);

  beforeAll(async () => {
    db = await open();
    await migrateServer(db);
    app = await buildServer({ db, adminToken: ADMIN, now: () => clock });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const admin = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
    const r = await app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN}` }, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: r.statusCode, body: r.json() as Record<string, unknown> & { error?: { code: string } } };
  };
  const till = async (method: 'GET' | 'POST', url: string, credential: string | null, body?: unknown, headers: Record<string, string> = TILL_HEADERS) => {
    const r = await app.inject({
      method,
      url,
      headers: { ...headers, ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    return { status: r.statusCode, body: r.json() as Record<string, unknown> & { error?: { code: string } } };
  };

  /** A store with an enrolled till: its ids and credential. */
  async function enrolledTill(storeName: string, timeZone = 'Europe/Moscow') {
    const store = (await admin('POST', '/v1/admin/stores', { name: storeName, timeZone })).body as { id: string };
    const t = (await admin('POST', '/v1/admin/tills', { storeId: store.id, name: 'Касса 1' })).body as { id: string };
    const { code } = (await admin('POST', `/v1/admin/tills/${t.id}/enrollment-codes`, {})).body as { code: string };
    const enrolled = await till('POST', '/v1/enroll', null, { code, till: { name: 'Касса 1', appVersion: '0.1.0' } });
    expect(enrolled.status).toBe(200);
    return { storeId: store.id, tillId: t.id, credential: enrolled.body.credential as string };
  }

  const push = (credential: string, events: PushEvent[], o: { channel?: string; epoch?: number } = {}) =>
    till('POST', '/v1/push', credential, { channel: o.channel ?? 'sales', epoch: o.epoch ?? 1, events });

  const count = async (sql: string, params: unknown[] = []) => Number((await db.query<{ n: number }>(sql, params))[0]?.n);

  it('answers health with the database kind', async () => {
    const r = await app.inject({ method: 'GET', url: '/v1/health' });
    expect(r.json()).toMatchObject({ ok: true, db: db.kind });
  });

  it('the owner creates a store and a till and gets a one-time code; the admin API wants the admin token', async () => {
    expect((await app.inject({ method: 'POST', url: '/v1/admin/stores', payload: { name: 'X' } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/v1/admin/stores', headers: { authorization: 'Bearer wrong' }, payload: { name: 'X' } })).statusCode).toBe(401);
    const store = await admin('POST', '/v1/admin/stores', { name: 'Лавка на Садовой' });
    expect(store.status).toBe(201);
    const t = await admin('POST', '/v1/admin/tills', { storeId: store.body.id, name: 'Касса 2' });
    expect(t.status).toBe(201);
    const code = await admin('POST', `/v1/admin/tills/${String(t.body.id)}/enrollment-codes`, { ttlMinutes: 30 });
    expect(code.body.code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(code.body.expiresAt).toBe(clock + 30 * 60_000);
    expect((await admin('POST', '/v1/admin/tills', { storeId: 'no-such-store', name: 'x' })).body.error?.code).toBe('not_found');
    expect((await admin('POST', '/v1/admin/stores', { name: '' })).status).toBe(400);
  });

  it('a code enrolls once: reused, expired, unknown and malformed codes are refused; only the credential\'s hash is stored', async () => {
    const store = (await admin('POST', '/v1/admin/stores', { name: 'Лавка у вокзала' })).body as { id: string };
    const t = (await admin('POST', '/v1/admin/tills', { storeId: store.id, name: 'Касса 1' })).body as { id: string };
    const { code } = (await admin('POST', `/v1/admin/tills/${t.id}/enrollment-codes`, {})).body as { code: string };
    const body = { code: code.toLowerCase(), till: { name: 'Касса 1', appVersion: '0.1.0' } };
    const first = await till('POST', '/v1/enroll', null, body);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ tillId: t.id, storeId: store.id, storeName: 'Лавка у вокзала' });
    const credential = first.body.credential as string;
    expect(credential.length).toBeGreaterThanOrEqual(40);
    const stored = await db.query<{ credential_hash: string }>('SELECT credential_hash FROM tills WHERE id = $1', [t.id]);
    expect(stored[0]?.credential_hash).not.toContain(credential);

    expect(await till('POST', '/v1/enroll', null, body)).toMatchObject({ status: 401, body: { error: { code: 'enrollment_used' } } });
    const late = (await admin('POST', `/v1/admin/tills/${t.id}/enrollment-codes`, { ttlMinutes: 10 })).body as { code: string };
    clock += 11 * 60_000;
    expect(await till('POST', '/v1/enroll', null, { ...body, code: late.code })).toMatchObject({ status: 401, body: { error: { code: 'enrollment_expired' } } });
    expect(await till('POST', '/v1/enroll', null, { ...body, code: 'ABCD-EFGH-JKLM' })).toMatchObject({ status: 401, body: { error: { code: 'enrollment_invalid' } } });
    expect(await till('POST', '/v1/enroll', null, { ...body, code: 'not a code' })).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    // The first credential still works: nothing above touched it.
    expect((await till('GET', '/v1/cursors', credential)).status).toBe(200);
  });

  it('an enrollment whose answer was lost: the same till asks again with its request id and gets a fresh credential; anyone else, or later, gets "used"', async () => {
    const store = (await admin('POST', '/v1/admin/stores', { name: 'Лавка на Мира' })).body as { id: string };
    const t = (await admin('POST', '/v1/admin/tills', { storeId: store.id, name: 'Касса 1' })).body as { id: string };
    const { code } = (await admin('POST', `/v1/admin/tills/${t.id}/enrollment-codes`, {})).body as { code: string };
    const requestId = 'a1'.repeat(16);
    const body = { code, till: { name: 'Касса 1', appVersion: '0.1.0' }, requestId };
    const lost = await till('POST', '/v1/enroll', null, body);
    expect(lost.status).toBe(200);
    clock += 60_000;
    const again = await till('POST', '/v1/enroll', null, body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ tillId: t.id, storeId: store.id });
    expect(again.body.credential).not.toBe(lost.body.credential);
    // The credential nobody received stops working; the new one works.
    expect((await till('GET', '/v1/cursors', lost.body.credential as string)).status).toBe(401);
    expect((await till('GET', '/v1/cursors', again.body.credential as string)).status).toBe(200);
    // Another request id, none, or the same one after the retry window: the code is spent.
    expect(await till('POST', '/v1/enroll', null, { ...body, requestId: 'b2'.repeat(16) })).toMatchObject({ status: 401, body: { error: { code: 'enrollment_used' } } });
    expect(await till('POST', '/v1/enroll', null, { code, till: body.till })).toMatchObject({ status: 401, body: { error: { code: 'enrollment_used' } } });
    clock += 15 * 60_000;
    expect(await till('POST', '/v1/enroll', null, body)).toMatchObject({ status: 401, body: { error: { code: 'enrollment_used' } } });
    expect((await till('GET', '/v1/cursors', again.body.credential as string)).status).toBe(200);
    expect(await till('POST', '/v1/enroll', null, { ...body, requestId: 'not-hex' })).toMatchObject({ status: 400 });
  });

  it('transfers: a store sends goods to another (in transit, handed to that store\'s feed) and only that store receives them; a transfer nowhere is parked', async () => {
    const a = await enrolledTill('Перемещения А');
    const b = await enrolledTill('Перемещения Б');
    const lines = [{ sku: null, barcodes: ['4600000000015'], name: 'Молоко', qty: 3_000, cost: 5_000 }];
    const sent = (seq: number, id: string, toStoreId: string) => pushEvent(seq, 'transfer.sent', { tillId: 'local', transfer: { id, number: seq, toStoreId, sentAt: clock, lines } });
    const r = await push(a.credential, [sent(1, 'tr-self', a.storeId), sent(2, 'tr-nowhere', 'no-such-store'), sent(3, 'tr-1', b.storeId)], { channel: 'stock' });
    expect(r.body).toMatchObject({ ackedThrough: 3, results: [{ status: 'parked' }, { status: 'parked' }, { status: 'applied' }] });
    const inTransit = (await admin('GET', '/v1/admin/transfers?state=in_transit')).body as unknown as { id: string; valueAtCost: number }[];
    expect(inTransit.filter((t) => t.id === 'tr-1')).toEqual([expect.objectContaining({ id: 'tr-1', valueAtCost: 15_000 })]);
    const feed = await till('GET', '/v1/snapshot?feed=transfers&limit=10', b.credential);
    expect((feed.body.rows as { key: string }[]).map((x) => x.key)).toEqual(['tr-1']);
    expect(((await till('GET', '/v1/snapshot?feed=transfers&limit=10', a.credential)).body.rows as unknown[]).length).toBe(0);

    const received = (seq: number) => pushEvent(seq, 'transfer.received', { tillId: 'local', transfer: { id: 'tr-1', receivedAt: clock, lines } });
    // The sender cannot receive its own transfer; the store it was sent to does.
    expect((await push(a.credential, [received(4)], { channel: 'stock' })).body).toMatchObject({ results: [{ status: 'parked' }] });
    expect((await push(b.credential, [received(1)], { channel: 'stock' })).body).toMatchObject({ results: [{ status: 'applied' }] });
    expect((await admin('GET', '/v1/admin/transfers?state=in_transit')).body).toEqual([]);
  });

  it('pushes exactly once: applied, then duplicate on a resend; the cursor acks through the last; a gap applies nothing after it', async () => {
    const a = await enrolledTill('Лавка 1');
    const e = [1, 2, 3].map((n) => pushEvent(n, 'sale.completed', salePayload({ number: n, total: 1000 * n, completedAt: clock })));
    const first = await push(a.credential, e.slice(0, 2));
    expect(first.body).toMatchObject({ ackedThrough: 2, expected: null, results: [{ seq: 1, status: 'applied' }, { seq: 2, status: 'applied' }] });
    // The answer was lost: the till sends the same batch again, and the next.
    const again = await push(a.credential, e);
    expect(again.body).toMatchObject({ ackedThrough: 3, results: [{ status: 'duplicate' }, { status: 'duplicate' }, { status: 'applied' }] });
    expect(await count('SELECT count(*) AS n FROM sales WHERE till_id = $1', [a.tillId])).toBe(3);

    // Events 4 and 5 were lost on the way; 6 arrives alone: not applied, the server says where it is.
    const six = pushEvent(6, 'sale.completed', salePayload({ number: 6, total: 600, completedAt: clock }));
    expect((await push(a.credential, [six])).body).toMatchObject({ ackedThrough: 3, expected: 4, results: [] });
    expect(await count('SELECT count(*) AS n FROM events WHERE till_id = $1', [a.tillId])).toBe(3);

    // Channels are sequences of their own.
    const shift = pushEvent(1, 'shift.opened', { tillId: 'local', shift: { number: 1 } });
    expect((await push(a.credential, [shift], { channel: 'shifts' })).body).toMatchObject({ ackedThrough: 1, results: [{ status: 'applied' }] });
    const cursors = await till('GET', '/v1/cursors', a.credential);
    expect(cursors.body.epochs).toEqual([
      { epoch: 1, channel: 'sales', ackedThrough: 3 },
      { epoch: 1, channel: 'shifts', ackedThrough: 1 },
    ]);
  });

  it('the same id with a different content is a conflict alarm, never an overwrite; a parked sale does not block the channel', async () => {
    const a = await enrolledTill('Лавка 2');
    const original = pushEvent(1, 'sale.completed', salePayload({ number: 1, total: 5000, completedAt: clock }));
    await push(a.credential, [original]);
    const altered = { ...pushEvent(1, 'sale.completed', salePayload({ number: 1, total: 9999, completedAt: clock })), id: original.id };
    expect((await push(a.credential, [altered])).body).toMatchObject({ ackedThrough: 1, results: [{ status: 'conflict' }] });
    expect(await db.query('SELECT stored_hash, received_hash FROM conflicts WHERE till_id = $1', [a.tillId])).toEqual([{ stored_hash: original.hash, received_hash: altered.hash }]);
    expect((await db.query<{ total: number }>('SELECT total FROM sales WHERE till_id = $1', [a.tillId]))[0]?.total).toBe(5000);

    const unreadable = pushEvent(2, 'sale.completed', { tillId: 'local', receipt: { id: 'r-x', kind: 'sale' } });
    const next = pushEvent(3, 'sale.completed', salePayload({ number: 3, total: 700, completedAt: clock }));
    const r = await push(a.credential, [unreadable, next]);
    expect(r.body).toMatchObject({ ackedThrough: 3, results: [{ seq: 2, status: 'parked' }, { seq: 3, status: 'applied' }] });
    expect(await db.query('SELECT reason FROM events WHERE id = $1', [unreadable.id])).toEqual([{ reason: 'the receipt cannot be read' }]);
    // Both wait for a person in the owner's alarm list.
    const list = (await admin('GET', '/v1/admin/alarms')).body as unknown as { parked: { eventId: string; reason: string }[]; conflicts: { eventId: string; storedHash: string }[] };
    expect(list.parked.find((p) => p.eventId === unreadable.id)).toMatchObject({ reason: 'the receipt cannot be read', type: 'sale.completed', storeName: 'Лавка 2' });
    expect(list.conflicts.find((c) => c.eventId === original.id)).toMatchObject({ storedHash: original.hash, receivedHash: altered.hash, channel: 'sales', seq: 1 });
    expect((await app.inject({ method: 'GET', url: '/v1/admin/alarms' })).statusCode).toBe(401);
  });

  it('refuses a truncated or altered payload, an oversized body, malformed JSON and an old protocol — storing nothing', async () => {
    const a = await enrolledTill('Лавка 3');
    const good = pushEvent(1, 'sale.completed', salePayload({ number: 1, total: 100, completedAt: clock }));
    const truncated = { ...good, payload: good.payload.slice(0, -10) };
    expect(await push(a.credential, [truncated])).toMatchObject({ status: 400, body: { error: { code: 'hash_mismatch' } } });
    const huge = await app.inject({
      method: 'POST',
      url: '/v1/push',
      headers: { ...TILL_HEADERS, authorization: `Bearer ${a.credential}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ channel: 'sales', epoch: 1, events: [{ ...good, payload: 'x'.repeat(MAX_BODY_BYTES) }] }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    const garbage = await app.inject({
      method: 'POST',
      url: '/v1/push',
      headers: { ...TILL_HEADERS, authorization: `Bearer ${a.credential}`, 'content-type': 'application/json' },
      payload: '{"channel": "sales", "epoch": 1, "events": [',
    });
    expect(garbage.statusCode).toBe(400);
    expect(await push(a.credential, [{ ...good, seq: 0 }])).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    expect(await till('POST', '/v1/push', a.credential, { channel: 'nope', epoch: 1, events: [good] })).toMatchObject({ status: 400 });
    expect(await till('POST', '/v1/push', a.credential, { channel: 'sales', epoch: 1, events: [good] }, { 'x-lavka-protocol': '0' })).toMatchObject({
      status: 426,
      body: { error: { code: 'update_required' } },
    });
    expect(await count('SELECT count(*) AS n FROM events WHERE till_id = $1', [a.tillId])).toBe(0);
    expect(await count('SELECT count(*) AS n FROM till_cursors WHERE till_id = $1', [a.tillId])).toBe(0);
  });

  it('a credential is one till: it pushes only as itself, reads only its own cursors, and stops working when revoked', async () => {
    const a = await enrolledTill('Лавка 4');
    const b = await enrolledTill('Лавка 5');
    // The payload claims to be till B: the server goes by the credential alone.
    const claim = pushEvent(1, 'sale.completed', { ...salePayload({ number: 1, total: 300, completedAt: clock }), tillId: b.tillId });
    await push(a.credential, [claim]);
    expect(await db.query('SELECT till_id, store_id FROM sales WHERE event_id = $1', [claim.id])).toEqual([{ till_id: a.tillId, store_id: a.storeId }]);
    expect((await till('GET', '/v1/cursors', b.credential)).body).toMatchObject({ tillId: b.tillId, storeId: b.storeId, epochs: [] });
    expect(await till('GET', '/v1/cursors', 'made-up')).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    expect(await till('GET', '/v1/cursors', null)).toMatchObject({ status: 401 });

    expect((await admin('POST', `/v1/admin/tills/${a.tillId}/revoke`, {})).status).toBe(200);
    const after = pushEvent(2, 'sale.completed', salePayload({ number: 2, total: 300, completedAt: clock }));
    expect(await push(a.credential, [after])).toMatchObject({ status: 401, body: { error: { code: 'revoked' } } });
    const { code } = (await admin('POST', `/v1/admin/tills/${a.tillId}/enrollment-codes`, {})).body as { code: string };
    expect(await till('POST', '/v1/enroll', null, { code, till: { name: 'x', appVersion: '1' } })).toMatchObject({ status: 401, body: { error: { code: 'revoked' } } });
  });

  it('the same batch pushed twice at once (a duplicated request) is recorded once', async () => {
    const a = await enrolledTill('Лавка 6');
    const batch = Array.from({ length: 20 }, (_, i) => pushEvent(i + 1, 'sale.completed', salePayload({ number: i + 1, total: 100 + i, completedAt: clock })));
    const [x, y] = await Promise.all([push(a.credential, batch), push(a.credential, batch)]);
    const statuses = [...(x.body.results as { status: string }[]), ...(y.body.results as { status: string }[])].map((r) => r.status);
    expect(statuses.filter((s) => s === 'applied')).toHaveLength(20);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(20);
    expect(await count('SELECT count(*) AS n FROM sales WHERE till_id = $1', [a.tillId])).toBe(20);
  });

  it('chain-wide sales per store and business day, counted in the store\'s own time zone', async () => {
    const msk = await enrolledTill('Москва', 'Europe/Moscow');
    const vlad = await enrolledTill('Владивосток', 'Asia/Vladivostok');
    const evening = Date.UTC(2030, 0, 10, 20, 30); // 23:30 in Moscow, 06:30 next day in Vladivostok
    await push(msk.credential, [
      pushEvent(1, 'sale.completed', salePayload({ number: 1, total: 10_000, completedAt: evening })),
      pushEvent(2, 'return.completed', salePayload({ number: 2, total: 2_500, completedAt: evening, kind: 'return' })),
    ]);
    await push(vlad.credential, [pushEvent(1, 'sale.completed', salePayload({ number: 1, total: 7_000, completedAt: evening }))]);
    const r = await admin('GET', '/v1/admin/sales/daily?from=2030-01-10&to=2030-01-11');
    expect(r.body).toEqual([
      { storeId: msk.storeId, storeName: 'Москва', day: '2030-01-10', sales: { count: 1, total: 10_000 }, returns: { count: 1, total: 2_500 }, net: 7_500 },
      { storeId: vlad.storeId, storeName: 'Владивосток', day: '2030-01-11', sales: { count: 1, total: 7_000 }, returns: { count: 0, total: 0 }, net: 7_000 },
    ]);
    expect((await admin('GET', '/v1/admin/sales/daily?from=yesterday&to=2030-01-11')).status).toBe(400);
  });

  it('migrations run once and refuse a database from a newer server', async () => {
    expect(await migrateServer(db)).toEqual([]);
    const shipped = loadServerMigrations();
    await db.query(`INSERT INTO schema_migrations (name, checksum, applied_at) VALUES ('9999_future.sql', 'x', 0)`);
    await expect(migrateServer(db, shipped)).rejects.toThrow(/does not ship/);
    await db.query(`DELETE FROM schema_migrations WHERE name = '9999_future.sql'`);
  });
});
