import type { DeviceConnection } from '../../common/connection.js';
import {
  FiscalError,
  type ArchivedDocument,
  type FiscalDocument,
  type FiscalLine,
  type FiscalReceipt,
  type FiscalRegistrar,
  type FiscalStatus,
  type FiscalVat,
  type MarkingCheck,
  type MeasureUnit,
  type ShiftTotals,
} from '../registrar.js';
import { checkRequisites, localDay, TAG_1173 } from '../requisites.js';
import { plannedStatus, TAG_1054, TAG_1212, TAG_1214, TAG_2108, TAX_SYSTEM_BIT } from '../tags.js';
import {
  CHECK_TYPE,
  CMD,
  CORRECTION_CHECK,
  FN_DOC,
  MONEY_REG,
  OP_REG,
  PAYMENT_SLOT,
  cashMoveRequest,
  closeV2Request,
  correctionTlv,
  decodeCloseV2,
  decodeFnExpiry,
  decodeFnStatus,
  decodeFoundDocument,
  decodeMarkingCheck,
  decodeMoneyRegister,
  decodeOfdStatus,
  decodeOperationRegister,
  decodeShiftParams,
  decodeShortStatus,
  deptReturnsRegister,
  deptSalesRegister,
  findDocumentRequest,
  fvln,
  industryTlv,
  markingAcceptRequest,
  markingBindRequest,
  markingCheckRequest,
  openCheckRequest,
  operationV2Request,
  pw,
  registerRequest,
  tlv,
  tlvString,
  writeTlvRequest,
  type FoundDocument,
  type MarkingCheckAnswer,
  type ShortStatus,
} from './commands.js';
import { errorInfo, hex, resolveByMode, toFiscalError } from './errors.js';
import { ShtrihLink, type Repeat } from './link.js';
import { buildStatus, registrarMode, registrarSubmode } from './status.js';
import { taxByte, type ShtrihModelFamily } from './vat.js';

export interface ShtrihOptions {
  /** Operator password for sales (default 1). */
  cashierPassword?: number;
  /** System administrator password for reports and ФН queries (default 30). */
  adminPassword?: number;
  byteTimeoutMs?: number;
  answerTimeoutMs?: number;
  /** Z/X reports and shift opening print long documents (default 30 s). */
  reportTimeoutMs?: number;
  retries?: number;
  /** How long to wait out "still printing" (error 50) before failing with 'busy' (default 20 s). */
  printingWaitMs?: number;
  /** Department (section) for every line (default 1); shift totals read its registers. */
  department?: number;
  family?: ShtrihModelFamily;
  /** Table 6 rows that differ from the 2026 default (see vat.ts). */
  taxRows?: Partial<Record<FiscalVat, number>>;
  /** The registrar clock's offset from UTC in minutes (default 180, Moscow). */
  tzOffsetMin?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A Shtrih-M registrar with a ФН over serial (8N1) or TCP. Every method takes the line for its
 * whole conversation. Repeating: reads are repeated freely; commands that make a document or move
 * money are never sent twice after they may have run — a lost answer is FiscalError('timeout') and
 * the caller's recovery reads `status().fn.lastDocumentNumber` and `findDocument()`.
 */
export class ShtrihRegistrar implements FiscalRegistrar {
  private readonly link: ShtrihLink;
  private readonly cashier: number;
  private readonly admin: number;
  private readonly tz: number;
  private readonly dept: number;
  /** Codes the ФН checked and we accepted (FF61 + FF69), with the planned status they were checked for. */
  private readonly accepted = new Map<string, number>();

  constructor(
    conn: DeviceConnection,
    private readonly opts: ShtrihOptions = {},
  ) {
    this.cashier = opts.cashierPassword ?? 1;
    this.admin = opts.adminPassword ?? 30;
    this.tz = opts.tzOffsetMin ?? 180;
    this.dept = opts.department ?? 1;
    this.link = new ShtrihLink(conn, {
      byteTimeoutMs: opts.byteTimeoutMs ?? 150,
      answerTimeoutMs: opts.answerTimeoutMs ?? 5_000,
      retries: opts.retries ?? 3,
    });
  }

  dispose(): void {
    this.link.dispose();
  }

  status(): Promise<FiscalStatus> {
    return this.link.exclusive(() => this.readStatus());
  }

  openShift(_cashier: { name: string; inn?: string }): Promise<FiscalDocument> {
    // The cashier printed on the shift report comes from the registrar's table 2; ФФД 1.2 cashier
    // tags for the report would go through FF41/FF0C/FF42, which this driver does not use yet.
    return this.link.exclusive(async () => {
      await this.run(CMD.OPEN_SHIFT, pw(this.admin), 'once', this.reportTimeout);
      return this.lastDocument();
    });
  }

  closeShift(_cashier: { name: string; inn?: string }): Promise<FiscalDocument & { totals: ShiftTotals }> {
    return this.link.exclusive(async () => {
      // The registers reset with the Z report: read them first (nothing can run in between).
      const totals = await this.readTotals();
      await this.run(CMD.Z_REPORT, pw(this.admin), 'once', this.reportTimeout);
      return { ...(await this.lastDocument()), totals };
    });
  }

  xReport(): Promise<ShiftTotals> {
    return this.link.exclusive(async () => {
      const totals = await this.readTotals();
      await this.run(CMD.X_REPORT, pw(this.admin), 'once', this.reportTimeout);
      return totals;
    });
  }

  receipt(r: FiscalReceipt): Promise<FiscalDocument> {
    return this.link.exclusive(() => this.fiscalize(r));
  }

  cashIn(amount: number): Promise<void> {
    return this.link.exclusive(async () => {
      await this.run(CMD.CASH_IN, cashMoveRequest(this.cashier, amount), 'once');
    });
  }

  cashOut(amount: number): Promise<void> {
    return this.link.exclusive(async () => {
      await this.run(CMD.CASH_OUT, cashMoveRequest(this.cashier, amount), 'once');
    });
  }

  cancelDocument(): Promise<void> {
    return this.link.exclusive(() => this.cancel());
  }

  continuePrinting(): Promise<void> {
    return this.link.exclusive(async () => {
      await this.run(CMD.CONTINUE_PRINTING, pw(this.cashier), 'safe');
    });
  }

  findDocument(number: number): Promise<ArchivedDocument | null> {
    return this.link.exclusive(async () => {
      const found = await this.find(number);
      return found ? archived(found) : null;
    });
  }

  checkMarkingCode(code: string, line: { qty: number; unit: MeasureUnit }): Promise<MarkingCheck> {
    return this.link.exclusive(() => this.checkCode(code, 'sale', line));
  }

  private get reportTimeout(): number {
    return this.opts.reportTimeoutMs ?? 30_000;
  }

  /**
   * One command; the answer's data, or its error as a FiscalError. "Still printing" (50) means the
   * command did not run: it is sent again after a pause, up to `printingWaitMs`.
   */
  private async run(cmd: number, data: number[], repeat: Repeat, timeoutMs?: number): Promise<Uint8Array> {
    const waitUntil = Date.now() + (this.opts.printingWaitMs ?? 20_000);
    for (let pause = 25; ; pause = Math.min(pause * 2, 1_000)) {
      const answer = await this.link.exchange(cmd, data, repeat, timeoutMs);
      if (answer.error === 0) return answer.data;
      if (answer.error === 0x50 && Date.now() + pause < waitUntil) {
        await sleep(pause);
        continue;
      }
      let info = errorInfo(answer.error);
      if (info.byMode) {
        const s = await this.shortStatus().catch(() => null);
        if (s) info = resolveByMode(info, registrarMode(s.mode), cmd === CMD.OPEN_SHIFT);
      }
      throw toFiscalError(answer.error, cmd, info);
    }
  }

  private async decoded<T>(cmd: number, data: number[], decode: (d: Uint8Array) => T | null, repeat: Repeat = 'safe', timeoutMs?: number): Promise<T> {
    const d = await this.run(cmd, data, repeat, timeoutMs);
    const v = decode(d);
    if (v === null) throw new FiscalError('protocol', `the answer to command ${hex(cmd)} is too short (${d.length} bytes)`);
    return v;
  }

  private shortStatus(): Promise<ShortStatus> {
    return this.decoded(CMD.SHORT_STATUS, pw(this.cashier), decodeShortStatus);
  }

  /** A query the firmware may not know (older ФН firmware): its absence is not a failure of status(). */
  private async optional<T>(cmd: number, decode: (d: Uint8Array) => T | null): Promise<T | null> {
    try {
      return await this.decoded(cmd, pw(this.admin), decode);
    } catch (e) {
      if (e instanceof FiscalError && (e.code === 'unsupported' || e.code === 'bad_data')) return null;
      throw e;
    }
  }

  private async readStatus(): Promise<FiscalStatus> {
    const short = await this.shortStatus();
    const fn = await this.decoded(CMD.FN_STATUS, pw(this.admin), (d) => decodeFnStatus(d, this.tz));
    const expiry = await this.optional(CMD.FN_EXPIRY, (d) => decodeFnExpiry(d, this.tz));
    const ofd = await this.optional(CMD.FN_OFD_STATUS, (d) => decodeOfdStatus(d, this.tz));
    const shift = await this.optional(CMD.FN_SHIFT_PARAMS, decodeShiftParams);
    return buildStatus({ short, fn, expiresAt: expiry?.expiresAt ?? null, ofd, shiftNumber: shift?.shiftNumber ?? 0, now: fn.at ?? Date.now() });
  }

  private async shiftNumber(): Promise<number> {
    return (await this.optional(CMD.FN_SHIFT_PARAMS, decodeShiftParams))?.shiftNumber ?? 0;
  }

  private async find(number: number): Promise<FoundDocument | null> {
    try {
      return await this.decoded(CMD.FN_FIND_DOCUMENT, findDocumentRequest(this.admin, number), (d) => decodeFoundDocument(d, this.tz));
    } catch (e) {
      if (e instanceof FiscalError && e.deviceCode === 0x08) return null; // ФН: no such data
      throw e;
    }
  }

  /** The document the last command made: the ФН's last number, then its archive entry. */
  private async lastDocument(): Promise<FiscalDocument> {
    const fn = await this.decoded(CMD.FN_STATUS, pw(this.admin), (d) => decodeFnStatus(d, this.tz));
    const doc = await this.find(fn.lastDocumentNumber);
    const shiftNumber = doc?.shiftNumber ?? (await this.shiftNumber());
    return { number: fn.lastDocumentNumber, fiscalSign: String(doc?.fiscalSign ?? ''), shiftNumber, at: doc?.at ?? fn.at ?? Date.now() };
  }

  private async readTotals(): Promise<ShiftTotals> {
    const money = (reg: number): Promise<number> => this.decoded(CMD.MONEY_REGISTER, registerRequest(this.admin, reg), decodeMoneyRegister);
    const count = (reg: number): Promise<number> => this.decoded(CMD.OPERATION_REGISTER, registerRequest(this.admin, reg), decodeOperationRegister);
    return {
      sales: { count: await count(OP_REG.SALES_COUNT), total: await money(deptSalesRegister(this.dept)) },
      returns: { count: await count(OP_REG.RETURNS_COUNT), total: await money(deptReturnsRegister(this.dept)) },
      cash: (await money(MONEY_REG.CASH_SALES)) - (await money(MONEY_REG.CASH_RETURNS)),
      card: (await money(MONEY_REG.CARD_SALES)) - (await money(MONEY_REG.CARD_RETURNS)),
      cashIn: await money(MONEY_REG.CASH_IN),
      cashOut: await money(MONEY_REG.CASH_OUT),
    };
  }

  /** Refuse before touching the check when the registrar cannot take a receipt now. */
  private async ensureCanSell(): Promise<void> {
    const s = await this.shortStatus();
    const mode = registrarMode(s.mode);
    const submode = registrarSubmode(s.submode);
    if (mode === 'document_open') throw new FiscalError('document_open', 'a receipt is already open on the registrar: cancel it (recovery) before a new one');
    if (mode === 'shift_closed') throw new FiscalError('shift_not_open', 'the shift is not open');
    if (mode === 'shift_expired') throw new FiscalError('shift_expired', 'the shift is over 24 hours: close it (Z report) and open a new one', true);
    if (submode === 'paper_out') throw new FiscalError('paper_out', 'no receipt paper');
    if (submode === 'waiting_continue') throw new FiscalError('waiting_continue', 'the registrar waits for the continue-printing command');
  }

  /**
   * A receipt: FF46 per line (the first opens the check), FF0C with the receipt's tags after it,
   * FF4D for a line's measure and industry requisite, FF67 for its marking code, FF45 to close.
   * A correction receipt opens the check first with 8D type 0x80 | kind and sends its 1173/1174
   * with the other tags before the lines; the rest is the same (see CHECK_TYPE). Whether every
   * firmware takes 1173/1174 through FF0C in such a check is UNVERIFIED on real firmware.
   */
  private async fiscalize(r: FiscalReceipt): Promise<FiscalDocument> {
    checkRequisites(r);
    await this.ensureCanSell();
    const shiftNumber = await this.shiftNumber();
    let opened = false;
    try {
      if (r.correction !== undefined) {
        await this.run(CMD.OPEN_CHECK, openCheckRequest(this.cashier, CORRECTION_CHECK | CHECK_TYPE[r.kind]), 'once');
        opened = true;
        await this.receiptTags(r);
      }
      for (const [i, line] of r.lines.entries()) {
        if (line.markingCode !== undefined) await this.ensureAccepted(line.markingCode, r.kind, line);
        await this.run(CMD.FN_OPERATION_V2, this.operation(r.kind, line), 'once');
        opened = true;
        if (i === 0 && r.correction === undefined) await this.receiptTags(r);
        if (line.unit !== 'pcs') await this.measure(line.unit);
        // One STLV for the whole of tag 1260. The vendor's own test (javapos PrinterTest
        // printReceiptWithTag1262) sends 1262-1265 one by one instead: UNVERIFIED which form
        // every firmware takes.
        if (line.industry !== undefined) await this.run(CMD.FN_OPERATION_TLV, writeTlvRequest(this.cashier, industryTlv(line.industry)), 'once');
        if (line.markingCode !== undefined) await this.run(CMD.MC_BIND, markingBindRequest(this.cashier, line.markingCode), 'once');
      }
      const closed = await this.decoded(CMD.FN_CLOSE_CHECK_V2, closeV2Request(this.admin, { payments: paymentSlots(r), taxSystemBit: TAX_SYSTEM_BIT[r.taxSystem] }), (d) => decodeCloseV2(d, this.tz), 'once');
      for (const line of r.lines) if (line.markingCode !== undefined) this.accepted.delete(line.markingCode);
      return { number: closed.documentNumber, fiscalSign: String(closed.fiscalSign), shiftNumber, at: closed.at ?? Date.now() };
    } catch (e) {
      // A definite refusal mid-receipt leaves a check open that would block the next one: cancel it.
      // After a lost answer ('timeout') nothing is touched: recovery must see the registrar as it is.
      if (opened && e instanceof FiscalError && !['timeout', 'offline', 'protocol'].includes(e.code)) await this.cancel().catch(() => undefined);
      throw e;
    }
  }

  private operation(kind: FiscalReceipt['kind'], line: FiscalLine): number[] {
    return operationV2Request(this.cashier, {
      type: TAG_1054[kind],
      qtyMillionths: line.qty * 1000,
      price: line.price,
      amount: line.amount,
      taxByte: taxByte(line.vat, { family: this.opts.family, taxRows: this.opts.taxRows }),
      department: this.dept,
      paymentMethod: TAG_1214[line.paymentMethod],
      subject: TAG_1212[line.subject],
      name: line.name,
    });
  }

  /**
   * Tag 2108 for a weighed or measured line (FF4D, a layout from one source): firmware that does
   * not know the command leaves the measure out rather than losing the receipt.
   */
  private async measure(unit: MeasureUnit): Promise<void> {
    try {
      await this.run(CMD.FN_OPERATION_TLV, writeTlvRequest(this.cashier, tlv(2108, [TAG_2108[unit]])), 'once');
    } catch (e) {
      if (!(e instanceof FiscalError && e.code === 'unsupported')) throw e;
    }
  }

  /** Cashier (1021, 1203), the customer's contact (1008) and a correction's 1173/1174, written into the open check. */
  private async receiptTags(r: FiscalReceipt): Promise<void> {
    const tags = [...tlvString(1021, r.cashier.name, 64)];
    if (r.cashier.inn) tags.push(...tlvString(1203, r.cashier.inn, 12));
    if (r.customerContact) tags.push(...tlvString(1008, r.customerContact, 64));
    const c = r.correction;
    // 1178 is the day of the corrected settlement on the registrar's clock.
    if (c) tags.push(...correctionTlv({ type: TAG_1173[c.type], day: localDay(c.baseDate, this.tz), baseNumber: c.baseNumber }));
    await this.run(CMD.FN_WRITE_TLV, writeTlvRequest(this.admin, tags), 'once');
  }

  private async cancel(): Promise<void> {
    try {
      await this.run(CMD.CANCEL_CHECK, pw(this.cashier), 'safe');
    } catch (e) {
      // "Check closed": nothing to cancel (or our first cancel ran and its answer was lost).
      if (e instanceof FiscalError && e.deviceCode === 0x55) return;
      throw e;
    }
  }

  private async ensureAccepted(code: string, kind: FiscalReceipt['kind'], line: FiscalLine): Promise<void> {
    if (this.accepted.get(code) === plannedStatus(kind, line.unit)) return;
    const check = await this.checkCode(code, kind, line);
    if (!check.accepted || check.online?.ok === false) {
      throw new FiscalError('marking_invalid', `the registrar rejected the marking code of "${line.name}"${check.online?.reason ? `: ${check.online.reason}` : ''}`);
    }
  }

  /** FF61 then FF69 (accept when the ФН found the code well-formed and the online check, if any, passed). */
  private async checkCode(code: string, kind: FiscalReceipt['kind'], line: { qty: number; unit: MeasureUnit }): Promise<MarkingCheck> {
    const status = plannedStatus(kind, line.unit);
    const extra = line.unit === 'pcs' ? [] : [...tlv(2108, [TAG_2108[line.unit]]), ...tlv(1023, fvln(line.qty, 3))];
    let answer: MarkingCheckAnswer;
    try {
      answer = await this.decoded(CMD.MC_CHECK, markingCheckRequest(this.cashier, code, status, extra), decodeMarkingCheck);
    } catch (e) {
      if (e instanceof FiscalError && !e.blocking && ['bad_data', 'other'].includes(e.code)) {
        throw new FiscalError('marking_invalid', `the registrar refused the marking code: ${e.message}`, false, e.deviceCode);
      }
      throw e;
    }
    const result = markingResult(answer);
    const accept = result.accepted && result.online?.ok !== false;
    await this.run(CMD.MC_ACCEPT, markingAcceptRequest(this.cashier, accept), 'safe');
    if (accept) this.accepted.set(code, status);
    else this.accepted.delete(code);
    return result;
  }
}

/**
 * The ФН's verdict. Local error 3 (GS1 91/92 missing or malformed) is a code the ФН cannot take;
 * 1/2 (a type it does not check, no key) still let it through to the online check. The online
 * status uses tag 2106's bits: 4 = checked by ОИСМ, 8 = ОИСМ result positive.
 */
export function markingResult(a: MarkingCheckAnswer): MarkingCheck {
  const accepted = a.localError !== 3 && a.localError !== 4 && (a.localError !== 0 || (a.localStatus & 0x02) !== 0);
  if (!a.server) return { accepted, online: null };
  const ok = (a.server.status & 0x0c) === 0x0c && a.server.error === 0;
  return { accepted, online: { ok, reason: ok ? null : `ОИСМ status ${hex(a.server.status)}, error ${hex(a.server.error)}` } };
}

/** FF45 payment slots (index 0 = slot 1). Card goes to slot 2, which the ФН reports as "electronic". */
export function paymentSlots(r: FiscalReceipt): number[] {
  const slots = new Array<number>(16).fill(0);
  for (const p of r.payments) {
    const i = PAYMENT_SLOT[p.type] - 1;
    slots[i] = (slots[i] ?? 0) + p.amount;
  }
  return slots;
}

function archived(f: FoundDocument): ArchivedDocument {
  return { number: f.number, kind: documentKind(f), total: f.total, fiscalSign: String(f.fiscalSign), at: f.at ?? 0 };
}

function documentKind(f: FoundDocument): ArchivedDocument['kind'] {
  switch (f.type) {
    case FN_DOC.RECEIPT:
    case FN_DOC.BSO:
      return f.operation === TAG_1054.sale ? 'sale' : f.operation === TAG_1054.return ? 'return' : 'other';
    case FN_DOC.OPEN_SHIFT:
      return 'open_shift';
    case FN_DOC.CLOSE_SHIFT:
      return 'close_shift';
    case FN_DOC.CORRECTION:
    case FN_DOC.CORRECTION_FF01:
      return 'correction';
    default:
      return 'other';
  }
}
