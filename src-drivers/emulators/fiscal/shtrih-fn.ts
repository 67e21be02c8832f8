import type { FiscalCorrection, IndustryRequisite, ShiftTotals } from '../../fiscal/registrar.js';

/**
 * The emulated registrar's fiscal memory: the ФН archive and counter, the shift and its clock, the
 * ОФД queue, the shift totals (what the registers hold) and the check being built. No bytes here:
 * shtrih.ts decodes commands and calls these.
 */
export type ArchiveKind = 'registration' | 'open_shift' | 'close_shift' | 'sale' | 'return' | 'correction';

/** Tags 1173/1174 as the ФН holds them: the corrected day (1178, no time) as "YYYY-MM-DD". */
export interface ArchivedCorrection {
  type: FiscalCorrection['type'];
  baseDate: string;
  baseNumber: string;
}

/** One item of a receipt as the ФН holds it (tag 1059), with its industry requisite (1260). */
export interface ArchivedLine {
  name: string;
  amount: number;
  markingCode: string | null;
  industry: IndustryRequisite | null;
}

export interface ArchiveEntry {
  number: number;
  kind: ArchiveKind;
  /** Receipts and corrections: the total; null for other documents. */
  total: number | null;
  /** ФПД as the receipt prints it. */
  fiscalSign: string;
  at: number;
  shiftNumber: number;
  /** Receipts and corrections: tag 1054 (a correction of a sale is 'sale'); null for other documents. */
  operation: 'sale' | 'return' | null;
  /** Correction receipts only. */
  correction: ArchivedCorrection | null;
  /** Receipts and corrections: their items; empty for other documents. */
  lines: ArchivedLine[];
}

export interface CheckLine {
  type: number;
  qtyMillionths: number;
  price: number;
  amount: number;
  taxRow: number;
  department: number;
  paymentMethod: number;
  subject: number;
  name: string;
  measure: number | null;
  markingCode: string | null;
  industry: IndustryRequisite | null;
}

export interface OpenCheck {
  kind: 'sale' | 'return';
  /** Opened by 8D as a correction receipt (type 0x80 | kind). */
  correction: boolean;
  lines: CheckLine[];
  tags: Map<number, Uint8Array>;
}

/** Totals per shift as the registers keep them (department sums by department number). */
export class ShiftRegisters {
  salesCount = 0;
  returnsCount = 0;
  readonly salesByDept = new Map<number, number>();
  readonly returnsByDept = new Map<number, number>();
  cashSales = 0;
  cashReturns = 0;
  cardSales = 0;
  cardReturns = 0;
  cashIn = 0;
  cashOut = 0;

  totals(): ShiftTotals {
    const sum = (m: Map<number, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
    return {
      sales: { count: this.salesCount, total: sum(this.salesByDept) },
      returns: { count: this.returnsCount, total: sum(this.returnsByDept) },
      cash: this.cashSales - this.cashReturns,
      card: this.cardSales - this.cardReturns,
      cashIn: this.cashIn,
      cashOut: this.cashOut,
    };
  }
}

export interface FnOptions {
  /** The registrar clock (epoch ms). Tests pass their own to move time. */
  now: () => number;
  /** ФН validity end; 13 months after start by default. */
  expiresAt?: number;
  /** Seed for fiscal signs, so runs are reproducible. */
  seed?: number;
}

export class FiscalMemory {
  readonly archive: ArchiveEntry[] = [];
  /** Document numbers the ОФД has not confirmed, oldest first. */
  readonly unsent: { number: number; at: number }[] = [];
  shift: { number: number; openedAt: number; receipts: number } | null = null;
  lastShiftNumber = 0;
  registers = new ShiftRegisters();
  /** Totals of the shift the last Z report closed. */
  lastClosedTotals: ShiftTotals | null = null;
  check: OpenCheck | null = null;
  expiresAt: number;
  /** Codes the host accepted after checking (FF61 + FF69), with their planned status. */
  readonly acceptedCodes = new Map<string, number>();
  lastChecked: { code: string; status: number; valid: boolean } | null = null;
  private signState: number;

  constructor(readonly opts: FnOptions) {
    this.expiresAt = opts.expiresAt ?? opts.now() + 400 * 24 * 3600_000;
    this.signState = (opts.seed ?? 0x5eed) >>> 0 || 1;
    this.commit('registration', null);
  }

  get now(): number {
    return this.opts.now();
  }

  get lastDocumentNumber(): number {
    return this.archive.at(-1)?.number ?? 0;
  }

  shiftExpired(): boolean {
    return this.shift !== null && this.now - this.shift.openedAt > 24 * 3600_000;
  }

  /** Write a document to the ФН: numbered, signed, queued for the ОФД. */
  commit(kind: ArchiveKind, total: number | null, details: Partial<Pick<ArchiveEntry, 'operation' | 'correction' | 'lines'>> = {}): ArchiveEntry {
    const entry: ArchiveEntry = {
      number: this.lastDocumentNumber + 1,
      kind,
      total,
      fiscalSign: String(this.nextSign()),
      at: this.now,
      shiftNumber: this.shift?.number ?? this.lastShiftNumber,
      operation: details.operation ?? null,
      correction: details.correction ?? null,
      lines: details.lines ?? [],
    };
    this.archive.push(entry);
    this.unsent.push({ number: entry.number, at: entry.at });
    return entry;
  }

  find(number: number): ArchiveEntry | undefined {
    return this.archive.find((d) => d.number === number);
  }

  openShift(): ArchiveEntry {
    this.shift = { number: this.lastShiftNumber + 1, openedAt: this.now, receipts: 0 };
    this.registers = new ShiftRegisters();
    return this.commit('open_shift', null);
  }

  closeShift(): ArchiveEntry {
    const doc = this.commit('close_shift', null);
    this.lastClosedTotals = this.registers.totals();
    this.lastShiftNumber = this.shift?.number ?? this.lastShiftNumber;
    this.shift = null;
    return doc;
  }

  /**
   * Close the open check with these FF45 slot sums; the change, or an error code. A correction
   * goes into the same shift registers as the settlement it registers late (the money is in this
   * shift's drawer): how real firmware splits them is UNVERIFIED.
   */
  closeCheck(payments: number[], correction: ArchivedCorrection | null = null): { entry: ArchiveEntry; change: number } | { error: number } {
    const check = this.check;
    if (!check) return { error: 0x55 };
    const total = check.lines.reduce((s, l) => s + l.amount, 0);
    const cash = payments[0] ?? 0;
    const card = payments.slice(1, 13).reduce((a, b) => a + b, 0);
    const other = payments.slice(13).reduce((a, b) => a + b, 0);
    if (cash + card + other < total) return { error: 0x45 };
    if (card + other > total) return { error: 0x4d };
    const change = cash + card + other - total;
    const lines = check.lines.map((l): ArchivedLine => ({ name: l.name, amount: l.amount, markingCode: l.markingCode, industry: l.industry }));
    const entry = this.commit(correction ? 'correction' : check.kind, total, { operation: check.kind, correction, lines });
    const r = this.registers;
    const byDept = check.kind === 'sale' ? r.salesByDept : r.returnsByDept;
    for (const l of check.lines) byDept.set(l.department, (byDept.get(l.department) ?? 0) + l.amount);
    if (check.kind === 'sale') {
      r.salesCount++;
      r.cashSales += cash - change;
      r.cardSales += card;
    } else {
      r.returnsCount++;
      r.cashReturns += cash - change;
      r.cardReturns += card;
    }
    if (this.shift) this.shift.receipts++;
    for (const l of check.lines) if (l.markingCode !== null) this.acceptedCodes.delete(l.markingCode);
    this.check = null;
    return { entry, change };
  }

  /** The ОФД confirmed the oldest `count` documents (all by default). */
  confirm(count = Infinity): void {
    this.unsent.splice(0, Math.min(count, this.unsent.length));
  }

  private nextSign(): number {
    // xorshift32: a fiscal sign that looks random but repeats from the same seed.
    let x = this.signState;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.signState = x >>> 0 || 1;
    return this.signState;
  }
}
