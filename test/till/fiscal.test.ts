import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { FakeRegistrar } from '../support/fake-registrar.js';
import { failure, openTill, openTillOn, type Till } from './support.js';

const tills: Till[] = [];
afterEach(() => {
  for (const t of tills.splice(0)) t.close();
});

/** A till in fiscal mode with an in-memory registrar (the drivers are proven against their emulators elsewhere). */
async function fiscalTill(reg: FakeRegistrar | null = new FakeRegistrar()): Promise<{ x: Till; reg: FakeRegistrar | null }> {
  const x = openTill(reg ? { registrarFor: () => reg } : {});
  tills.push(x);
  x.t.backend.repos.settings.set('fiscal.mode', 'shtrih');
  if (reg) {
    await x.as('owner');
    await x.c.call('devices.save', {
      device: { kind: 'fiscal', driver: 'shtrih', name: 'Штрих-М', transport: { kind: 'tcp', host: '127.0.0.1', port: 7778 }, options: {}, enabled: true },
    });
  }
  await x.as('cashier');
  return { x, reg };
}

async function sell(x: Till, codes: string[], payments: { method: 'cash' | 'card'; amount: number }[]) {
  for (const code of codes) await x.c.call('checkout.scan', { code });
  const sale = await x.c.call('checkout.complete', { payments });
  await x.t.backend.fiscal.idle();
  return sale;
}

describe('fiscal mode: every receipt goes through the registrar', () => {
  it('refuses to take money when fiscal mode is on and no registrar is set up; nothing is stored', async () => {
    const { x } = await fiscalTill(null);
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    const before = x.rows('receipts');
    expect(await failure(x.c.call('checkout.complete', { payments: [{ method: 'cash', amount: 10_000 }] }))).toEqual({
      code: 'fiscal_blocked',
      details: { reason: 'no_registrar' },
    });
    expect((await x.c.call('checkout.current', {}))?.state).toBe('open');
    expect(x.rows('receipts')).toBe(before);
    expect(x.rows('fiscal_journal')).toBe(0);
  });

  it('a sale and a return are registered with their totals; the receipt knows its document number and fiscal sign', async () => {
    const { x, reg } = await fiscalTill();
    const sale = await sell(x, [DEMO_BARCODES.milk, DEMO_BARCODES.bread], [{ method: 'cash', amount: 50_000 }]);
    const f = await x.c.call('fiscal.receipt', { receiptId: sale.id });
    expect(f).toMatchObject({ state: 'done', documentNumber: 1 });
    expect(f.fiscalSign).toBe(reg!.archive[0]!.fiscalSign);
    expect(reg!.archive[0]).toMatchObject({ kind: 'sale', total: sale.total });

    const src = await x.c.call('returns.source', { receiptId: sale.id });
    const line = src.lines[0]!;
    const ret = await x.c.call('returns.complete', { originalId: sale.id, lines: [{ lineId: line.lineId, qty: line.returnable }] });
    await x.t.backend.fiscal.idle();
    expect(reg!.archive[1]).toMatchObject({ kind: 'return', total: ret.total });
    expect((await x.c.call('fiscal.receipt', { receiptId: ret.id })).state).toBe('done');
    expect(await x.c.call('fiscal.status', {})).toMatchObject({ mode: 'shtrih', configured: true, blocked: null, pending: 0, attention: [] });
  });

  it('the registrar down: the sale completes and waits, visible; it is registered once the registrar is back', async () => {
    const { x, reg } = await fiscalTill();
    reg!.linkDown = true;
    const sale = await sell(x, [DEMO_BARCODES.milk], [{ method: 'card', amount: 8_990 }]);
    expect(sale.state).toBe('completed');
    expect(await x.c.call('fiscal.receipt', { receiptId: sale.id })).toMatchObject({ state: 'failed', errorCode: 'offline' });
    expect((await x.c.call('fiscal.status', {})).pending).toBe(1);
    reg!.linkDown = false;
    x.t.backend.fiscal.kick();
    await x.t.backend.fiscal.idle();
    expect(await x.c.call('fiscal.receipt', { receiptId: sale.id })).toMatchObject({ state: 'done', documentNumber: 1 });
    expect(reg!.archive.filter((d) => d.kind === 'sale')).toHaveLength(1);
  });

  it('a full or expired ФН stops sales with the reason once the registrar has said so', async () => {
    const { x, reg } = await fiscalTill();
    reg!.blocked = true;
    await sell(x, [DEMO_BARCODES.milk], [{ method: 'card', amount: 8_990 }]);
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    expect(await failure(x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 8_990 }] }))).toEqual({
      code: 'fiscal_blocked',
      details: { reason: 'fn_blocked' },
    });
    expect((await x.c.call('fiscal.status', {})).blocked).toBe('fn_blocked');
  });

  it('cash in and the shift close go through the registrar; its Z equals the till\'s, and a difference is put in front of the owner', async () => {
    const { x, reg } = await fiscalTill();
    await x.c.call('shift.cashIn', { amount: 100_000, reason: 'размен' });
    await sell(x, [DEMO_BARCODES.milk], [{ method: 'cash', amount: 10_000 }]);
    await sell(x, [DEMO_BARCODES.bread], [{ method: 'card', amount: await breadPrice(x) }]);
    await x.t.backend.fiscal.idle();
    expect(reg!.cashIns).toEqual([100_000]);
    const shift = (await x.c.call('shift.current', {}))!;
    const z = await x.c.call('reports.x', {});
    await x.as('manager');
    const closed = await x.c.call('shift.close', { count: countOf(z.cash.expected) });
    await x.t.backend.fiscal.idle();
    expect(reg!.archive.at(-1)!.kind).toBe('close_shift');
    expect(closed.sales.count).toBe(2);
    const zRow = x.t.backend.repos.fiscalJournal.forRef(shift.id).find((r) => r.op === 'close_shift')!;
    expect(zRow.state).toBe('done');
    expect(await x.c.call('fiscal.status', {})).toMatchObject({ attention: [] });

    // Next shift: a sale the registrar never saw (made before fiscal mode, say) makes the Z differ.
    await x.c.call('shift.open', { count: [] });
    await x.t.backend.fiscal.idle();
    reg!.totals.sales.count += 1;
    reg!.totals.sales.total += 1_000;
    const z2 = await x.c.call('reports.x', {});
    const shift2 = (await x.c.call('shift.current', {}))!;
    await x.c.call('shift.close', { count: countOf(z2.cash.expected) });
    await x.t.backend.fiscal.idle();
    const status = await x.c.call('fiscal.status', {});
    expect(status.attention).toHaveLength(1);
    expect(status.attention[0]).toMatchObject({ op: 'close_shift', refId: shift2.id });
    expect(status.attention[0]!.error).toContain('sales.count: till 0, registrar 1');
    expect((await x.c.call('audit.list', { action: 'fiscal.z_mismatch' })).map((a) => a.subject)).toEqual([shift2.id]);
  });

  it('a restart with receipts still in the journal registers each of them exactly once', async () => {
    const reg = new FakeRegistrar();
    const { x } = await fiscalTill(reg);
    reg.next = 'lose-after';
    const a = await sell(x, [DEMO_BARCODES.milk], [{ method: 'card', amount: 8_990 }]);
    reg.linkDown = true;
    const b = await sell(x, [DEMO_BARCODES.milk, DEMO_BARCODES.milk], [{ method: 'card', amount: 17_980 }]);
    reg.linkDown = false;
    const backend = x.t.restart({ registrarFor: () => reg });
    await backend.fiscal.idle();
    const docs = reg.archive.filter((d) => d.kind === 'sale');
    expect(docs.map((d) => d.total)).toEqual([a.total, b.total]);
    expect(backend.repos.fiscalJournal.open()).toEqual([]);
  });
});

describe('the compliance clock', () => {
  it('knows when the registrar shift opened from the ФН document the till had it make, when the registrar does not say; also after a restart', async () => {
    const T1 = Date.UTC(2026, 11, 1, 6, 0);
    const T2 = Date.UTC(2026, 11, 2, 6, 0);
    const reg = new FakeRegistrar();
    reg.shift = 'closed';
    reg.now = () => T1;
    const { x } = await fiscalTill(reg);
    await sell(x, [DEMO_BARCODES.milk], [{ method: 'card', amount: 8_990 }]);
    // The registrar opened its shift for the first receipt; its status says nothing of when (like Shtrih's).
    const first = await x.c.call('fiscal.status', {});
    expect(first.registrar).toMatchObject({ mode: 'shift_open', shiftOpenedAt: T1 });
    expect(first.warn).toEqual({ shiftMinutes: 60, ofdDays: 25, fnDays: 30 });

    const z = await x.c.call('reports.x', {});
    await x.as('manager');
    await x.c.call('shift.close', { count: countOf(z.cash.expected) });
    reg.now = () => T2;
    await x.c.call('shift.open', { count: [] });
    await x.t.backend.fiscal.idle();
    expect(reg.archive.at(-1)).toMatchObject({ kind: 'open_shift', at: T2 });

    x.t.restart({ registrarFor: () => reg });
    const again = openTillOn(x);
    await again.as('cashier');
    await sell(again, [DEMO_BARCODES.milk], [{ method: 'card', amount: 8_990 }]);
    expect((await again.c.call('fiscal.status', {})).registrar).toMatchObject({ mode: 'shift_open', shiftOpenedAt: T2 });
  });

  it('with nothing better known, the till\'s own shift stands in: it opened first, so the clock never shows more time than the registrar has', async () => {
    const reg = new FakeRegistrar();
    const { x } = await fiscalTill(reg);
    await sell(x, [DEMO_BARCODES.milk], [{ method: 'card', amount: 8_990 }]);
    const shift = (await x.c.call('shift.current', {}))!;
    expect((await x.c.call('fiscal.status', {})).registrar).toMatchObject({ mode: 'shift_open', shiftOpenedAt: shift.openedAt });
  });
});

async function breadPrice(x: Till): Promise<number> {
  const p = await x.c.call('catalog.lookup', { code: DEMO_BARCODES.bread });
  return p!.price;
}

/** The expected cash counted in 100-rouble notes and kopeck coins: the shift closes without a difference. */
function countOf(amount: number): { value: number; count: number }[] {
  return [
    { value: 10_000, count: Math.floor(amount / 10_000) },
    { value: 1, count: amount % 10_000 },
  ];
}

describe('fiscal settings', () => {
  it('the owner switches fiscal mode on only with a registrar of that kind; the cashier INN must have valid check digits', async () => {
    const x = openTill({ registrarFor: () => new FakeRegistrar() });
    tills.push(x);
    await x.as('owner');
    const base = await x.c.call('fiscal.settings', {});
    const noPermitCheck = { provider: 'none', url: '', login: '', passwordSet: false };
    expect(base).toEqual({ mode: 'none', taxSystem: 'osn', cashierInn: '', markingOfflinePolicy: 'allow', warnOfdDays: 25, warnFnDays: 30, permit: noPermitCheck });
    expect(await failure(x.c.call('fiscal.settingsSave', { settings: { ...base, mode: 'atol' } }))).toMatchObject({ code: 'validation', details: { field: 'mode', reason: 'no_registrar' } });
    await x.c.call('devices.save', {
      device: { kind: 'fiscal', driver: 'atol', name: 'АТОЛ', transport: { kind: 'tcp', host: '127.0.0.1', port: 16732 }, options: {}, enabled: true },
    });
    // 12-digit INN: the last two digits are check digits (ФНС weights).
    expect(await failure(x.c.call('fiscal.settingsSave', { settings: { ...base, mode: 'atol', cashierInn: '500100732258' } }))).toMatchObject({ details: { field: 'cashierInn', reason: 'inn' } });
    expect((await x.c.call('fiscal.settings', {})).mode).toBe('none');
    // The compliance clock's thresholds: days within the ФН's own limits, else refused with the field.
    expect(await failure(x.c.call('fiscal.settingsSave', { settings: { ...base, warnOfdDays: 30 } }))).toMatchObject({ code: 'validation' });
    await x.c.call('fiscal.settingsSave', { settings: { mode: 'atol', taxSystem: 'usn_income', cashierInn: '500100732259', markingOfflinePolicy: 'refuse', warnOfdDays: 20 } });
    expect(await x.c.call('fiscal.settings', {})).toEqual({
      mode: 'atol',
      taxSystem: 'usn_income',
      cashierInn: '500100732259',
      markingOfflinePolicy: 'refuse',
      warnOfdDays: 20,
      warnFnDays: 30,
      permit: noPermitCheck,
    });
    expect((await x.c.call('fiscal.status', {})).warn).toEqual({ shiftMinutes: 60, ofdDays: 20, fnDays: 30 });
    await x.as('cashier');
    expect((await failure(x.c.call('fiscal.settings', {}))).code).toBe('forbidden');
  });
});
