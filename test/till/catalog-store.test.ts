import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAMME } from '../../src-common/loyalty.js';
import { DEFAULT_SMS_SETTINGS } from '../../src-common/sms-schemas.js';
import type { EpochMs } from '../../src-common/units.js';
import { confirmBalance } from '../../src-main/app/loyalty.js';
import { smsRepo } from '../../src-main/db/repos/sms.js';
import { lapse, winback, type TriggerDeps } from '../../src-main/sms/triggers.js';
import { CatalogStore } from '../../src-main/sync/catalog-store.js';
import { catalogItem } from '../support/server.js';
import { openTill, type Till } from './support.js';

const tills: Till[] = [];
afterEach(() => {
  for (const t of tills.splice(0)) t.close();
});

const AT = Date.UTC(2026, 11, 1, 9);
const item = catalogItem;

async function till(): Promise<{ x: Till; store: CatalogStore }> {
  const x = openTill();
  tills.push(x);
  await x.as('cashier');
  return { x, store: new CatalogStore(x.t.backend.db, x.t.backend.repos.settings) };
}

describe('the head office catalog on the till', () => {
  it('a staged product goes live with its barcodes, pack quantities and category; the till sells it at its price', async () => {
    const { x, store } = await till();
    store.stageChanges(
      'catalog',
      [{ key: 'KEFIR-1', version: 5, data: item('KEFIR-1', { name: 'Кефир 2,5% 0,9 л', price: 7_990, category: 'Молочные', barcodes: [{ code: '5900000000015', packQty: 1000 }, { code: '5900000000022', packQty: 6000 }] }) }],
      5,
      AT,
    );
    expect(store.state('catalog')).toMatchObject({ version: 5 });
    // Staged is not live.
    expect(await x.c.call('catalog.lookup', { code: '5900000000015' })).toBeNull();
    expect(store.activate(AT)).toEqual({ taxes: 0, products: 1, prices: 0, roles: 0, users: 0, settings: 0, stores: 0, transfers: 0, customers: 0, coupons: 0, waiting: [] });
    expect(await x.c.call('catalog.lookup', { code: '5900000000015' })).toMatchObject({ name: 'Кефир 2,5% 0,9 л', price: 7_990, category: 'Молочные' });
    const r = await x.c.call('checkout.scan', { code: '5900000000022' });
    expect(r.lines[0]).toMatchObject({ name: 'Кефир 2,5% 0,9 л', qty: 6000 });
    expect(store.pending()).toMatchObject({ taxes: { staged: 0, problems: 0 }, catalog: { staged: 0, problems: 0 }, prices: { staged: 0, problems: 0 } });
  });

  it('a change replaces the product: new name found by search, barcodes it lost go, a PLU is taken from the local product that had it', async () => {
    const { x, store } = await till();
    const local = (await x.c.call('catalog.search', { text: 'а' }))[0]!;
    x.t.backend.db.prepare('UPDATE products SET plu = 777 WHERE id = ?').run(local.id);
    store.stageChanges('catalog', [{ key: 'S1', version: 1, data: item('S1', { barcodes: [{ code: '5900000000015', packQty: 1000 }] }) }], 1, AT);
    store.activate(AT);
    store.stageChanges('catalog', [{ key: 'S1', version: 2, data: item('S1', { name: 'Сырок глазированный ванильный', plu: 777, barcodes: [{ code: '5900000000039', packQty: 1000 }] }) }], 2, AT);
    store.activate(AT);
    expect(await x.c.call('catalog.lookup', { code: '5900000000015' })).toBeNull();
    expect(await x.c.call('catalog.lookup', { code: '5900000000039' })).toMatchObject({ name: 'Сырок глазированный ванильный' });
    expect((await x.c.call('catalog.search', { text: 'сырок глаз' })).map((p) => p.name)).toContain('Сырок глазированный ванильный');
    expect(x.t.backend.db.prepare('SELECT sku FROM products WHERE plu = 777').pluck().all()).toEqual(['S1']);
  });

  it('a store price waits for its product, then goes over the base price and stays when the base price changes', async () => {
    const { x, store } = await till();
    store.stageChanges('prices', [{ key: 'P1', version: 3, data: { sku: 'P1', price: 5_500 } }], 3, AT);
    expect(store.activate(AT)).toEqual({ taxes: 0, products: 0, prices: 0, roles: 0, users: 0, settings: 0, stores: 0, transfers: 0, customers: 0, coupons: 0, waiting: [{ feed: 'prices', key: 'P1', problem: 'the product is not in the catalog yet' }] });
    store.stageChanges('catalog', [{ key: 'P1', version: 4, data: item('P1', { price: 6_000, barcodes: [{ code: '5900000000015', packQty: 1000 }] }) }], 4, AT);
    expect(store.activate(AT)).toMatchObject({ products: 1, prices: 1, waiting: [] });
    expect((await x.c.call('catalog.lookup', { code: '5900000000015' }))?.price).toBe(5_500);
    store.stageChanges('catalog', [{ key: 'P1', version: 6, data: item('P1', { price: 6_500, barcodes: [{ code: '5900000000015', packQty: 1000 }] }) }], 6, AT);
    store.activate(AT);
    expect((await x.c.call('catalog.lookup', { code: '5900000000015' }))?.price).toBe(5_500);
  });

  it('a product with a VAT code the till does not have waits, named; the rest of the page goes live', async () => {
    const { store } = await till();
    store.stageChanges(
      'catalog',
      [
        { key: 'OK', version: 1, data: item('OK') },
        { key: 'ODD', version: 2, data: item('ODD', { taxCode: 'vat18' }) },
        { key: 'BROKEN', version: 3, data: { sku: 'BROKEN' } },
      ],
      3,
      AT,
    );
    expect(store.activate(AT)).toEqual({
      taxes: 0,
      products: 1,
      prices: 0,
      roles: 0,
      users: 0,
      settings: 0,
      stores: 0,
      transfers: 0,
      customers: 0,
      coupons: 0,
      waiting: [
        { feed: 'catalog', key: 'ODD', problem: 'the VAT code "vat18" is not set up on this till' },
        { feed: 'catalog', key: 'BROKEN', problem: 'the product record cannot be read' },
      ],
    });
    expect(store.pending().catalog).toEqual({ staged: 2, problems: 2 });
    // The head office sets the rate up: the product waiting for it goes live with the next activation.
    store.stageChanges('taxes', [{ key: 'vat18', version: 4, data: { code: 'vat18', bp: 1800 } }], 4, AT);
    expect(store.activate(AT)).toMatchObject({ taxes: 1, products: 1 });
    expect(store.pending().catalog).toEqual({ staged: 1, problems: 1 });
  });

  it('a snapshot stages page by page and ends at its asOf; an older copy of a row never overwrites a newer one', async () => {
    const { store } = await till();
    store.stageSnapshot('catalog', [{ key: 'A', version: 10, data: item('A', { name: 'Новый' }) }], { asOf: 10, nextKey: 'A', total: 2 }, AT);
    expect(store.state('catalog')).toMatchObject({ version: 0, loaded: false, snapshot: { key: 'A', asOf: 10, total: 2 } });
    store.stageChanges('catalog', [{ key: 'B', version: 12, data: item('B', { name: 'Свежий' }) }], 0, AT);
    // The snapshot's later page carries an older B (taken at asOf 10): the staged newer one stays.
    store.stageSnapshot('catalog', [{ key: 'B', version: 10, data: item('B', { name: 'Старый' }) }], { asOf: 10, nextKey: null, total: null }, AT);
    expect(store.state('catalog')).toMatchObject({ version: 10, loaded: true, snapshot: null });
    store.activate(AT);
    const names = (store as unknown as { db: { prepare(s: string): { pluck(): { all(): unknown[] } } } }).db
      .prepare(`SELECT name FROM products WHERE sku IN ('A', 'B') ORDER BY sku`)
      .pluck()
      .all();
    expect(names).toEqual(['Новый', 'Свежий']);
  });

  it('settings: the store\'s value goes over the chain\'s; a managed setting is refused locally; taken back, the till may change it again', async () => {
    const { x, store } = await till();
    const settings = x.t.backend.repos.settings;
    const template = { header: ['ИНН 7701234567'], footer: ['Спасибо!'], showCashier: true, showVat: true, code: 'qr' as const, showLogo: false };
    const change = (scope: 'chain' | 'store', key: string, value: unknown, version: number) => ({ key: `${scope}/${key}`, version, data: { key, scope, value } });
    store.stageChanges(
      'settings',
      [change('chain', 'shift.maxHours', 12, 1), change('store', 'shift.maxHours', 10, 2), change('chain', 'receipt.template', template, 3), change('store', 'store.name', 'Лавка на Садовой', 4)],
      4,
      AT,
    );
    // Staged is not live.
    expect(settings.get('shift.maxHours')).toBe(24);
    expect(store.activate(AT)).toMatchObject({ settings: 4, waiting: [] });
    expect(settings.get('shift.maxHours')).toBe(10);
    expect(settings.get('store.name')).toBe('Лавка на Садовой');
    expect((await x.c.call('system.info', {})).storeName).toBe('Лавка на Садовой');
    expect(settings.managedKeys()).toEqual(['receipt.template', 'shift.maxHours', 'store.name']);

    // The owner at the till cannot change what the head office sets; saving the same layout is fine.
    await x.as('owner');
    await expect(x.c.call('receipt.templateSave', { template: { ...template, header: ['Другое'] } })).rejects.toMatchObject({ code: 'setting_managed', details: { key: 'receipt.template' } });
    expect(settings.get('receipt.template').header).toEqual(['ИНН 7701234567']);
    await x.c.call('receipt.templateSave', { template });

    // The store's value taken back: the chain's applies. The chain's taken back: the till's own again.
    store.stageChanges('settings', [change('store', 'shift.maxHours', null, 5), change('chain', 'receipt.template', null, 6)], 6, AT);
    expect(store.activate(AT)).toMatchObject({ settings: 2, waiting: [] });
    expect(settings.get('shift.maxHours')).toBe(12);
    expect(settings.managedKeys()).toEqual(['shift.maxHours', 'store.name']);
    expect(settings.get('receipt.template').header).toEqual(['ИНН 7701234567']);
    await x.c.call('receipt.templateSave', { template: { ...template, header: ['Своё'] } });
    expect(settings.get('receipt.template').header).toEqual(['Своё']);

    // A setting this till does not know, or a value of the wrong shape, waits named and changes nothing.
    store.stageChanges('settings', [change('chain', 'printer.speed', 3, 7), change('chain', 'shift.maxHours', 30, 8)], 8, AT);
    const a = store.activate(AT);
    expect(a.settings).toBe(0);
    expect(a.waiting.map((w) => w.key).sort()).toEqual(['chain/printer.speed', 'chain/shift.maxHours']);
    expect(a.waiting.find((w) => w.key === 'chain/printer.speed')?.problem).toMatch(/does not know the setting "printer.speed"/);
    expect(settings.get('shift.maxHours')).toBe(12);
    // Survives a restart: what is managed is read back from the store.
    settings.reload();
    expect(settings.managedKeys()).toEqual(['shift.maxHours', 'store.name']);
  });
});

describe('the chain’s loyalty customers on the till', () => {
  const record = (over: Record<string, unknown> = {}) => ({
    id: 'c-1',
    cardNo: '2912345678906',
    phone: '+79165550000',
    name: 'Вера',
    birthday: null,
    consents: { loyalty: true, service: true, advertising: false },
    createdAt: AT,
    erased: false,
    points: 500,
    spend: 100_000,
    seen: {},
    usedCoupons: [],
    ...over,
  });

  it('a customer from another store can be found and has the head office’s balance plus this till’s entries it does not count yet; goes live inside a basket', async () => {
    const { x, store } = await till();
    const tillId = 'till-here';
    // This till as the head office knows it, now and before it was enrolled again (one numbering of its entries).
    x.t.backend.db.prepare('UPDATE sync_state SET till_id = ? WHERE id = 1').run(tillId);
    x.t.backend.db.prepare('INSERT INTO till_identities (till_id, since) VALUES (?, 0), (?, 0)').run(tillId, 'till-before');
    // A basket is open: the catalog would wait, the loyalty feeds do not.
    await x.c.call('checkout.scan', { code: '4600000000015' });
    store.stageChanges('customers', [{ key: 'c-1', version: 3, data: record() }], 3, AT);
    expect(store.activateLoyalty(AT)).toMatchObject({ customers: 1 });
    expect((await x.c.call('customers.find', { text: '8 916 555 00 00' })).map((c) => c.id)).toEqual(['c-1']);
    expect(await x.c.call('customers.get', { id: 'c-1' })).toMatchObject({ points: 500, spend: 100_000, online: false });
    // She spends 100 here (entry n = 1); the head office has not counted it yet, then it has.
    await x.c.call('checkout.setCustomer', { customerId: 'c-1' });
    await x.c.call('checkout.redeemPoints', { points: 40 });
    await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 8_990 - 4_000 }] });
    expect((await x.c.call('customers.get', { id: 'c-1' })).points).toBe(500 - 40 + 1);
    store.stageChanges('customers', [{ key: 'c-1', version: 4, data: record({ points: 460, seen: { [tillId]: 1 } }) }], 4, AT);
    store.activateLoyalty(AT);
    // Entry 1 (the burn) is counted there now; entry 2 (the earning) is not yet.
    expect((await x.c.call('customers.get', { id: 'c-1' })).points).toBe(460 + 1);
    // Counted under the identity it had before being enrolled again: still counted, never twice.
    store.stageChanges('customers', [{ key: 'c-1', version: 5, data: record({ points: 461, seen: { 'till-before': 2 } }) }], 5, AT);
    store.activateLoyalty(AT);
    expect((await x.c.call('customers.get', { id: 'c-1' })).points).toBe(461);
  });

  it('a consent changed here and not yet delivered is not undone by an older record; an erased record erases here', async () => {
    const { x, store } = await till();
    store.stageChanges('customers', [{ key: 'c-1', version: 1, data: record() }], 1, AT);
    store.activate(AT);
    await x.c.call('customers.setConsent', { id: 'c-1', purpose: 'advertising', granted: true });
    store.stageChanges('customers', [{ key: 'c-1', version: 2, data: record({ points: 510 }) }], 2, AT);
    store.activate(AT);
    expect(await x.c.call('customers.get', { id: 'c-1' })).toMatchObject({ points: 510, consents: { advertising: true } });
    store.stageChanges('customers', [{ key: 'c-1', version: 3, data: record({ cardNo: null, phone: null, name: null, erased: true, consents: { loyalty: false, service: false, advertising: false } }) }], 3, AT);
    store.activate(AT);
    expect(x.t.backend.db.prepare('SELECT card_no, phone, name, erased_at IS NOT NULL AS erased FROM customers WHERE id = ?').get('c-1')).toEqual({ card_no: null, phone: null, name: null, erased: 1 });
    expect(x.t.backend.db.prepare('SELECT COUNT(*) FROM customer_consents WHERE customer_id = ?').pluck().get('c-1')).toBe(0);
    expect(await x.c.call('customers.find', { text: '+79165550000' })).toEqual([]);
  });

  it('win-back judges a customer by the chain\'s purchases the feed brings, not only this till\'s: a regular at another store is not "lapsed" here', async () => {
    const { x, store } = await till();
    const db = x.t.backend.db;
    // She bought here twice in July; since then weekly at another store of the chain.
    store.stageChanges('customers', [{ key: 'c-1', version: 1, data: record({ consents: { loyalty: true, service: true, advertising: true } }) }], 1, AT);
    store.activate(AT);
    for (const day of ['2026-07-01', '2026-07-08']) {
      db.prepare(`INSERT INTO loyalty_ledger (id, customer_id, kind, points, spend, reason, at, business_day) VALUES (?, 'c-1', 'earn', 1, 100, 'purchase', ?, ?)`).run(
        `e-${day}`,
        Date.parse(`${day}T12:00:00+03:00`),
        day,
      );
    }
    const elsewhere = ['2026-10-29', '2026-11-05', '2026-11-12', '2026-11-19', '2026-11-26'];
    const settings = { ...DEFAULT_SMS_SETTINGS, enabled: true, winback: { minDaysSinceLast: 14, factorOfUsualInterval: 2 } };
    const deps = (): TriggerDeps => ({ repo: smsRepo(db), settings, storeName: 'Лавка', programme: DEFAULT_PROGRAMME, now: AT as EpochMs });
    const winbackOn = (today: string) => db.transaction(() => winback(deps(), today))();
    // Before the feed says so, this till's own history makes her look lapsed (a false message the
    // daily run would send); the record with her chain-wide days puts that right.
    expect(lapse(smsRepo(db).purchaseDays('c-1'), '2026-12-01', settings.winback)).not.toBeNull();
    store.stageChanges('customers', [{ key: 'c-1', version: 2, data: record({ consents: { loyalty: true, service: true, advertising: true }, purchaseDays: elsewhere }) }], 2, AT);
    store.activate(AT);
    expect(smsRepo(db).purchaseDays('c-1')).toEqual(['2026-07-01', '2026-07-08', ...elsewhere]);
    expect(winbackOn('2026-12-01')).toBe(0);
    // A record from an older head office (no days) keeps what the till has.
    store.stageChanges('customers', [{ key: 'c-1', version: 3, data: record({ consents: { loyalty: true, service: true, advertising: true }, points: 510 }) }], 3, AT);
    store.activate(AT);
    expect(smsRepo(db).purchaseDays('c-1')).toHaveLength(7);
    // When she does stop coming, the message is keyed by her last purchase anywhere.
    expect(winbackOn('2026-12-31')).toBe(1);
    expect(db.prepare(`SELECT dedupe_key FROM sms_outbox WHERE kind = 'winback'`).pluck().all()).toEqual(['winback:c-1:2026-11-26']);
  });

  it('the newer of a feed row and a balance answer wins, whichever arrives last; an answer keeps the balance "online" either way', async () => {
    const { x, store } = await till();
    store.stageChanges('customers', [{ key: 'c-1', version: 5, data: record() }], 5, AT);
    store.activate(AT);
    // The cashier puts her on a basket: the head office answers 300 points as of its version 10.
    const db = x.t.backend.db;
    db.transaction(() => confirmBalance(db, x.t.backend.repos, { id: 'c-1', points: 300, spend: 120_000, seen: {}, erased: false, serverTime: x.t.clock.now(), version: 10 }, x.t.clock.now()))();
    expect(await x.c.call('customers.get', { id: 'c-1' })).toMatchObject({ points: 300, online: true });
    // A row from before that answer arrives late (another till's burn is in the answer, not in it).
    store.stageChanges('customers', [{ key: 'c-1', version: 9, data: record({ points: 500, name: 'Вера Н.' }) }], 9, AT);
    store.activate(AT);
    expect(await x.c.call('customers.get', { id: 'c-1' })).toMatchObject({ points: 300, spend: 120_000, online: true, name: 'Вера Н.' });
    // A newer one is newer than the answer too.
    store.stageChanges('customers', [{ key: 'c-1', version: 11, data: record({ points: 290, spend: 121_000 }) }], 11, AT);
    store.activate(AT);
    expect(await x.c.call('customers.get', { id: 'c-1' })).toMatchObject({ points: 290, spend: 121_000, online: true });
    // An answer that took its time (as of version 10) after that row: fresh, but not newer.
    db.transaction(() => confirmBalance(db, x.t.backend.repos, { id: 'c-1', points: 300, spend: 120_000, seen: {}, erased: false, serverTime: x.t.clock.now(), version: 10 }, x.t.clock.now()))();
    expect(await x.c.call('customers.get', { id: 'c-1' })).toMatchObject({ points: 290, spend: 121_000, online: true });
    // An older head office's answer (no version) is taken as it is.
    db.transaction(() => confirmBalance(db, x.t.backend.repos, { id: 'c-1', points: 280, spend: 121_000, seen: {}, erased: false, serverTime: x.t.clock.now() }, x.t.clock.now()))();
    expect((await x.c.call('customers.get', { id: 'c-1' })).points).toBe(280);
  });

  it('a customer erased here stays erased when an older head-office record arrives after', async () => {
    const { x, store } = await till();
    store.stageChanges('customers', [{ key: 'c-1', version: 1, data: record() }], 1, AT);
    store.activate(AT);
    await x.as('manager');
    await x.c.call('customers.erase', { id: 'c-1' });
    store.stageChanges('customers', [{ key: 'c-1', version: 2, data: record({ points: 520 }) }], 2, AT);
    store.activate(AT);
    expect(x.t.backend.db.prepare('SELECT card_no, phone, name FROM customers WHERE id = ?').get('c-1')).toEqual({ card_no: null, phone: null, name: null });
    expect(x.t.backend.db.prepare('SELECT COUNT(*) FROM customer_consents WHERE customer_id = ?').pluck().get('c-1')).toBe(0);
  });
});
