import { decodeText } from '../../escpos/codepage.js';
import type { IndustryRequisite } from '../../fiscal/registrar.js';
import { isoDay, parseRequisiteDate } from '../../fiscal/requisites.js';
import { fnDate, fnDateTime, fromText1251, le, readLe, toWall } from '../../fiscal/shtrih/bytes.js';
import { CMD, CORRECTION_CHECK, FN_DOC, MONEY_REG, OP_REG } from '../../fiscal/shtrih/commands.js';
import { rowForTaxByte, type ShtrihModelFamily } from '../../fiscal/shtrih/vat.js';
import { FiscalMemory, type ArchiveEntry, type ArchivedCorrection, type CheckLine } from './shtrih-fn.js';

export interface Answer {
  error: number;
  data: number[];
}

const ok = (data: number[] = []): Answer => ({ error: 0, data });
const fail = (error: number): Answer => ({ error, data: [] });

/** no paper while idle (1) or while printing (2), paper back and waiting for B0 (3). */
export type PaperState = 'ok' | 'out_passive' | 'out_active' | 'waiting_continue';

/** Commands that only read: allowed in any paper state, never refused as "printing". */
const QUERIES = new Set<number>([
  CMD.SHORT_STATUS,
  CMD.FULL_STATUS,
  CMD.MONEY_REGISTER,
  CMD.OPERATION_REGISTER,
  CMD.FN_STATUS,
  CMD.FN_EXPIRY,
  CMD.FN_FIND_DOCUMENT,
  CMD.FN_OFD_STATUS,
  CMD.FN_UNCONFIRMED_COUNT,
  CMD.FN_SHIFT_PARAMS,
]);

/** Only the system administrator may run these (the operator's password is refused with 4F). */
const ADMIN_ONLY = new Set<number>([CMD.Z_REPORT, CMD.OPEN_SHIFT, CMD.FN_FIND_DOCUMENT, CMD.FN_CLOSE_CHECK_V2]);

/** Commands that write a fiscal document (or start one): refused when the ФН cannot take documents. */
const FISCAL = new Set<number>([CMD.OPEN_SHIFT, CMD.Z_REPORT, CMD.OPEN_CHECK, CMD.FN_OPERATION_V2, CMD.FN_CLOSE_CHECK_V2]);

/**
 * The ФН's refusal of a requisite it cannot take: a correction by instruction without its number,
 * a 1260 whose 1263 is not a DD.MM.YYYY day, a correction without 1173/1174. Real firmware may
 * answer with a more specific ФН-M code; which one is UNVERIFIED, so the emulator uses 09
 * ("wrong parameter value for the fiscal storage", bad_data in the driver's table).
 */
const FN_BAD_REQUISITE = 0x09;

export interface DeviceOptions {
  cashierPassword?: number;
  adminPassword?: number;
  family?: ShtrihModelFamily;
  tzOffsetMin?: number;
  /** What a sale in a closed shift answers: 0x3D (ФН firmware) or 0x73 ("not in this mode", some firmware). */
  shiftClosedError?: 0x3d | 0x73;
  /** The online marking check (ОИСМ): unreachable by default. */
  markingOnline?: 'offline' | 'ok' | 'rejected';
}

/**
 * A Shtrih-M registrar's command set over a FiscalMemory. Modes follow DEVICES.md §5; the checks
 * a real registrar makes are kept to the ones the till can trip (passwords, modes, paper, ФН life).
 */
export class ShtrihDevice {
  paper: PaperState = 'ok';
  /** Commands still to refuse with 50 ("printing") — the long-printing fault. */
  printingFor = 0;
  /** The FF46 line (1-based, within a check) on which the paper runs out; 0 = never. */
  paperOutAtLine = 0;
  fnExpired = false;
  fnFull = false;
  private readonly tz: number;

  constructor(
    readonly fn: FiscalMemory,
    private readonly opts: DeviceOptions = {},
  ) {
    this.tz = opts.tzOffsetMin ?? 180;
  }

  get cashier(): number {
    return this.opts.cashierPassword ?? 1;
  }

  get admin(): number {
    return this.opts.adminPassword ?? 30;
  }

  /** Mode low nibble (+ check kind in the high nibble). */
  get modeByte(): number {
    if (this.fn.check) return 0x08 | (this.fn.check.kind === 'return' ? 0x20 : 0x00);
    if (!this.fn.shift) return 4;
    return this.fn.shiftExpired() ? 3 : 2;
  }

  get submode(): number {
    if (this.paper === 'out_passive') return 1;
    if (this.paper === 'out_active') return 2;
    if (this.paper === 'waiting_continue') return 3;
    return this.printingFor > 0 ? 5 : 0;
  }

  /** Paper back in: after running out mid-print the registrar waits for B0. */
  loadPaper(): void {
    this.paper = this.paper === 'out_active' ? 'waiting_continue' : 'ok';
  }

  execute(cmd: number, data: Uint8Array): Answer {
    const password = readLe(data, 0, 4);
    if (password === null) return fail(0x33);
    if (password !== this.admin && (password !== this.cashier || ADMIN_ONLY.has(cmd))) return fail(0x4f);
    const args = data.subarray(4);
    if (!QUERIES.has(cmd)) {
      if (this.printingFor > 0) {
        this.printingFor--;
        return fail(0x50);
      }
      if (this.paper === 'out_passive' || this.paper === 'out_active') return fail(0x6b);
      if (this.paper === 'waiting_continue' && cmd !== CMD.CONTINUE_PRINTING) return fail(0x58);
    }
    if (FISCAL.has(cmd)) {
      const refusal = this.fnRefusal(cmd);
      if (refusal) return fail(refusal);
    }
    return this.dispatch(cmd, args);
  }

  /** ФН life first (expired, full, ОФД overdue), then the shift clock. */
  private fnRefusal(cmd: number): number {
    if (this.fnExpired || this.fn.now >= this.fn.expiresAt) return 0x05;
    if (this.fnFull) return 0x06;
    const oldest = this.fn.unsent[0];
    if (oldest && this.fn.now - oldest.at >= 30 * 24 * 3600_000 && cmd !== CMD.Z_REPORT) return 0x15;
    if (this.fn.shiftExpired() && cmd !== CMD.Z_REPORT) return 0x4e;
    return 0;
  }

  private dispatch(cmd: number, a: Uint8Array): Answer {
    switch (cmd) {
      case CMD.SHORT_STATUS:
        return ok([1, 0, 0, this.modeByte, this.submode, 0, 0x9a, 0x8c, 0, 0, 0, 0, 0, 0]);
      case CMD.FULL_STATUS:
        return ok(this.fullStatus());
      case CMD.MONEY_REGISTER:
        return ok([1, ...le(this.moneyRegister(a[0] ?? 0), 6)]);
      case CMD.OPERATION_REGISTER:
        return ok([1, ...le(this.operationRegister(a[0] ?? 0), 2)]);
      case CMD.OPEN_SHIFT:
        if (this.fn.shift) return fail(0x73);
        this.fn.openShift();
        return ok();
      case CMD.Z_REPORT:
        if (!this.fn.shift) return fail(0x73);
        if (this.fn.check) return fail(0x4a);
        this.fn.closeShift();
        return ok([1]);
      case CMD.X_REPORT:
        if (!this.fn.shift) return fail(0x73);
        return ok([1]);
      case CMD.CASH_IN:
      case CMD.CASH_OUT:
        return this.cashMove(cmd, a);
      case CMD.OPEN_CHECK:
        return this.openCheck(a);
      case CMD.CANCEL_CHECK:
        if (!this.fn.check) return fail(0x55);
        this.fn.check = null;
        return ok([1]);
      case CMD.CONTINUE_PRINTING:
        if (this.paper === 'waiting_continue') this.paper = 'ok';
        return ok([1]);
      case CMD.FN_STATUS:
        return ok(this.fnStatus());
      case CMD.FN_EXPIRY:
        return ok([...fnDate(this.fnExpired ? this.fn.now - 24 * 3600_000 : this.fn.expiresAt, this.tz), 29, 1]);
      case CMD.FN_FIND_DOCUMENT:
        return this.findDocument(readLe(a, 0, 4) ?? 0);
      case CMD.FN_OFD_STATUS: {
        const first = this.fn.unsent[0];
        return ok([first ? 1 : 0, 0, ...le(this.fn.unsent.length, 2), ...le(first?.number ?? 0, 4), ...(first ? fnDateTime(first.at, this.tz) : [0, 0, 0, 0, 0])]);
      }
      case CMD.FN_UNCONFIRMED_COUNT:
        return ok(le(this.fn.unsent.length, 2));
      case CMD.FN_SHIFT_PARAMS:
        return ok([this.fn.shift ? 1 : 0, ...le(this.fn.shift?.number ?? this.fn.lastShiftNumber, 2), ...le((this.fn.shift?.receipts ?? 0) + 1, 2)]);
      case CMD.FN_WRITE_TLV:
        return this.writeTlv(a);
      case CMD.FN_OPERATION_V2:
        return this.operation(a);
      case CMD.FN_OPERATION_TLV:
        return this.operationTlv(a);
      case CMD.FN_CLOSE_CHECK_V2:
        return this.close(a);
      case CMD.MC_CHECK:
        return this.checkCode(a);
      case CMD.MC_ACCEPT:
        return this.acceptCode(a);
      case CMD.MC_BIND:
        return this.bindCode(a);
      default:
        return fail(0x37);
    }
  }

  private fullStatus(): number[] {
    const out = new Array<number>(48).fill(0);
    const w = toWall(this.fn.now, this.tz);
    out[0] = 1;
    out[13] = this.modeByte;
    out[14] = this.submode;
    out.splice(23, 6, w.day, w.month, w.year % 100, w.hour, w.minute, w.second);
    out.splice(34, 2, ...le(this.fn.lastShiftNumber, 2));
    return out;
  }

  private fnStatus(): number[] {
    const fnNumber = Array.from('9999078900012345', (c) => c.charCodeAt(0));
    const oldest = this.fn.unsent[0];
    const ofdLate = oldest !== undefined && this.fn.now - oldest.at >= 30 * 24 * 3600_000;
    const warnings = (this.fnFull ? 0x04 : 0) | (ofdLate ? 0x08 : 0);
    // FF01's open-document codes: 04 receipt, 14 correction receipt (pyshtrih handle_fs_current_document).
    const currentDoc = this.fn.check ? (this.fn.check.correction ? 0x14 : 0x04) : 0;
    return [0x03, currentDoc, 0, this.fn.shift ? 1 : 0, warnings, ...fnDateTime(this.fn.now, this.tz), ...fnNumber, ...le(this.fn.lastDocumentNumber, 4)];
  }

  private moneyRegister(reg: number): number {
    const r = this.fn.registers;
    if (reg >= 0x79 && reg < 0x79 + 64) {
      const dept = Math.floor((reg - 0x79) / 4) + 1;
      const which = (reg - 0x79) % 4;
      if (which === 0) return r.salesByDept.get(dept) ?? 0;
      if (which === 2) return r.returnsByDept.get(dept) ?? 0;
      return 0;
    }
    switch (reg) {
      case MONEY_REG.CASH_SALES:
        return r.cashSales;
      case MONEY_REG.CASH_RETURNS:
        return r.cashReturns;
      case MONEY_REG.CARD_SALES:
        return r.cardSales;
      case MONEY_REG.CARD_RETURNS:
        return r.cardReturns;
      case MONEY_REG.CASH_IN:
        return r.cashIn;
      case MONEY_REG.CASH_OUT:
        return r.cashOut;
      default:
        return 0;
    }
  }

  private operationRegister(reg: number): number {
    if (reg === OP_REG.SALES_COUNT) return this.fn.registers.salesCount;
    if (reg === OP_REG.RETURNS_COUNT) return this.fn.registers.returnsCount;
    return 0;
  }

  private cashMove(cmd: number, a: Uint8Array): Answer {
    const amount = readLe(a, 0, 5);
    if (amount === null) return fail(0x33);
    if (this.fn.check) return fail(0x4a);
    if (!this.fn.shift) return fail(this.opts.shiftClosedError ?? 0x3d);
    if (this.fn.shiftExpired()) return fail(0x4e);
    if (cmd === CMD.CASH_IN) this.fn.registers.cashIn += amount;
    else this.fn.registers.cashOut += amount;
    return ok([1, ...le(this.fn.archive.length & 0xffff, 2)]);
  }

  private findDocument(n: number): Answer {
    const d = this.fn.find(n);
    if (!d) return fail(0x08);
    const type = documentType(d);
    const head = [type, this.fn.unsent.some((u) => u.number === n) ? 0 : 1, ...fnDateTime(d.at, this.tz), ...le(d.number, 4), ...le(Number(d.fiscalSign), 4)];
    if (d.kind === 'sale' || d.kind === 'return' || d.kind === 'correction') return ok([...head, d.operation === 'return' ? 2 : 1, ...le(d.total ?? 0, 5)]);
    if (d.kind === 'open_shift' || d.kind === 'close_shift') return ok([...head, ...le(d.shiftNumber, 2)]);
    return ok(head);
  }

  private writeTlv(a: Uint8Array): Answer {
    if (!this.fn.check) return ok(); // outside a check the TLV goes to the next document: accepted, unused here
    for (let at = 0; at + 4 <= a.length; ) {
      const tag = readLe(a, at, 2) ?? 0;
      const len = readLe(a, at + 2, 2) ?? 0;
      if (at + 4 + len > a.length) return fail(0x10);
      this.fn.check.tags.set(tag, a.slice(at + 4, at + 4 + len));
      at += 4 + len;
    }
    return ok();
  }

  private operation(a: Uint8Array): Answer {
    if (a.length < 26) return fail(0x33);
    const type = a[0] ?? 0;
    if (type !== 1 && type !== 2) return fail(0x37); // purchases (3/4) are not emulated
    if (!this.fn.shift) return fail(this.opts.shiftClosedError ?? 0x3d);
    const kind = type === 1 ? 'sale' : 'return';
    if (this.fn.check && this.fn.check.kind !== kind) return fail(0x49);
    const qty = readLe(a, 1, 6) ?? 0;
    const price = readLe(a, 7, 5) ?? 0;
    const given = readLe(a, 12, 5) ?? 0;
    const taxRow = rowForTaxByte(a[22] ?? 0, this.opts.family);
    if (taxRow === null) return fail(0x33);
    const computed = Math.round((price * qty) / 1_000_000);
    const amount = given === 0xff_ffff_ffff ? computed : given;
    // The registrar accepts a given amount only within ±1 kopeck of price × quantity.
    if (Math.abs(amount - computed) > 1) return fail(0x33);
    const lineNo = (this.fn.check?.lines.length ?? 0) + 1;
    if (this.paperOutAtLine > 0 && lineNo >= this.paperOutAtLine) {
      this.paperOutAtLine = 0;
      this.paper = 'out_active';
      // The paper ran out while printing this line: the check is open (as on a real registrar, the
      // first line already opened it), the line is not taken.
      this.fn.check ??= { kind, correction: false, lines: [], tags: new Map() };
      return fail(0x6b);
    }
    const line: CheckLine = {
      type,
      qtyMillionths: qty,
      price,
      amount,
      taxRow,
      department: a[23] ?? 1,
      paymentMethod: a[24] ?? 0,
      subject: a[25] ?? 0,
      name: fromText1251(a.subarray(26)),
      measure: null,
      markingCode: null,
      industry: null,
    };
    this.fn.check ??= { kind, correction: false, lines: [], tags: new Map() };
    this.fn.check.lines.push(line);
    return ok();
  }

  /** 8D: 0 sale, 2 return; 0x80 | those a correction receipt. Purchases (1, 3) are not emulated. */
  private openCheck(a: Uint8Array): Answer {
    const type = a[0];
    if (type === undefined) return fail(0x33);
    const base = type & ~CORRECTION_CHECK;
    if (base === 1 || base === 3) return fail(0x37);
    if (base !== 0 && base !== 2) return fail(0x33);
    if (this.fn.check) return fail(0x4a);
    if (!this.fn.shift) return fail(this.opts.shiftClosedError ?? 0x3d);
    this.fn.check = { kind: base === 0 ? 'sale' : 'return', correction: (type & CORRECTION_CHECK) !== 0, lines: [], tags: new Map() };
    return ok([1]);
  }

  /** FF4D: TLVs for the last line: 2108 (measure) and 1260 (industry requisite) are kept. */
  private operationTlv(a: Uint8Array): Answer {
    const last = this.fn.check?.lines.at(-1);
    if (!last) return fail(0x55);
    const tags = readTlvs(a);
    if (tags === null) return fail(0x10);
    for (const [tag, value] of tags) {
      if (tag === 2108) last.measure = value[0] ?? null;
      if (tag === 1260) {
        const industry = readIndustry(value);
        if (industry === null) return fail(FN_BAD_REQUISITE);
        last.industry = industry;
      }
    }
    return ok();
  }

  private close(a: Uint8Array): Answer {
    if (a.length < 16 * 5 + 1 + 30 + 1) return fail(0x33);
    const payments: number[] = [];
    for (let i = 0; i < 16; i++) payments.push(readLe(a, i * 5, 5) ?? 0);
    let correction: ArchivedCorrection | null = null;
    if (this.fn.check?.correction) {
      correction = readCorrection(this.fn.check.tags);
      if (correction === null) return fail(FN_BAD_REQUISITE);
    }
    const result = this.fn.closeCheck(payments, correction);
    if ('error' in result) return fail(result.error);
    const { entry, change } = result;
    return ok([...le(change, 5), ...le(entry.number, 4), ...le(Number(entry.fiscalSign), 4), ...fnDateTime(entry.at, this.tz)]);
  }

  private checkCode(a: Uint8Array): Answer {
    const status = a[0] ?? 0;
    const codeLen = a[2] ?? 0;
    if (status < 1 || status > 4 || codeLen === 0 || 4 + codeLen + (a[3] ?? 0) > a.length) return fail(0x09);
    const code = String.fromCharCode(...a.subarray(4, 4 + codeLen));
    // Well-formed for this emulator: GTIN (01 + 14 digits), serial (21 …), and a GS-separated tail.
    const gs = code.indexOf('\u001d');
    const valid = /^01\d{14}21[!-~]{1,20}$/.test(gs < 0 ? '' : code.slice(0, gs));
    this.fn.lastChecked = { code, status, valid };
    const online = this.opts.markingOnline ?? 'offline';
    const server = !valid || online === 'offline' ? [0] : [2, online === 'ok' ? 0x0f : 0x07, 0];
    return ok([valid ? 0x03 : 0x00, valid ? 0 : 3, valid ? 5 : 0, ...server]);
  }

  private acceptCode(a: Uint8Array): Answer {
    const checked = this.fn.lastChecked;
    if (!checked) return fail(0x02);
    this.fn.lastChecked = null;
    if (a[0] === 1) {
      if (!checked.valid) return fail(0x09);
      this.fn.acceptedCodes.set(checked.code, checked.status);
    }
    return ok([checked.valid ? 0x03 : 0x00]);
  }

  private bindCode(a: Uint8Array): Answer {
    const len = a[0] ?? 0;
    const code = String.fromCharCode(...a.subarray(1, 1 + len));
    const last = this.fn.check?.lines.at(-1);
    if (!last) return fail(0x55);
    if (!this.fn.acceptedCodes.has(code)) return fail(0x09);
    last.markingCode = code;
    return ok([...le(0, 2), 5]);
  }
}

function documentType(d: ArchiveEntry): number {
  switch (d.kind) {
    case 'registration':
      return FN_DOC.REGISTRATION;
    case 'open_shift':
      return FN_DOC.OPEN_SHIFT;
    case 'close_shift':
      return FN_DOC.CLOSE_SHIFT;
    case 'sale':
    case 'return':
      return FN_DOC.RECEIPT;
    case 'correction':
      return FN_DOC.CORRECTION;
  }
}

/** TLVs one after another (tag, length 2 bytes LE each); null when one runs past the end. */
function readTlvs(a: Uint8Array): [number, Uint8Array][] | null {
  const out: [number, Uint8Array][] = [];
  for (let at = 0; at < a.length; ) {
    const tag = readLe(a, at, 2);
    const len = readLe(a, at + 2, 2);
    if (tag === null || len === null || at + 4 + len > a.length) return null;
    out.push([tag, a.slice(at + 4, at + 4 + len)]);
    at += 4 + len;
  }
  return out;
}

const cp866 = (b: Uint8Array): string => decodeText(b, 'cp866');

/** Tag 1260's STLV: all of 1262-1265, 1263 a real DD.MM.YYYY day. */
function readIndustry(value: Uint8Array): IndustryRequisite | null {
  const inner = readTlvs(value);
  if (inner === null) return null;
  const get = (tag: number): string | null => {
    const v = inner.find(([t]) => t === tag)?.[1];
    return v === undefined ? null : cp866(v);
  };
  const [foiv, date, number, val] = [get(1262), get(1263), get(1264), get(1265)];
  if (foiv === null || date === null || number === null || val === null) return null;
  if (foiv.length !== 3 || parseRequisiteDate(date) === null || number === '' || val === '') return null;
  return { foiv, date, number, value: val };
}

/** 1173 and 1174 (1178 UnixTime of the day, 1179 the instruction number, required by instruction). */
function readCorrection(tags: ReadonlyMap<number, Uint8Array>): ArchivedCorrection | null {
  const type = tags.get(1173);
  const basis = tags.get(1174);
  if (type?.length !== 1 || (type[0] !== 0 && type[0] !== 1) || basis === undefined) return null;
  const inner = readTlvs(basis);
  const date = inner?.find(([t]) => t === 1178)?.[1];
  if (!inner || date?.length !== 4) return null;
  const number = inner.find(([t]) => t === 1179)?.[1];
  const baseNumber = number === undefined ? '' : cp866(number);
  if (type[0] === 1 && baseNumber.trim() === '') return null;
  const day = new Date((readLe(date, 0, 4) ?? 0) * 1000);
  return {
    type: type[0] === 1 ? 'instruction' : 'self',
    baseDate: isoDay({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() }),
    baseNumber,
  };
}
