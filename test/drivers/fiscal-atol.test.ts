import { afterEach, describe, expect, it, vi } from 'vitest';
import { AtolWebServerEmulator, type ArchiveEntry, type AtolWebServerOptions } from '../../src-drivers/emulators/fiscal/atol.js';
import { AtolRegistrar, type AtolRegistrarOptions } from '../../src-drivers/fiscal/atol/atol-registrar.js';
import { AtolWebClient } from '../../src-drivers/fiscal/atol/client.js';
import { receiptTask } from '../../src-drivers/fiscal/atol/tasks.js';
import { FiscalError, type FiscalErrorCode, type FiscalLine, type FiscalReceipt, type IndustryRequisite, type ShiftTotals } from '../../src-drivers/fiscal/registrar.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const HOUR = 3_600_000;
const GS = String.fromCharCode(0x1d);
const code = (serial: string): string => `0104601234567890` + `21${serial}` + GS + '91EE10' + GS + '92' + 'A'.repeat(44);
const CASHIER = { name: 'Иванова А.', inn: '500100732259' };

async function rig(driver: Partial<AtolRegistrarOptions> = {}, server: AtolWebServerOptions = {}) {
  const emu = await AtolWebServerEmulator.start({ taskMs: 2, ...server });
  cleanups.push(() => emu.stop());
  const atol = registrar(emu, driver);
  return { emu, atol };
}

function registrar(emu: AtolWebServerEmulator, driver: Partial<AtolRegistrarOptions> = {}): AtolRegistrar {
  const r = new AtolRegistrar({ baseUrl: emu.url, timeoutMs: 3_000, pollMs: 5, ...driver });
  cleanups.push(() => r.dispose());
  return r;
}

const apples: FiscalLine = { name: 'Яблоки', qty: 1234, unit: 'kg', price: 8990, amount: 11094, vat: 'vat22', subject: 'commodity', paymentMethod: 'full_payment' };
const milk = (markingCode: string): FiscalLine => ({
  name: 'Молоко',
  qty: 1000,
  unit: 'pcs',
  price: 8990,
  amount: 8990,
  vat: 'vat10',
  subject: 'marked_commodity',
  paymentMethod: 'full_payment',
  markingCode,
});
const sale = (lines: FiscalLine[], payments: FiscalReceipt['payments']): FiscalReceipt => ({ kind: 'sale', lines, payments, taxSystem: 'osn', cashier: CASHIER });
const simpleSale = (): FiscalReceipt => sale([apples], [{ type: 'cash', amount: 11094 }]);

async function failure(p: Promise<unknown>): Promise<FiscalError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(FiscalError);
  return e as FiscalError;
}

async function expectFailure(p: Promise<unknown>, code: FiscalErrorCode, blocking = false): Promise<FiscalError> {
  const e = await failure(p);
  expect({ code: e.code, blocking: e.blocking }).toEqual({ code, blocking });
  return e;
}

/** Shift totals worked out from the ФН archive, independently of anyone's counters. */
function totalsFromArchive(docs: readonly ArchiveEntry[], shift: number, cash: { in: number; out: number }): ShiftTotals {
  const receipts = docs.filter((d) => d.shiftNumber === shift && (d.kind === 'sale' || d.kind === 'return'));
  const settled = (d: ArchiveEntry, type: string): number =>
    d.payments.filter((p) => p.type === type).reduce((s, p) => s + p.amount, 0) - (type === 'cash' ? d.change : 0);
  const signed = (d: ArchiveEntry): number => (d.kind === 'sale' ? 1 : -1);
  const of = (kind: 'sale' | 'return') => receipts.filter((d) => d.kind === kind);
  return {
    sales: { count: of('sale').length, total: of('sale').reduce((s, d) => s + (d.total ?? 0), 0) },
    returns: { count: of('return').length, total: of('return').reduce((s, d) => s + (d.total ?? 0), 0) },
    cash: receipts.reduce((s, d) => s + signed(d) * settled(d, 'cash'), 0),
    card: receipts.reduce((s, d) => s + signed(d) * settled(d, 'electronically'), 0),
    cashIn: cash.in,
    cashOut: cash.out,
  };
}

describe('ATOL registrar over the web-server JSON interface', () => {
  it('reads the status of a fresh registrar', async () => {
    const { atol } = await rig();
    const s = await atol.status();
    expect(s).toMatchObject({ mode: 'shift_closed', openDocument: null, submode: 'ok', shiftNumber: 0, shiftOpenedAt: null });
    expect(s.fn).toMatchObject({ lastDocumentNumber: 0, unsent: { count: 0, oldestAt: null }, blocked: false });
    expect(s.fn.expiresAt).toBeGreaterThan(Date.now());
  });

  it('runs a whole shift: open, sale with a weighed and a marked line, return, cash in/out, X, Z', async () => {
    const { emu, atol } = await rig();
    const open = await atol.openShift(CASHIER);
    expect(open).toMatchObject({ number: 1, shiftNumber: 1 });
    const status = await atol.status();
    expect(status.mode).toBe('shift_open');
    expect(status.shiftOpenedAt).toBe(emu.model.shift.openedAt - (emu.model.shift.openedAt % 1000));

    await atol.cashIn(50_000);
    const km = code('ABCDEFGHIJKLM');
    expect(await atol.checkMarkingCode(km, { qty: 1000, unit: 'pcs' })).toEqual({ accepted: true, online: { ok: true, reason: null } });
    // Card 100 ₽ and cash 150 ₽ for 200.84 ₽: 49.16 ₽ change.
    const doc = await atol.receipt(sale([apples, milk(km)], [{ type: 'card', amount: 10_000 }, { type: 'cash', amount: 15_000 }]));
    const entry = emu.model.archive.find((d) => d.number === doc.number);
    expect(entry).toMatchObject({ kind: 'sale', total: 20_084, change: 4_916, fiscalSign: doc.fiscalSign, markingCodes: [km] });
    expect(doc.shiftNumber).toBe(1);

    const ret = await atol.receipt({ ...simpleSale(), kind: 'return' });
    expect(emu.model.archive.find((d) => d.number === ret.number)).toMatchObject({ kind: 'return', total: 11_094 });
    await atol.cashOut(20_000);

    const expected = totalsFromArchive(emu.model.archive, 1, { in: 50_000, out: 20_000 });
    expect(expected).toEqual({ sales: { count: 1, total: 20_084 }, returns: { count: 1, total: 11_094 }, cash: -1_010, card: 10_000, cashIn: 50_000, cashOut: 20_000 });
    expect(await atol.xReport()).toEqual(expected);
    expect(emu.model.archive).toHaveLength(3); // X is no ФН document

    const z = await atol.closeShift(CASHIER);
    expect(z.totals).toEqual(expected);
    expect(emu.model.archive.at(-1)).toMatchObject({ kind: 'close_shift', number: z.number, fiscalSign: z.fiscalSign });
    const after = await atol.status();
    expect(after).toMatchObject({ mode: 'shift_closed', shiftNumber: 1 });
    expect(after.fn.lastDocumentNumber).toBe(z.number);
    expect(after.fn.unsent.count).toBe(4);
  });

  it('finds documents in the ФН archive by number', async () => {
    const { emu, atol } = await rig();
    await atol.openShift(CASHIER);
    const doc = await atol.receipt(simpleSale());
    const found = await atol.findDocument(doc.number);
    expect(found).toEqual({ number: doc.number, kind: 'sale', total: 11_094, fiscalSign: doc.fiscalSign, at: doc.at });
    expect(found?.fiscalSign).toBe(emu.model.archive[1]?.fiscalSign);
    expect(await atol.findDocument(1)).toMatchObject({ kind: 'open_shift', total: null });
    expect(await atol.findDocument(99)).toBeNull();
  });

  it('reads the nested error shape as well', async () => {
    const { atol } = await rig({}, { errorShape: 'nested' });
    const e = await expectFailure(atol.receipt(simpleSale()), 'shift_not_open');
    expect(e.deviceCode).toBe(73);
    await atol.openShift(CASHIER);
    await expectFailure(atol.openShift(CASHIER), 'shift_already_open');
  });

  it('marking: a malformed code, one ОИСМ rejects, and an offline check', async () => {
    const { emu, atol } = await rig();
    await atol.openShift(CASHIER);
    const bad = '0104601234567890' + '21NOGROUPSEPARATOR';
    expect(await atol.checkMarkingCode(bad, { qty: 1000, unit: 'pcs' })).toEqual({ accepted: false, online: { ok: false, reason: 'itemEstimatedStatusIncorrect' } });
    await expectFailure(atol.receipt(sale([milk(bad)], [{ type: 'cash', amount: 8990 }])), 'marking_invalid');

    const sold = code('SOLDALREADY01');
    emu.model.marking.rejected.add(sold);
    expect(await atol.checkMarkingCode(sold, { qty: 1000, unit: 'pcs' })).toEqual({ accepted: true, online: { ok: false, reason: 'itemEstimatedStatusIncorrect' } });
    await expectFailure(atol.receipt(sale([milk(sold)], [{ type: 'cash', amount: 8990 }])), 'marking_invalid');

    emu.model.marking.online = false;
    const km = code('OFFLINE000001');
    expect(await atol.checkMarkingCode(km, { qty: 1000, unit: 'pcs' })).toEqual({ accepted: true, online: null });
    await atol.receipt(sale([milk(km)], [{ type: 'cash', amount: 8990 }]));
    expect(emu.model.archive.at(-1)?.markingCodes).toEqual([km]);
  });
});

describe('ATOL faults', () => {
  it('device not connected / port busy → offline, not blocking', async () => {
    const { emu, atol } = await rig();
    emu.model.faults.notConnected = true;
    expect((await expectFailure(atol.status(), 'offline')).deviceCode).toBe(2);
    emu.model.faults.notConnected = false;
    emu.model.faults.portBusy = true;
    expect((await expectFailure(atol.openShift(CASHIER), 'offline')).deviceCode).toBe(3);
    expect(emu.model.archive).toHaveLength(0);
  });

  it('the web server unreachable → offline', async () => {
    const { emu, atol } = await rig();
    await emu.stop();
    await expectFailure(atol.status(), 'offline');
    await expectFailure(atol.receipt(simpleSale()), 'offline');
  });

  it('long printing: the driver waits through inProgress; too long for its timeout → timeout, fiscalized anyway', async () => {
    const { emu, atol } = await rig();
    await atol.openShift(CASHIER);
    emu.faults.printMs = 150;
    const doc = await atol.receipt(simpleSale());
    expect(emu.model.archive.at(-1)?.number).toBe(doc.number);

    // Printing outlasts this driver's patience by far, so the POST itself is never what times out.
    emu.faults.printMs = 600;
    const impatient = registrar(emu, { timeoutMs: 150 });
    await expectFailure(impatient.receipt(simpleSale()), 'timeout');
    await vi.waitFor(() => expect(emu.model.archive).toHaveLength(3), { timeout: 5_000, interval: 20 });
    expect(emu.received.filter((t) => t === 'sell')).toHaveLength(2);
  });

  it('paper out before the document → paper_out, nothing fiscalized', async () => {
    const { emu, atol } = await rig();
    await atol.openShift(CASHIER);
    emu.model.paperPresent = false;
    await expectFailure(atol.receipt(simpleSale()), 'paper_out');
    expect(emu.model.archive).toHaveLength(1);
    expect((await atol.status()).submode).toBe('paper_out');
  });

  it('paper out mid-document: the ФН has it, printing waits for paper and continuePrint', async () => {
    const { emu, atol } = await rig();
    await atol.openShift(CASHIER);
    emu.model.faults.paperOutMidDocument = true;
    const doc = await atol.receipt(simpleSale());
    expect(emu.model.archive.at(-1)?.number).toBe(doc.number);
    expect((await atol.status()).submode).toBe('paper_out');
    await expectFailure(atol.continuePrinting(), 'paper_out');
    emu.model.loadPaper();
    expect((await atol.status()).submode).toBe('waiting_continue');
    await atol.continuePrinting();
    expect((await atol.status()).submode).toBe('ok');
    expect(emu.model.notPrinted).toBe(false);
  });

  it('shift over 24 h → shift_expired, blocking, until Z and a new shift', async () => {
    const { emu, atol } = await rig();
    await atol.openShift(CASHIER);
    emu.model.advance(25 * HOUR);
    expect((await atol.status()).mode).toBe('shift_expired');
    const e = await expectFailure(atol.receipt(simpleSale()), 'shift_expired', true);
    expect(e.deviceCode).toBe(68);
    await atol.closeShift(CASHIER);
    await atol.openShift(CASHIER);
    await atol.receipt(simpleSale());
  });

  it('ФН full and ФН expired → blocking', async () => {
    const { emu, atol } = await rig();
    await atol.openShift(CASHIER);
    emu.model.fn.full = true;
    await expectFailure(atol.receipt(simpleSale()), 'fn_full', true);
    emu.model.fn.full = false;
    emu.model.expireFn();
    await expectFailure(atol.receipt(simpleSale()), 'fn_expired', true);
    expect((await atol.status()).fn.blocked).toBe(true);
    expect(emu.model.archive).toHaveLength(1);
  });

  it('ОФД silent for over 30 days → ofd_overdue, blocking; status shows the backlog', async () => {
    const { emu, atol } = await rig();
    const open = await atol.openShift(CASHIER);
    await atol.closeShift(CASHIER);
    emu.model.advance(31 * 24 * HOUR);
    const s = await atol.status();
    expect(s.fn.unsent).toEqual({ count: 2, oldestAt: open.at });
    await expectFailure(atol.openShift(CASHIER), 'ofd_overdue', true);
    emu.model.ofdConfirmAll();
    await atol.openShift(CASHIER);
  });

  it('power lost after the ФН commits (request stays inProgress) → timeout; the archive has the document', async () => {
    const { emu, atol } = await rig({ timeoutMs: 300 });
    await atol.openShift(CASHIER);
    emu.faults.powerLossAfterCommit = 'hang';
    await expectFailure(atol.receipt(simpleSale()), 'timeout');
    const doc = emu.model.archive.at(-1);
    expect(doc).toMatchObject({ kind: 'sale', total: 11_094 });
    expect(emu.received.filter((t) => t === 'sell')).toHaveLength(1);

    // Recovery as the caller does it: power back, the ФН's last number, the archive entry.
    await emu.powerOn();
    const s = await atol.status();
    expect(s.fn.lastDocumentNumber).toBe(doc?.number);
    expect(await atol.findDocument(s.fn.lastDocumentNumber)).toMatchObject({ kind: 'sale', total: 11_094, fiscalSign: doc?.fiscalSign });
  });

  it('power lost after the ФН commits (web server drops) → timeout; the archive has the document', async () => {
    const { emu, atol } = await rig({ timeoutMs: 300 });
    await atol.openShift(CASHIER);
    emu.faults.powerLossAfterCommit = 'drop';
    await expectFailure(atol.receipt(simpleSale()), 'timeout');
    expect(emu.model.archive.at(-1)).toMatchObject({ kind: 'sale', total: 11_094 });
    expect(emu.received.filter((t) => t === 'sell')).toHaveLength(1);
    await emu.powerOn();
    expect((await atol.status()).fn.lastDocumentNumber).toBe(2);
  });

  it('a receipt left open → document_open until cancelled; cancelling twice is harmless', async () => {
    const { emu, atol } = await rig();
    await atol.openShift(CASHIER);
    emu.model.faults.receiptOpen = true;
    expect((await expectFailure(atol.receipt(simpleSale()), 'document_open')).deviceCode).toBe(82);
    await atol.cancelDocument();
    await atol.cancelDocument();
    await atol.receipt(simpleSale());
    expect(emu.model.archive.map((d) => d.kind)).toEqual(['open_shift', 'sale']);
  });

  it('refuses malformed receipts before anything reaches the registrar', async () => {
    const { emu, atol } = await rig();
    await atol.openShift(CASHIER);
    const sent = emu.received.length;
    await expectFailure(atol.receipt(sale([{ ...apples, price: 89.9 }], [{ type: 'cash', amount: 11094 }])), 'bad_data');
    await expectFailure(atol.receipt(sale([], [{ type: 'cash', amount: 1 }])), 'bad_data');
    await expectFailure(atol.cashIn(-5), 'bad_data');
    expect(emu.received.length).toBe(sent);
    // What the registrar itself refuses comes back as its code.
    await expectFailure(atol.receipt(sale([apples], [{ type: 'cash', amount: 100 }])), 'bad_data');
  });
});

/** The permit check's answer a marked line carries under the permit regime (tag 1260). */
const PERMIT: IndustryRequisite = { foiv: '030', date: '21.11.2023', number: '1944', value: 'UUID=fb6c7a0e-9f3a-4d5e-8f00-1b2c3d4e5f60&Time=1700553600000' };
/** 01:30 Moscow on 1 March 2026 (still 28 February in UTC): the ФН keeps the registrar's day. */
const CORRECTED_AT = Date.UTC(2026, 1, 28, 22, 30);

describe('ATOL correction receipts and industry requisites', () => {
  it('corrections of a sale and of a return: one correction document each with total and basis; findDocument says correction', async () => {
    const { emu, atol } = await rig();
    await atol.openShift(CASHIER);
    await atol.cashIn(50_000);

    const doc = await atol.receipt({ ...simpleSale(), correction: { type: 'self', baseDate: CORRECTED_AT, baseNumber: '' } });
    const entry = emu.model.archive.find((d) => d.number === doc.number);
    expect(entry).toMatchObject({ kind: 'correction', operation: 'sale', total: 11_094, fiscalSign: doc.fiscalSign, correction: { type: 'self', baseDate: '2026-03-01', baseNumber: '' } });
    expect(await atol.findDocument(doc.number)).toEqual({ number: doc.number, kind: 'correction', total: 11_094, fiscalSign: doc.fiscalSign, at: doc.at });

    const ret = await atol.receipt({ ...simpleSale(), kind: 'return', correction: { type: 'instruction', baseDate: CORRECTED_AT, baseNumber: '12-34/567' } });
    expect(emu.model.archive.find((d) => d.number === ret.number)).toMatchObject({
      kind: 'correction',
      operation: 'return',
      total: 11_094,
      correction: { type: 'instruction', baseDate: '2026-03-01', baseNumber: '12-34/567' },
    });
    expect(await atol.findDocument(ret.number)).toMatchObject({ kind: 'correction', total: 11_094 });
    expect(emu.received.filter((t) => t.endsWith('Correction'))).toEqual(['sellCorrection', 'sellReturnCorrection']);
    expect(emu.model.archive.filter((d) => d.kind === 'correction')).toHaveLength(2);

    // The recovery primitives are unchanged for an ordinary receipt.
    const plain = await atol.receipt(simpleSale());
    expect(emu.model.archive.at(-1)).toMatchObject({ kind: 'sale', operation: 'sale', correction: null });
    expect((await atol.status()).fn.lastDocumentNumber).toBe(plain.number);
    expect(await atol.findDocument(plain.number)).toEqual({ number: plain.number, kind: 'sale', total: 11_094, fiscalSign: plain.fiscalSign, at: plain.at });
  });

  it('a marked line with its industry requisite ends in the archive with all four fields', async () => {
    const { emu, atol } = await rig();
    await atol.openShift(CASHIER);
    const km = code('PERMITREGIME1');
    expect(await atol.checkMarkingCode(km, { qty: 1000, unit: 'pcs' })).toMatchObject({ accepted: true });
    const doc = await atol.receipt(sale([{ ...milk(km), industry: PERMIT }, apples], [{ type: 'card', amount: 20_084 }]));
    const entry = emu.model.archive.find((d) => d.number === doc.number);
    expect(entry?.lines).toEqual([
      { name: 'Молоко', amount: 8_990, industry: PERMIT },
      { name: 'Яблоки', amount: 11_094, industry: null },
    ]);
    expect(entry?.markingCodes).toEqual([km]);

    await atol.receipt({ ...sale([{ ...apples, industry: { ...PERMIT, number: '7' } }], [{ type: 'cash', amount: 11_094 }]), correction: { type: 'self', baseDate: CORRECTED_AT, baseNumber: '' } });
    expect(emu.model.archive.at(-1)).toMatchObject({ kind: 'correction', lines: [{ industry: { ...PERMIT, number: '7' } }] });
  });

  it('refused before anything is sent: a correction by instruction without its number, a 1263 date not DD.MM.YYYY', async () => {
    const { emu, atol } = await rig();
    await atol.openShift(CASHIER);
    const sent = emu.received.length;
    await expectFailure(atol.receipt({ ...simpleSale(), correction: { type: 'instruction', baseDate: CORRECTED_AT, baseNumber: '' } }), 'bad_data');
    await expectFailure(atol.receipt(sale([{ ...apples, industry: { ...PERMIT, date: '2023.11.21' } }], [{ type: 'cash', amount: 11_094 }])), 'bad_data');
    await expectFailure(atol.receipt({ ...simpleSale(), correction: { type: 'self', baseDate: Number.NaN, baseNumber: '' } }), 'bad_data');
    expect(emu.received.length).toBe(sent);
    expect(emu.model.archive).toHaveLength(1);
  });

  it('the emulator refuses what the registrar would, sent as raw tasks over HTTP (bad_data)', async () => {
    const { emu } = await rig();
    const client = new AtolWebClient({ baseUrl: emu.url, timeoutMs: 3_000, pollMs: 5 });
    cleanups.push(() => client.dispose());
    await client.run([{ type: 'openShift', operator: { name: CASHIER.name } }]);
    const ordered = receiptTask({ ...simpleSale(), correction: { type: 'instruction', baseDate: CORRECTED_AT, baseNumber: 'X-1' } });

    const { correctionBaseNumber: _dropped, ...noNumber } = ordered;
    const e1 = await failure(client.run([noNumber]));
    expect([e1.code, e1.deviceCode]).toEqual(['bad_data', 8]);
    const e2 = await failure(client.run([{ ...ordered, correctionBaseDate: '01.03.2026' }]));
    expect([e2.code, e2.deviceCode]).toEqual(['bad_data', 13]);
    const e3 = await failure(client.run([{ ...ordered, correctionType: 'later' }]));
    expect(e3.code).toBe('bad_data');

    const withIndustry = receiptTask(sale([{ ...apples, industry: PERMIT }], [{ type: 'cash', amount: 11_094 }]));
    const items = withIndustry.items as { industryInfo: { date: string }[] }[];
    const badDate = { ...withIndustry, items: [{ ...items[0], industryInfo: [{ ...items[0]!.industryInfo[0], date: '21.11.2023' }] }] };
    const e4 = await failure(client.run([badDate]));
    expect([e4.code, e4.deviceCode]).toEqual(['bad_data', 13]);
    expect(emu.model.archive.map((d) => d.kind)).toEqual(['open_shift']);

    await client.run([ordered]);
    expect(emu.model.archive.at(-1)).toMatchObject({ kind: 'correction', correction: { type: 'instruction', baseDate: '2026-03-01', baseNumber: 'X-1' } });
  });
});
