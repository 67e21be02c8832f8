import type { Json } from '../../fiscal/atol/tasks.js';
import { formatAtolDateTime, roublesToMinor, toRoubles, unitsToThousandths } from '../../fiscal/atol/units.js';
import type { FiscalCorrection, IndustryRequisite } from '../../fiscal/registrar.js';
import { isoDay, parseDottedYmd } from '../../fiscal/requisites.js';
import { fail, MarkingModel, type Outcome, type Refusal } from './atol-marking.js';

const DAY = 24 * 3_600_000;

export type ArchiveKind = 'sale' | 'return' | 'open_shift' | 'close_shift' | 'correction';

/** Tags 1173/1174 as the ФН holds them: the corrected day (1178) as "YYYY-MM-DD". */
export interface ArchivedCorrection {
  type: FiscalCorrection['type'];
  baseDate: string;
  baseNumber: string;
}

/** One item as the ФН holds it, with its industry requisite (tag 1260; date DD.MM.YYYY as printed). */
export interface ArchivedLine {
  name: string;
  amount: number;
  industry: IndustryRequisite | null;
}

/** One document the emulated ФН registered; tests read these to check what really happened. */
export interface ArchiveEntry {
  number: number;
  kind: ArchiveKind;
  /** Receipt (and correction) total in kopecks; null for shift documents. */
  total: number | null;
  fiscalSign: string;
  at: number;
  shiftNumber: number;
  /** Receipts: payments as sent (kopecks) and the change the registrar gave. */
  payments: { type: string; amount: number }[];
  change: number;
  markingCodes: string[];
  /** Receipts and corrections: tag 1054 (a correction of a sale is 'sale'); null for shift documents. */
  operation: 'sale' | 'return' | null;
  /** Correction receipts only. */
  correction: ArchivedCorrection | null;
  /** Receipts and corrections: their items. */
  lines: ArchivedLine[];
}

interface Counter {
  count: number;
  sum: number;
  payments: Record<string, number>;
}

const PAYMENT_TYPES = ['cash', 'electronically', 'prepaid', 'credit', 'other'] as const;
const newCounter = (): Counter => ({ count: 0, sum: 0, payments: Object.fromEntries(PAYMENT_TYPES.map((t) => [t, 0])) });

/** The registrar's own shift counters (what getShiftTotals reports and the Z report resets). */
export class ShiftCounters {
  sell = newCounter();
  sellReturn = newCounter();
  income = { count: 0, sum: 0 };
  outcome = { count: 0, sum: 0 };
  cashDrawer = 0;

  toJson(shiftNumber: number): Json {
    const c = (k: Counter): Json => ({
      count: k.count,
      sum: toRoubles(k.sum),
      payments: Object.fromEntries(Object.entries(k.payments).map(([t, v]) => [t, toRoubles(v)])),
    });
    return {
      shiftTotals: {
        shiftNumber,
        cashDrawer: { sum: toRoubles(this.cashDrawer) },
        income: { count: this.income.count, sum: toRoubles(this.income.sum) },
        outcome: { count: this.outcome.count, sum: toRoubles(this.outcome.sum) },
        receipts: { sell: c(this.sell), sellReturn: c(this.sellReturn), buy: c(newCounter()), buyReturn: c(newCounter()) },
      },
    };
  }
}

/** Faults that belong to the device (the web server's own faults live in AtolWebServerEmulator). */
export class DeviceFaults {
  /** The driver cannot reach the registrar: every task fails with 2 "Нет связи". */
  notConnected = false;
  /** Another program holds the port: 3 "Порт занят". */
  portBusy = false;
  /** A receipt some other program (or a power cut) left open: documents fail with 82 until cancelReceipt. */
  receiptOpen = false;
  /** Once: the next receipt or Z report goes into the ФН, then the paper runs out while printing it. */
  paperOutMidDocument = false;
}

/** getFnDocument's fiscalDocumentType per archived kind (KKTServiceLib FiscalDocumentType, camelCase). */
const FN_DOCUMENT_TYPE: Readonly<Record<ArchiveKind, string>> = { open_shift: 'openShift', close_shift: 'closeShift', correction: 'receiptCorrection', sale: 'receipt', return: 'receipt' };

const RECEIPTS = ['sell', 'sellReturn', 'sellCorrection', 'sellReturnCorrection'];
const PRINTS = new Set([...RECEIPTS, 'openShift', 'closeShift', 'reportX', 'cashIn', 'cashOut', 'continuePrint']);
const FN_DOCS = new Set([...RECEIPTS, 'openShift', 'closeShift']);
const NEEDS_SHIFT = new Set([...RECEIPTS, 'cashIn', 'cashOut']);

/**
 * An ATOL registrar with its ФН, as the JSON tasks see it. Synchronous and deterministic; the web
 * server around it adds time. Its clock is the host's plus `clockOffsetMs` (`advance()` moves it).
 * Receipts and correction receipts (sellCorrection / sellReturnCorrection) land in `archive` with
 * what the ФН would hold: kind, total, 1054, a correction's basis, each item's industry requisite.
 */
export class AtolRegistrarModel {
  readonly faults = new DeviceFaults();
  readonly marking = new MarkingModel();
  clockOffsetMs = 0;
  shift = { open: false, number: 0, openedAt: 0 };
  totals = new ShiftCounters();
  paperPresent = true;
  /** A document is in the ФН but its printout stopped (paper): continuePrint finishes it. */
  notPrinted = false;
  readonly fn = { validTo: Date.now() + 400 * DAY, full: false, lastDocumentNumber: 0, receipts: 0 };
  private readonly docs: ArchiveEntry[] = [];
  /** Documents the ОФД has not confirmed, oldest first (numbers). */
  readonly unsent: number[] = [];

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  advance(ms: number): void {
    this.clockOffsetMs += ms;
  }

  get archive(): readonly ArchiveEntry[] {
    return this.docs;
  }

  shiftState(): 'closed' | 'opened' | 'expired' {
    if (!this.shift.open) return 'closed';
    return this.now() - this.shift.openedAt > DAY ? 'expired' : 'opened';
  }

  /** The ОФД confirms everything sent so far. */
  ofdConfirmAll(): void {
    this.unsent.length = 0;
  }

  /** The ФН is past its validity date. */
  expireFn(): void {
    this.fn.validTo = this.now() - 1000;
  }

  /** Load paper; the printout stopped mid-document still waits for continuePrint. */
  loadPaper(): void {
    this.paperPresent = true;
  }

  /** Is this task a document that goes into the ФН (the ones a power cut can catch half-way)? */
  static isFiscal(type: string): boolean {
    return FN_DOCS.has(type);
  }

  execute(task: unknown): Outcome {
    if (typeof task !== 'object' || task === null || typeof (task as { type?: unknown }).type !== 'string') return fail(501, 'Ошибка парсинга запроса: type');
    const t = task as Record<string, unknown> & { type: string };
    if (this.faults.notConnected) return fail(2, 'Нет связи');
    if (this.faults.portBusy) return fail(3, 'Порт занят');
    const refusal = this.refusal(t.type);
    if (refusal) return refusal;
    switch (t.type) {
      case 'getDeviceStatus':
        return { result: { deviceStatus: this.deviceStatus() } };
      case 'getShiftStatus':
        return { result: { shiftStatus: this.shiftStatus() } };
      case 'getFnInfo':
        return { result: { fnInfo: this.fnInfo() } };
      case 'getFnStatus':
        return { result: { fnStatus: { fiscalDocumentNumber: this.fn.lastDocumentNumber, fiscalReceiptNumber: this.fn.receipts, warnings: this.fnWarnings() } } };
      case 'ofdExchangeStatus':
        return { result: this.ofdStatus() };
      case 'getShiftTotals':
        return { result: this.totals.toJson(this.shift.number) };
      case 'getFnDocument':
        return this.fnDocument(t.fiscalDocumentNumber);
      case 'openShift':
        return this.openShift();
      case 'closeShift':
        return this.closeShift();
      case 'reportX':
        return { result: {} };
      case 'sell':
      case 'sellReturn':
      case 'sellCorrection':
      case 'sellReturnCorrection':
        return this.receipt(t);
      case 'cashIn':
      case 'cashOut':
        return this.cash(t.type, t.cashSum);
      case 'continuePrint':
        this.notPrinted = false;
        return { result: {} };
      case 'cancelReceipt':
        if (!this.faults.receiptOpen) return fail(81, 'Документ закрыт – операция невозможна');
        this.faults.receiptOpen = false;
        return { result: {} };
      case 'beginMarkingCodeValidation':
        return this.marking.begin(t.params);
      case 'getMarkingCodeValidationStatus':
        return this.marking.status();
      case 'acceptMarkingCode':
        return this.marking.accept();
      case 'declineMarkingCode':
      case 'cancelMarkingCodeValidation':
        return this.marking.drop();
      default:
        return fail(501, `Ошибка парсинга запроса: неизвестный тип задания ${t.type.slice(0, 40)}`);
    }
  }

  /** Refusals in the order a registrar meets them: open document, ФН state, paper, shift. */
  private refusal(type: string): Outcome | null {
    if (this.faults.receiptOpen && (PRINTS.has(type) || type === 'beginMarkingCodeValidation') && type !== 'continuePrint') {
      return fail(82, 'Документ открыт – операция невозможна');
    }
    if (FN_DOCS.has(type)) {
      if (this.now() >= this.fn.validTo) return fail(120, 'Закончен срок эксплуатации ФН');
      if (this.fn.full) return fail(121, 'Архив ФН переполнен');
      const oldest = this.unsent[0];
      const oldestAt = oldest === undefined ? null : this.docs.find((d) => d.number === oldest)?.at;
      if (oldestAt != null && this.now() - oldestAt > 30 * DAY) return fail(140, 'Исчерпан ресурс ожидания передачи сообщения в ФН');
    }
    if (PRINTS.has(type) && !this.paperPresent) return fail(44, 'Нет бумаги');
    const state = this.shiftState();
    if (NEEDS_SHIFT.has(type) || type === 'closeShift' || type === 'reportX') {
      if (state === 'closed') return fail(73, 'Смена закрыта - операция невозможна');
      if (state === 'expired' && NEEDS_SHIFT.has(type)) return fail(68, 'Смена превысила 24 часа');
    }
    if (type === 'openShift' && state !== 'closed') return fail(83, 'Смена открыта, операция невозможна');
    return null;
  }

  private deviceStatus(): Json {
    return {
      currentDateTime: formatAtolDateTime(this.now()),
      shift: this.shiftState(),
      blocked: false,
      coverOpened: false,
      paperPresent: this.paperPresent,
      fiscal: true,
      fnFiscal: true,
      fnPresent: true,
      cashDrawerOpened: false,
    };
  }

  private shiftStatus(): Json {
    const s: Record<string, Json> = { number: this.shift.number, state: this.shiftState() };
    if (this.shift.open) s.expiredTime = formatAtolDateTime(this.shift.openedAt + DAY);
    return s;
  }

  private fnWarnings(): Json {
    return { criticalError: false, memoryOverflow: this.fn.full, needReplacement: this.now() >= this.fn.validTo - 30 * DAY, ofdTimeout: false, resourceExhausted: false };
  }

  private fnInfo(): Json {
    return {
      serial: '7380440700000001',
      version: 'fn-2-1.2',
      ffdVersion: '1.2',
      fnFfdVersion: '1.2',
      validityDate: formatAtolDateTime(this.fn.validTo),
      livePhase: 'fiscalMode',
      numberOfRegistrations: 1,
      registrationsRemaining: 29,
      warnings: this.fnWarnings(),
    };
  }

  private ofdStatus(): Json {
    const first = this.unsent[0];
    const doc = first === undefined ? undefined : this.docs.find((d) => d.number === first);
    return {
      status: {
        notSentCount: this.unsent.length,
        notSentFirstDocNumber: first ?? 0,
        notSentFirstDocDateTime: doc ? formatAtolDateTime(doc.at) : '',
        lastSuccessKeysUpdate: '',
      },
      errors: { fnCommandCode: 0, documentNumber: 0, fn: { code: 0, description: '' }, network: { code: 0, description: '' }, ofd: { code: 0, description: '' } },
      warnings: { dataForSendIsEmpty: this.unsent.length === 0 },
    };
  }

  private fnDocument(n: unknown): Outcome {
    const d = typeof n === 'number' ? this.docs.find((x) => x.number === n) : undefined;
    if (!d) return fail(123, 'В ФН нет запрошенных данных');
    const tlv: Record<string, Json> = {
      fiscalDocumentType: FN_DOCUMENT_TYPE[d.kind],
      short: false,
      qr: '',
      '1040': d.number,
      '1038': d.shiftNumber,
      '1012': formatAtolDateTime(d.at),
      '1077': d.fiscalSign,
    };
    if (d.total !== null) {
      tlv['1054'] = d.operation === 'return' ? 2 : 1;
      tlv['1020'] = toRoubles(d.total);
    }
    if (d.correction) {
      // How the driver renders 1178 inside documentTLV is UNVERIFIED; the driver reads only 1054/1020.
      tlv['1173'] = d.correction.type === 'instruction' ? 1 : 0;
      const basis: Record<string, Json> = { '1178': d.correction.baseDate.replaceAll('-', '.') };
      if (d.correction.baseNumber !== '') basis['1179'] = d.correction.baseNumber;
      tlv['1174'] = basis;
    }
    return { result: { documentTLV: tlv } };
  }

  private commit(kind: ArchiveKind, total: number | null, receipt: Partial<Pick<ArchiveEntry, 'payments' | 'change' | 'markingCodes' | 'operation' | 'correction' | 'lines'>> = {}): Outcome {
    const number = ++this.fn.lastDocumentNumber;
    if (total !== null) this.fn.receipts++;
    const at = this.now();
    const entry: ArchiveEntry = {
      number,
      kind,
      total,
      fiscalSign: fiscalSign(number, total ?? 0, at),
      at,
      shiftNumber: this.shift.number,
      payments: receipt.payments ?? [],
      change: receipt.change ?? 0,
      markingCodes: receipt.markingCodes ?? [],
      operation: receipt.operation ?? null,
      correction: receipt.correction ?? null,
      lines: receipt.lines ?? [],
    };
    this.docs.push(entry);
    this.unsent.push(number);
    const warnings: Record<string, Json> = {};
    if (this.faults.paperOutMidDocument && kind !== 'open_shift') {
      // The ФН has the document; the printer ran dry printing it.
      this.faults.paperOutMidDocument = false;
      this.paperPresent = false;
      this.notPrinted = true;
      warnings.notPrinted = true;
    }
    const fiscalParams: Record<string, Json> = {
      fiscalDocumentNumber: number,
      fiscalDocumentSign: entry.fiscalSign,
      fiscalDocumentDateTime: formatAtolDateTime(at),
      shiftNumber: this.shift.number,
      fnNumber: '7380440700000001',
      registrationNumber: '0000000001012345',
      fnsUrl: 'www.nalog.gov.ru',
    };
    if (total !== null) {
      fiscalParams.fiscalReceiptNumber = this.fn.receipts;
      fiscalParams.total = toRoubles(total);
    }
    return { result: { fiscalParams, warnings } };
  }

  private openShift(): Outcome {
    this.shift = { open: true, number: this.shift.number + 1, openedAt: this.now() };
    this.totals = new ShiftCounters();
    return this.commit('open_shift', null);
  }

  private closeShift(): Outcome {
    const out = this.commit('close_shift', null);
    this.shift = { ...this.shift, open: false };
    this.totals = new ShiftCounters();
    return out;
  }

  private cash(type: 'cashIn' | 'cashOut', sum: unknown): Outcome {
    const amount = roublesToMinor(sum);
    if (amount === null || amount <= 0) return fail(16, 'Неверная цена (сумма)');
    if (type === 'cashOut' && amount > this.totals.cashDrawer) return fail(80, 'В ККТ нет денег для выплаты');
    const c = type === 'cashIn' ? this.totals.income : this.totals.outcome;
    c.count++;
    c.sum += amount;
    this.totals.cashDrawer += type === 'cashIn' ? amount : -amount;
    return { result: { counters: { cashSum: toRoubles(this.totals.cashDrawer) } } };
  }

  /**
   * sell / sellReturn, and their correction receipts. A correction goes into the same shift
   * counters as the settlement it registers late (the money is in this shift's drawer): how the
   * real registrar counts them is UNVERIFIED.
   */
  private receipt(t: Record<string, unknown> & { type: string }): Outcome {
    const isCorrection = t.type === 'sellCorrection' || t.type === 'sellReturnCorrection';
    let correction: ArchivedCorrection | null = null;
    if (isCorrection) {
      const c = parseCorrection(t);
      if ('error' in c) return c;
      correction = c;
    }
    const parsed = parseReceipt(t, this.marking);
    if ('error' in parsed) return parsed;
    const { total, payments, codes, lines } = parsed;
    const paid = payments.reduce((s, p) => s + p.amount, 0);
    const nonCash = payments.filter((p) => p.type !== 'cash').reduce((s, p) => s + p.amount, 0);
    if (nonCash > total) return fail(52, 'Сумма не наличных платежей превышает сумму чека');
    if (paid < total) return fail(66, 'Чек оплачен не полностью');
    const change = paid - total;
    const sale = t.type === 'sell' || t.type === 'sellCorrection';
    if (!sale && payments.some((p) => p.type === 'cash') && total - nonCash > this.totals.cashDrawer) return fail(53, 'Накопление меньше суммы возврата или аннулирования');
    // Counters hold what each payment type really settled: cash net of the change given.
    const counter = sale ? this.totals.sell : this.totals.sellReturn;
    counter.count++;
    counter.sum += total;
    for (const p of payments) counter.payments[p.type] = (counter.payments[p.type] ?? 0) + p.amount - (p.type === 'cash' ? change : 0);
    const cashNet = payments.filter((p) => p.type === 'cash').reduce((s, p) => s + p.amount, 0) - change;
    this.totals.cashDrawer += sale ? cashNet : -cashNet;
    this.marking.consume(codes);
    const operation = sale ? 'sale' : 'return';
    return this.commit(correction ? 'correction' : operation, total, { payments, change, markingCodes: codes, operation, correction, lines });
  }
}

/**
 * The correction's requisites, refused the way the driver would (UNVERIFIED which codes a real
 * driver gives: 8 "required parameter not found" for a missing one — an instruction's number
 * included —, 13 "wrong parameter value" for a malformed one).
 */
function parseCorrection(t: Record<string, unknown>): ArchivedCorrection | Refusal {
  const { correctionType: type, correctionBaseDate: date, correctionBaseNumber: number } = t;
  if (type === undefined) return fail(8, 'Не найден обязательный параметр: correctionType');
  if (type !== 'self' && type !== 'instruction') return fail(13, 'Нeкорректное значение параметра: correctionType');
  if (date === undefined) return fail(8, 'Не найден обязательный параметр: correctionBaseDate');
  const day = typeof date === 'string' ? parseDottedYmd(date) : null;
  if (day === null) return fail(13, 'Нeкорректное значение параметра: correctionBaseDate');
  if (number !== undefined && (typeof number !== 'string' || number.length > 32)) return fail(13, 'Нeкорректное значение параметра: correctionBaseNumber');
  const baseNumber = number ?? '';
  if (type === 'instruction' && baseNumber.trim() === '') return fail(8, 'Не найден обязательный параметр: correctionBaseNumber');
  return { type, baseDate: isoDay(day), baseNumber };
}

/** A position's industryInfo (tag 1260): one entry, all four fields, date "YYYY.MM.DD" (13 otherwise). */
function parseIndustry(v: unknown): IndustryRequisite | Refusal {
  const list = Array.isArray(v) ? (v as unknown[]) : [];
  const first = list[0];
  if (list.length !== 1 || typeof first !== 'object' || first === null) return fail(13, 'Нeкорректное значение параметра: industryInfo');
  const { fois, date, number, industryAttribute } = first as Record<string, unknown>;
  if (typeof fois !== 'string' || typeof date !== 'string' || typeof number !== 'string' || typeof industryAttribute !== 'string') {
    return fail(8, 'Не найден обязательный параметр: industryInfo');
  }
  const day = parseDottedYmd(date);
  if (!/^\d{3}$/.test(fois) || day === null || number === '' || industryAttribute === '') return fail(13, 'Нeкорректное значение параметра: industryInfo');
  // Kept as the receipt prints 1263: DD.MM.YYYY.
  const printed = `${String(day.day).padStart(2, '0')}.${String(day.month).padStart(2, '0')}.${day.year}`;
  return { foiv: fois, date: printed, number, value: industryAttribute };
}

/** The sell task's items and payments, checked the way the registrar would refuse them. */
function parseReceipt(
  t: Record<string, unknown>,
  marking: MarkingModel,
): { total: number; payments: { type: string; amount: number }[]; codes: string[]; lines: ArchivedLine[] } | Refusal {
  if (!Array.isArray(t.items) || t.items.length === 0) return fail(501, 'Ошибка парсинга запроса: items');
  if (!Array.isArray(t.payments) || t.payments.length === 0) return fail(501, 'Ошибка парсинга запроса: payments');
  let total = 0;
  const codes: string[] = [];
  const lines: ArchivedLine[] = [];
  for (const raw of t.items as unknown[]) {
    const it = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    if (it.type !== 'position' || typeof it.name !== 'string') return fail(501, 'Ошибка парсинга запроса: items[].type/name');
    const price = roublesToMinor(it.price);
    const amount = roublesToMinor(it.amount);
    const qty = unitsToThousandths(it.quantity);
    if (price === null || amount === null || price < 0 || amount < 0) return fail(16, 'Неверная цена (сумма)');
    if (qty === null || qty <= 0) return fail(17, 'Неверное количество');
    const tax = (it.tax ?? {}) as { type?: unknown };
    if (typeof tax.type !== 'string' || !TAXES.has(tax.type)) return fail(144, 'Недопустимый номер ставки налога');
    if (it.imcParams !== undefined) {
      const code = marking.canUse(it.imcParams);
      if (code === null) return fail(420, 'КМ не проверен в ФН');
      codes.push(code);
    }
    let industry: IndustryRequisite | null = null;
    if (it.industryInfo !== undefined) {
      const parsed = parseIndustry(it.industryInfo);
      if ('error' in parsed) return parsed;
      industry = parsed;
    }
    lines.push({ name: it.name, amount, industry });
    total += amount;
  }
  const payments: { type: string; amount: number }[] = [];
  for (const raw of t.payments as unknown[]) {
    const p = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const amount = roublesToMinor(p.sum);
    if (typeof p.type !== 'string' || !(PAYMENT_TYPES as readonly string[]).includes(p.type)) return fail(60, 'Неверный вид оплаты');
    if (amount === null || amount < 0) return fail(16, 'Неверная цена (сумма)');
    payments.push({ type: p.type, amount });
  }
  return { total, payments, codes, lines };
}

const TAXES = new Set(['none', 'vat0', 'vat5', 'vat7', 'vat10', 'vat20', 'vat22', 'vat105', 'vat107', 'vat110', 'vat120', 'vat122']);

/** A stand-in ФПД: deterministic, ten digits at most, different per document. */
function fiscalSign(number: number, total: number, at: number): string {
  let h = 2166136261;
  for (const c of `${number}:${total}:${at}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return String(h);
}
