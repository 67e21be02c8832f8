import { afterEach, describe, expect, it } from 'vitest';
import { DeviceConnection } from '../../src-drivers/common/connection.js';
import { ShtrihEmulator, type ShtrihEmulatorOptions } from '../../src-drivers/emulators/fiscal/shtrih.js';
import { serveSerial, serveTcp } from '../../src-drivers/emulators/serve.js';
import type { FiscalCorrection, FiscalLine, FiscalReceipt, IndustryRequisite } from '../../src-drivers/fiscal/registrar.js';
import { CMD, closeV2Request, correctionTlv, industryTlv, openCheckRequest, operationV2Request, pw, tlv, writeTlvRequest } from '../../src-drivers/fiscal/shtrih/commands.js';
import { toFiscalError } from '../../src-drivers/fiscal/shtrih/errors.js';
import { ShtrihLink } from '../../src-drivers/fiscal/shtrih/link.js';
import { ShtrihRegistrar, type ShtrihOptions } from '../../src-drivers/fiscal/shtrih/registrar.js';
import { SerialTransport } from '../../src-drivers/transports/serial.js';
import { TcpTransport } from '../../src-drivers/transports/tcp.js';
import { PtyPair } from '../support/pty.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Short enough that a silent registrar is given up on in about a second. */
const TIMING: ShtrihOptions = { byteTimeoutMs: 100, answerTimeoutMs: 1_000, reportTimeoutMs: 1_000, retries: 2, printingWaitMs: 3_000 };

interface Rig {
  emulator: ShtrihEmulator;
  kkt: ShtrihRegistrar;
}

async function overPty(emuOpts: ShtrihEmulatorOptions = {}, opts: ShtrihOptions = {}): Promise<Rig> {
  const emulator = new ShtrihEmulator(emuOpts);
  const pty = await PtyPair.start();
  cleanups.push(() => pty.dispose());
  const served = await serveSerial(emulator, pty.device, 115_200);
  cleanups.push(() => served.stop());
  const conn = new DeviceConnection(() => new SerialTransport({ path: pty.till, baudRate: 115_200 }), { minDelayMs: 50, maxDelayMs: 200 });
  return connect(emulator, conn, opts);
}

async function overTcp(emuOpts: ShtrihEmulatorOptions = {}, opts: ShtrihOptions = {}): Promise<Rig> {
  const emulator = new ShtrihEmulator(emuOpts);
  const served = await serveTcp(emulator);
  cleanups.push(() => served.stop());
  const conn = new DeviceConnection(() => new TcpTransport({ host: '127.0.0.1', port: served.port, connectTimeoutMs: 500 }), { minDelayMs: 50 });
  return connect(emulator, conn, opts);
}

async function connect(emulator: ShtrihEmulator, conn: DeviceConnection, opts: ShtrihOptions): Promise<Rig> {
  cleanups.push(() => conn.stop());
  conn.start();
  await conn.waitConnected(3_000);
  const kkt = new ShtrihRegistrar(conn, { ...TIMING, ...opts });
  cleanups.push(() => kkt.dispose());
  return { emulator, kkt };
}

/** A Честный знак code: GTIN, serial, GS, 91 key, GS, 92 signature. */
const MILK_CODE = `0104600439931256215Zk8Ep\u001d91EE06\u001d92${'A'.repeat(44)}`;

const cheese: FiscalLine = { name: 'Сыр российский, вес', qty: 1_234, unit: 'kg', price: 45_000, amount: 55_530, vat: 'vat10', subject: 'commodity', paymentMethod: 'full_payment' };
const milk: FiscalLine = { name: 'Молоко 3,2% 1 л', qty: 1_000, unit: 'pcs', price: 8_990, amount: 8_990, vat: 'vat22', subject: 'marked_commodity', paymentMethod: 'full_payment', markingCode: MILK_CODE };
const bread: FiscalLine = { name: 'Хлеб', qty: 1_000, unit: 'pcs', price: 5_500, amount: 5_500, vat: 'vat10', subject: 'commodity', paymentMethod: 'full_payment' };

const sale = (lines: FiscalLine[], payments: FiscalReceipt['payments']): FiscalReceipt => ({ kind: 'sale', lines, payments, taxSystem: 'osn', cashier: { name: 'Иванова А.', inn: '500100732259' } });
const breadSale = (): FiscalReceipt => sale([bread], [{ type: 'cash', amount: 5_500 }]);

const RIGS = [
  { name: 'socat pty', rig: overPty },
  { name: 'TCP', rig: overTcp },
];

describe.each(RIGS)('Shtrih-M driver against its emulator over $name', ({ rig }) => {
  it('a whole shift: status, open, sale (weighed + marked, cash and card with change), return, cash in/out, X, find, Z', async () => {
    const { emulator, kkt } = await rig();

    const s0 = await kkt.status();
    expect(s0).toMatchObject({ mode: 'shift_closed', submode: 'ok', openDocument: null, fn: { lastDocumentNumber: 1, blocked: false, unsent: { count: 1 } } });
    expect(s0.fn.expiresAt).toBeGreaterThan(Date.now());
    emulator.confirm();

    const opened = await kkt.openShift({ name: 'Иванова А.' });
    expect(opened).toMatchObject({ number: 2, shiftNumber: 1, fiscalSign: emulator.archive[1]?.fiscalSign });
    expect(emulator.archive[1]).toMatchObject({ kind: 'open_shift', number: 2 });

    await expect(kkt.checkMarkingCode(MILK_CODE, { qty: 1_000, unit: 'pcs' })).resolves.toEqual({ accepted: true, online: null });

    const doc = await kkt.receipt(sale([cheese, milk], [{ type: 'card', amount: 50_000 }, { type: 'cash', amount: 20_000 }]));
    const saleEntry = emulator.archive.at(-1);
    expect(saleEntry).toMatchObject({ kind: 'sale', total: 64_520, number: 3 });
    expect(doc).toMatchObject({ number: 3, fiscalSign: saleEntry?.fiscalSign, shiftNumber: 1 });
    expect(emulator.requests.filter((c) => c === CMD.MC_CHECK)).toHaveLength(1); // checked once, before the receipt
    expect(emulator.requests).toContain(CMD.MC_BIND);
    expect(emulator.requests).toContain(CMD.FN_OPERATION_TLV); // the kg measure of the weighed line

    const ret = await kkt.receipt({ ...sale([milk], [{ type: 'cash', amount: 8_990 }]), kind: 'return' });
    expect(ret.number).toBe(4);
    expect(emulator.archive.at(-1)).toMatchObject({ kind: 'return', total: 8_990 });
    expect(emulator.requests.filter((c) => c === CMD.MC_CHECK)).toHaveLength(2); // a return re-checks with status 3

    await kkt.cashIn(100_000);
    await kkt.cashOut(30_000);

    const x = await kkt.xReport();
    expect(x).toEqual(emulator.shiftTotals());
    expect(x).toEqual({ sales: { count: 1, total: 64_520 }, returns: { count: 1, total: 8_990 }, cash: 20_000 - 5_480 - 8_990, card: 50_000, cashIn: 100_000, cashOut: 30_000 });

    await expect(kkt.findDocument(3)).resolves.toMatchObject({ number: 3, kind: 'sale', total: 64_520, fiscalSign: saleEntry?.fiscalSign });
    await expect(kkt.findDocument(4)).resolves.toMatchObject({ kind: 'return', total: 8_990 });
    await expect(kkt.findDocument(2)).resolves.toMatchObject({ kind: 'open_shift', total: null });
    await expect(kkt.findDocument(99)).resolves.toBeNull();

    const z = await kkt.closeShift({ name: 'Иванова А.' });
    expect(z.totals).toEqual(emulator.lastClosedTotals);
    expect(z.totals).toEqual(x);
    expect(z).toMatchObject({ number: 5, shiftNumber: 1, fiscalSign: emulator.archive[4]?.fiscalSign });
    expect(emulator.archive.map((d) => d.kind)).toEqual(['registration', 'open_shift', 'sale', 'return', 'close_shift']);
    await expect(kkt.status()).resolves.toMatchObject({ mode: 'shift_closed', fn: { lastDocumentNumber: 5, unsent: { count: 4 } } });
  });

  it('power lost after the ФН committed the receipt: timeout, no second close, and the archive has it for recovery', async () => {
    const { emulator, kkt } = await rig({ shiftOpen: true });
    const before = (await kkt.status()).fn.lastDocumentNumber;
    emulator.faults.powerLossAfterCommit(CMD.FN_CLOSE_CHECK_V2);
    const err = await kkt.receipt(breadSale()).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'FiscalError', code: 'timeout', blocking: false });
    expect(emulator.requests.filter((c) => c === CMD.FN_CLOSE_CHECK_V2)).toHaveLength(1);
    expect(emulator.archive.at(-1)).toMatchObject({ kind: 'sale', total: 5_500, number: before + 1 });

    // Recovery: the ФН number rose, the document is the receipt.
    const after = await kkt.status();
    expect(after).toMatchObject({ mode: 'shift_open', fn: { lastDocumentNumber: before + 1 } });
    await expect(kkt.findDocument(before + 1)).resolves.toMatchObject({ kind: 'sale', total: 5_500, fiscalSign: emulator.archive.at(-1)?.fiscalSign });
  });
});

describe('Shtrih-M faults over a socat pty', () => {
  it('wrong LRC once: the answer is NAKed and read again; every time: protocol error for a read', async () => {
    const { emulator, kkt } = await overPty({ shiftOpen: true });
    emulator.faults.wrongLrc(1);
    await expect(kkt.status()).resolves.toMatchObject({ mode: 'shift_open' });
    expect(emulator.requests.filter((c) => c === CMD.SHORT_STATUS)).toHaveLength(1);
    emulator.faults.wrongLrc(1_000);
    await expect(kkt.status()).rejects.toMatchObject({ code: 'protocol' });
    emulator.faults.clear();
    await expect(kkt.status()).resolves.toMatchObject({ mode: 'shift_open' });
  });

  it('an unreadable answer to a command that moves money is never repeated: timeout, outcome unknown', async () => {
    const { emulator, kkt } = await overPty({ shiftOpen: true });
    emulator.faults.wrongLrc(1_000);
    await expect(kkt.cashIn(1_000)).rejects.toMatchObject({ code: 'timeout' });
    emulator.faults.clear();
    expect(emulator.requests.filter((c) => c === CMD.CASH_IN)).toHaveLength(1);
    expect(emulator.shiftTotals().cashIn).toBe(1_000); // it did run
  });

  it('missing ACK: the driver asks with ENQ and reads the held answer, without sending the command again', async () => {
    const { emulator, kkt } = await overPty({ shiftOpen: true });
    emulator.faults.missingAck(1);
    await kkt.cashIn(2_000);
    expect(emulator.requests.filter((c) => c === CMD.CASH_IN)).toHaveLength(1);
    expect(emulator.shiftTotals().cashIn).toBe(2_000);
    emulator.faults.missingAck(3);
    const doc = await kkt.receipt(breadSale());
    expect(emulator.requests.filter((c) => c === CMD.FN_CLOSE_CHECK_V2)).toHaveLength(1);
    expect(doc.number).toBe(emulator.lastDocumentNumber);
  });

  it('long printing (50) is waited out with back-off; printing that never ends is busy', async () => {
    const { emulator, kkt } = await overPty({ shiftOpen: true }, { printingWaitMs: 400 });
    emulator.printing(3);
    await expect(kkt.status()).resolves.toMatchObject({ submode: 'printing' });
    await kkt.cashIn(500);
    expect(emulator.requests.filter((c) => c === CMD.CASH_IN)).toHaveLength(4); // three refusals, then done
    expect(emulator.shiftTotals().cashIn).toBe(500);
    emulator.printing(10_000);
    await expect(kkt.cashIn(500)).rejects.toMatchObject({ code: 'busy', deviceCode: 0x50 });
    expect(emulator.shiftTotals().cashIn).toBe(500);
  });

  it('paper out mid-receipt: paper_out, then paper back → waiting_continue → B0 → cancel', async () => {
    const { emulator, kkt } = await overPty({ shiftOpen: true });
    const docs = emulator.lastDocumentNumber;
    emulator.paperOutAtLine(2);
    await expect(kkt.receipt(sale([bread, bread], [{ type: 'cash', amount: 11_000 }]))).rejects.toMatchObject({ code: 'paper_out', blocking: false, deviceCode: 0x6b });
    await expect(kkt.status()).resolves.toMatchObject({ mode: 'document_open', openDocument: 'sale', submode: 'paper_out' });
    emulator.loadPaper();
    await expect(kkt.status()).resolves.toMatchObject({ submode: 'waiting_continue' });
    await expect(kkt.receipt(breadSale())).rejects.toMatchObject({ code: 'document_open' });
    await kkt.continuePrinting();
    await expect(kkt.status()).resolves.toMatchObject({ submode: 'ok', mode: 'document_open' });
    await kkt.cancelDocument();
    await expect(kkt.status()).resolves.toMatchObject({ mode: 'shift_open', openDocument: null });
    expect(emulator.lastDocumentNumber).toBe(docs);
    await expect(kkt.receipt(breadSale())).resolves.toMatchObject({ number: docs + 1 });
  });

  it('shift over 24 h: blocking shift_expired until Z, then a new shift sells', async () => {
    const { emulator, kkt } = await overPty({ shiftOpen: true });
    emulator.advanceClock(25 * 3600_000);
    await expect(kkt.status()).resolves.toMatchObject({ mode: 'shift_expired' });
    await expect(kkt.receipt(breadSale())).rejects.toMatchObject({ code: 'shift_expired', blocking: true });
    await expect(kkt.cashIn(100)).rejects.toMatchObject({ code: 'shift_expired', blocking: true, deviceCode: 0x4e });
    await kkt.closeShift({ name: 'A' });
    await kkt.openShift({ name: 'A' });
    await expect(kkt.receipt(breadSale())).resolves.toMatchObject({ shiftNumber: 2 });
  });

  it('ФН expired, ФН full, ОФД overdue: blocking errors with the ФН codes', async () => {
    const expired = await overPty({ shiftOpen: true });
    expired.emulator.fnExpired = true;
    await expect(expired.kkt.receipt(breadSale())).rejects.toMatchObject({ code: 'fn_expired', blocking: true, deviceCode: 0x05 });
    await expect(expired.kkt.status()).resolves.toMatchObject({ fn: { blocked: true } });

    const full = await overPty();
    full.emulator.fnFull = true;
    await expect(full.kkt.openShift({ name: 'A' })).rejects.toMatchObject({ code: 'fn_full', blocking: true, deviceCode: 0x06 });

    const late = await overPty();
    late.emulator.advanceClock(31 * 24 * 3600_000);
    await expect(late.kkt.status()).resolves.toMatchObject({ fn: { blocked: true, unsent: { count: 1 } } });
    await expect(late.kkt.openShift({ name: 'A' })).rejects.toMatchObject({ code: 'ofd_overdue', blocking: true, deviceCode: 0x15 });
    late.emulator.confirm();
    await expect(late.kkt.openShift({ name: 'A' })).resolves.toMatchObject({ number: 2 });
  });

  it('shift not open (3D, and 73 resolved by mode), shift already open, wrong password', async () => {
    const { kkt } = await overPty();
    await expect(kkt.receipt(breadSale())).rejects.toMatchObject({ code: 'shift_not_open' });
    await expect(kkt.cashIn(100)).rejects.toMatchObject({ code: 'shift_not_open', deviceCode: 0x3d });

    const other = await overPty({ shiftClosedError: 0x73 });
    await expect(other.kkt.cashIn(100)).rejects.toMatchObject({ code: 'shift_not_open', deviceCode: 0x73 });
    await other.kkt.openShift({ name: 'A' });
    await expect(other.kkt.openShift({ name: 'A' })).rejects.toMatchObject({ code: 'shift_already_open', deviceCode: 0x73 });

    const wrong = await overPty({ shiftOpen: true }, { cashierPassword: 7 });
    await expect(wrong.kkt.cashIn(100)).rejects.toMatchObject({ code: 'password', deviceCode: 0x4f });
  });

  it('a check left open is reported, never added to; cancel clears it', async () => {
    const { emulator, kkt } = await overPty({ shiftOpen: true });
    emulator.leaveCheckOpen('sale', 12_345);
    await expect(kkt.status()).resolves.toMatchObject({ mode: 'document_open', openDocument: 'sale' });
    await expect(kkt.receipt(breadSale())).rejects.toMatchObject({ code: 'document_open' });
    expect(emulator.openCheck).toMatchObject({ lines: 1, total: 12_345 });
    await kkt.cancelDocument();
    await kkt.cancelDocument(); // nothing open any more: not an error
    const doc = await kkt.receipt(breadSale());
    expect(doc.number).toBe(emulator.lastDocumentNumber);
  });

  it('marking: a malformed code is not accepted and no check is opened; an online rejection is reported', async () => {
    const { emulator, kkt } = await overPty({ shiftOpen: true });
    const bad = '0104600439931256'; // no serial, no crypto tail
    await expect(kkt.checkMarkingCode(bad, { qty: 1_000, unit: 'pcs' })).resolves.toEqual({ accepted: false, online: null });
    await expect(kkt.receipt(sale([{ ...milk, markingCode: bad }], [{ type: 'cash', amount: 8_990 }]))).rejects.toMatchObject({ code: 'marking_invalid' });
    expect(emulator.openCheck).toBeNull();
    expect(emulator.requests).not.toContain(CMD.FN_OPERATION_V2);

    const online = await overPty({ shiftOpen: true, markingOnline: 'rejected' });
    const check = await online.kkt.checkMarkingCode(MILK_CODE, { qty: 1_000, unit: 'pcs' });
    expect(check).toMatchObject({ accepted: true, online: { ok: false } });
  });

  it('no answer at all: offline, quickly; nothing was sent', async () => {
    const { emulator, kkt } = await overPty({ shiftOpen: true });
    emulator.faults.silent = true;
    await expect(kkt.cashIn(100)).rejects.toMatchObject({ code: 'offline' });
    expect(emulator.shiftTotals().cashIn).toBe(0);
    emulator.faults.clear();
    await kkt.cashIn(100);
    expect(emulator.shiftTotals().cashIn).toBe(100);
  });

  it('noise before every reply does not hide the frames', async () => {
    const { emulator, kkt } = await overPty({ shiftOpen: true });
    emulator.faults.garbage = Uint8Array.of(0x00, 0xff, 0x33, 0x80, 0x7f);
    const doc = await kkt.receipt(breadSale());
    expect(doc).toMatchObject({ number: emulator.lastDocumentNumber, fiscalSign: emulator.archive.at(-1)?.fiscalSign });
  });
});

/** The permit check's answer a marked line carries under the permit regime (tag 1260). */
const PERMIT: IndustryRequisite = { foiv: '030', date: '21.11.2023', number: '1944', value: 'UUID=fb6c7a0e-9f3a-4d5e-8f00-1b2c3d4e5f60&Time=1700553600000' };
/** 01:30 Moscow on 1 March 2026 (still 28 February in UTC): the ФН keeps the registrar's day. */
const CORRECTED_AT = Date.UTC(2026, 1, 28, 22, 30);

/** The commands that wrote to the check, in order (status and ФН queries left out). */
const WRITES = new Set<number>([CMD.OPEN_CHECK, CMD.FN_WRITE_TLV, CMD.FN_OPERATION_V2, CMD.FN_OPERATION_TLV, CMD.MC_BIND, CMD.FN_CLOSE_CHECK_V2, CMD.CANCEL_CHECK]);
const writes = (e: ShtrihEmulator, from: number): number[] => e.requests.slice(from).filter((c) => WRITES.has(c));

describe('Shtrih-M correction receipts and industry requisites over a socat pty', () => {
  it('corrections of a sale and of a return: 8D 0x80|kind, 1173/1174 by FF0C, lines, FF45; one correction document each; findDocument says correction', async () => {
    const { emulator, kkt } = await overPty({ shiftOpen: true });
    const self: FiscalCorrection = { type: 'self', baseDate: CORRECTED_AT, baseNumber: '' };

    let from = emulator.requests.length;
    const doc = await kkt.receipt({ ...sale([bread, cheese], [{ type: 'cash', amount: 70_000 }]), correction: self });
    expect(writes(emulator, from)).toEqual([CMD.OPEN_CHECK, CMD.FN_WRITE_TLV, CMD.FN_OPERATION_V2, CMD.FN_OPERATION_V2, CMD.FN_OPERATION_TLV, CMD.FN_CLOSE_CHECK_V2]);
    const entry = emulator.archive.at(-1);
    expect(entry).toMatchObject({
      number: doc.number,
      kind: 'correction',
      operation: 'sale',
      total: 61_030,
      fiscalSign: doc.fiscalSign,
      correction: { type: 'self', baseDate: '2026-03-01', baseNumber: '' },
    });
    expect(entry?.lines.map((l) => l.name)).toEqual([bread.name, cheese.name]);
    await expect(kkt.findDocument(doc.number)).resolves.toEqual({ number: doc.number, kind: 'correction', total: 61_030, fiscalSign: doc.fiscalSign, at: doc.at });

    from = emulator.requests.length;
    const ret = await kkt.receipt({ ...sale([bread], [{ type: 'cash', amount: 5_500 }]), kind: 'return', correction: { type: 'instruction', baseDate: CORRECTED_AT, baseNumber: '12-34/567' } });
    expect(writes(emulator, from)).toEqual([CMD.OPEN_CHECK, CMD.FN_WRITE_TLV, CMD.FN_OPERATION_V2, CMD.FN_CLOSE_CHECK_V2]);
    expect(emulator.archive.at(-1)).toMatchObject({ kind: 'correction', operation: 'return', total: 5_500, correction: { type: 'instruction', baseDate: '2026-03-01', baseNumber: '12-34/567' } });
    await expect(kkt.findDocument(ret.number)).resolves.toMatchObject({ kind: 'correction', total: 5_500 });
    expect(emulator.archive.filter((d) => d.kind === 'correction').map((d) => d.number)).toEqual([doc.number, ret.number]);

    // The recovery primitives are unchanged for an ordinary receipt: FF46 opens it, no 8D.
    from = emulator.requests.length;
    const plain = await kkt.receipt(breadSale());
    expect(writes(emulator, from)).toEqual([CMD.FN_OPERATION_V2, CMD.FN_WRITE_TLV, CMD.FN_CLOSE_CHECK_V2]);
    expect(emulator.archive.at(-1)).toMatchObject({ kind: 'sale', operation: 'sale', correction: null });
    await expect(kkt.status()).resolves.toMatchObject({ mode: 'shift_open', fn: { lastDocumentNumber: plain.number } });
    await expect(kkt.findDocument(plain.number)).resolves.toMatchObject({ kind: 'sale', total: 5_500, fiscalSign: plain.fiscalSign });
  });

  it('a marked line with its industry requisite: 1260 by FF4D after its FF46, in the archive with all four fields', async () => {
    const { emulator, kkt } = await overPty({ shiftOpen: true });
    const from = emulator.requests.length;
    const doc = await kkt.receipt(sale([{ ...milk, industry: PERMIT }, bread], [{ type: 'card', amount: 14_490 }]));
    expect(writes(emulator, from)).toEqual([CMD.FN_OPERATION_V2, CMD.FN_WRITE_TLV, CMD.FN_OPERATION_TLV, CMD.MC_BIND, CMD.FN_OPERATION_V2, CMD.FN_CLOSE_CHECK_V2]);
    const entry = emulator.archive.find((d) => d.number === doc.number);
    expect(entry?.lines).toEqual([
      { name: milk.name, amount: 8_990, markingCode: MILK_CODE, industry: PERMIT },
      { name: bread.name, amount: 5_500, markingCode: null, industry: null },
    ]);

    // In a correction receipt too.
    await kkt.receipt({ ...sale([{ ...bread, industry: { ...PERMIT, number: '7' } }], [{ type: 'cash', amount: 5_500 }]), correction: { type: 'self', baseDate: CORRECTED_AT, baseNumber: '' } });
    expect(emulator.archive.at(-1)).toMatchObject({ kind: 'correction', lines: [{ industry: { ...PERMIT, number: '7' } }] });
  });

  it('refused before anything is sent: a correction by instruction without its number, a 1263 date not DD.MM.YYYY', async () => {
    const { emulator, kkt } = await overPty({ shiftOpen: true });
    const docs = emulator.lastDocumentNumber;
    const sent = emulator.requests.length;
    const noNumber = kkt.receipt({ ...breadSale(), correction: { type: 'instruction', baseDate: CORRECTED_AT, baseNumber: ' ' } });
    await expect(noNumber).rejects.toMatchObject({ name: 'FiscalError', code: 'bad_data' });
    const badDate = kkt.receipt(sale([{ ...bread, industry: { ...PERMIT, date: '2023-11-21' } }], [{ type: 'cash', amount: 5_500 }]));
    await expect(badDate).rejects.toMatchObject({ name: 'FiscalError', code: 'bad_data' });
    const noDay = kkt.receipt(sale([{ ...bread, industry: { ...PERMIT, date: '31.02.2024' } }], [{ type: 'cash', amount: 5_500 }]));
    await expect(noDay).rejects.toMatchObject({ code: 'bad_data' });
    expect(emulator.requests.length).toBe(sent);
    expect(emulator.lastDocumentNumber).toBe(docs);
    await expect(kkt.receipt(breadSale())).resolves.toMatchObject({ number: docs + 1 });
  });

  it('the emulator refuses what a ФН would, sent as raw frames: 1173 = 1 without 1179 at FF45, a malformed 1263 at FF4D (bad_data)', async () => {
    const emulator = new ShtrihEmulator({ shiftOpen: true });
    const pty = await PtyPair.start();
    cleanups.push(() => pty.dispose());
    const served = await serveSerial(emulator, pty.device, 115_200);
    cleanups.push(() => served.stop());
    const conn = new DeviceConnection(() => new SerialTransport({ path: pty.till, baudRate: 115_200 }), { minDelayMs: 50, maxDelayMs: 200 });
    cleanups.push(() => conn.stop());
    conn.start();
    await conn.waitConnected(3_000);
    const link = new ShtrihLink(conn, { byteTimeoutMs: 100, answerTimeoutMs: 1_000, retries: 2 });
    cleanups.push(() => link.dispose());
    const send = async (cmd: number, data: number[]): Promise<number> => (await link.exchange(cmd, data, 'once')).error;
    const line = operationV2Request(1, { type: 1, qtyMillionths: 1_000_000, price: 5_500, amount: 5_500, taxByte: 0x02, department: 1, paymentMethod: 4, subject: 1, name: 'Хлеб' });
    const close = closeV2Request(30, { payments: [5_500], taxSystemBit: 1 });
    const docs = emulator.lastDocumentNumber;

    // Opened as a correction; 1173 = 1 (instruction) and a 1174 without 1179.
    expect(await send(CMD.OPEN_CHECK, openCheckRequest(1, 0x80))).toBe(0);
    expect(emulator.openCheck).toMatchObject({ kind: 'sale', correction: true });
    const noNumber = [...tlv(1173, [1]), ...tlv(1174, tlv(1178, [0x80, 0x81, 0xa3, 0x69]))];
    expect(await send(CMD.FN_WRITE_TLV, writeTlvRequest(30, noNumber))).toBe(0);
    expect(await send(CMD.FN_OPERATION_V2, line)).toBe(0);
    const refused = await send(CMD.FN_CLOSE_CHECK_V2, close);
    expect(refused).toBe(0x09);
    expect(toFiscalError(refused, CMD.FN_CLOSE_CHECK_V2)).toMatchObject({ name: 'FiscalError', code: 'bad_data', deviceCode: 0x09 });
    expect(emulator.lastDocumentNumber).toBe(docs);
    // The same check with the number given closes as a correction.
    const basis = correctionTlv({ type: 1, day: { year: 2026, month: 3, day: 1 }, baseNumber: '12-34/567' });
    expect(await send(CMD.FN_WRITE_TLV, writeTlvRequest(30, basis))).toBe(0);
    expect(await send(CMD.FN_CLOSE_CHECK_V2, close)).toBe(0);
    expect(emulator.archive.at(-1)).toMatchObject({ kind: 'correction', total: 5_500, correction: { type: 'instruction', baseDate: '2026-03-01', baseNumber: '12-34/567' } });

    // 1263 must be DD.MM.YYYY: the requisite is refused, the line stays without it.
    expect(await send(CMD.FN_OPERATION_V2, line)).toBe(0);
    const badDate = await send(CMD.FN_OPERATION_TLV, writeTlvRequest(1, industryTlv({ ...PERMIT, date: '2023-11-21' })));
    expect(toFiscalError(badDate, CMD.FN_OPERATION_TLV)).toMatchObject({ code: 'bad_data' });
    expect(emulator.openCheck?.industry).toEqual([null]);
    expect(await send(CMD.FN_OPERATION_TLV, writeTlvRequest(1, industryTlv(PERMIT)))).toBe(0);
    expect(emulator.openCheck?.industry).toEqual([PERMIT]);
    expect(await send(CMD.CANCEL_CHECK, pw(1))).toBe(0);
    // An 8D while a check is open, or of a purchase, is refused.
    expect(await send(CMD.OPEN_CHECK, openCheckRequest(1, 0x82))).toBe(0);
    expect(await send(CMD.OPEN_CHECK, openCheckRequest(1, 0))).toBe(0x4a);
    expect(await send(CMD.CANCEL_CHECK, pw(1))).toBe(0);
    expect(await send(CMD.OPEN_CHECK, openCheckRequest(1, 0x81))).toBe(0x37);
  });
});
