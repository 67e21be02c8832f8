import {
  FiscalError,
  type ArchivedDocument,
  type FiscalDocument,
  type FiscalReceipt,
  type FiscalRegistrar,
  type FiscalStatus,
  type ShiftTotals,
} from '../../src-drivers/fiscal/registrar.js';

/**
 * A registrar in memory with the ФН's essentials (document counter, archive, an open document,
 * the shift) and the faults that matter for exactly-once: a refusal, no answer before the
 * document is committed, and no answer after it is.
 */
export class FakeRegistrar implements FiscalRegistrar {
  archive: ArchivedDocument[] = [];
  shift: 'open' | 'closed' | 'expired' = 'open';
  shiftNumber = 1;
  openDoc: 'sale' | 'return' | null = null;
  cashIns: number[] = [];
  cashOuts: number[] = [];
  totals: ShiftTotals = FakeRegistrar.zero();
  blocked = false;
  /** Every receipt is refused with this, until cleared (a fault that does not pass by itself). */
  refuseAll: FiscalError | null = null;
  /** The correction receipts registered, as sent. */
  corrections: FiscalReceipt[] = [];

  static zero(): ShiftTotals {
    return { sales: { count: 0, total: 0 }, returns: { count: 0, total: 0 }, cash: 0, card: 0, cashIn: 0, cashOut: 0 };
  }
  /**
   * The next receipt: 'refuse' (paper out), 'lose-before' (no answer, nothing registered), 'lose-after' (registered, no answer),
   * 'hang-open' (left open, no answer), 'lose-other' (no answer, and the ФН moved on with some other document).
   */
  next: 'ok' | 'refuse' | 'lose-before' | 'lose-after' | 'hang-open' | 'lose-other' = 'ok';
  linkDown = false;
  /** The registrar's clock: the date its documents carry. */
  now: () => number = () => 1;

  private doc(kind: ArchivedDocument['kind'], total: number | null): ArchivedDocument {
    const d = { number: this.archive.length + 1, kind, total, fiscalSign: String(1_000_000_000 + this.archive.length * 7919), at: this.now() };
    this.archive.push(d);
    return d;
  }
  private up(): void {
    if (this.linkDown) throw new FiscalError('offline', 'no link');
  }
  async status(): Promise<FiscalStatus> {
    this.up();
    return {
      mode: this.openDoc ? 'document_open' : this.shift === 'open' ? 'shift_open' : this.shift === 'expired' ? 'shift_expired' : 'shift_closed',
      openDocument: this.openDoc,
      submode: 'ok',
      shiftNumber: this.shiftNumber,
      shiftOpenedAt: null,
      fn: { lastDocumentNumber: this.archive.length, expiresAt: null, unsent: { count: 0, oldestAt: null }, blocked: this.blocked },
    };
  }
  async openShift(): Promise<FiscalDocument> {
    this.up();
    if (this.shift !== 'closed') throw new FiscalError('shift_already_open', 'open');
    this.shift = 'open';
    this.shiftNumber++;
    const d = this.doc('open_shift', null);
    return { number: d.number, fiscalSign: d.fiscalSign, shiftNumber: this.shiftNumber, at: d.at };
  }
  async closeShift(): Promise<FiscalDocument & { totals: ShiftTotals }> {
    this.up();
    this.shift = 'closed';
    const d = this.doc('close_shift', null);
    const totals = this.totals;
    this.totals = FakeRegistrar.zero();
    return { number: d.number, fiscalSign: d.fiscalSign, shiftNumber: this.shiftNumber, at: d.at, totals };
  }
  async xReport(): Promise<ShiftTotals> {
    return this.totals;
  }
  async receipt(r: FiscalReceipt): Promise<FiscalDocument> {
    this.up();
    if (this.openDoc) throw new FiscalError('document_open', 'a document is open');
    if (this.shift === 'expired') throw new FiscalError('shift_expired', 'over 24 h', true);
    if (this.refuseAll) throw this.refuseAll;
    const fault = this.next;
    this.next = 'ok';
    if (fault === 'refuse') throw new FiscalError('paper_out', 'no paper');
    if (fault === 'lose-before') throw new FiscalError('timeout', 'no answer');
    if (fault === 'lose-other') {
      this.doc('other', null);
      throw new FiscalError('timeout', 'no answer');
    }
    if (fault === 'hang-open') {
      this.openDoc = r.kind;
      throw new FiscalError('timeout', 'no answer');
    }
    const total = r.lines.reduce((s, l) => s + l.amount, 0);
    const d = this.doc(r.correction ? 'correction' : r.kind, total);
    if (r.correction) this.corrections.push(r);
    const t = this.totals;
    const sign = r.kind === 'sale' ? 1 : -1;
    (r.kind === 'sale' ? t.sales : t.returns).count++;
    (r.kind === 'sale' ? t.sales : t.returns).total += total;
    // Cash is handed over; what is not card is cash, net of change.
    const card = r.payments.filter((p) => p.type === 'card').reduce((s, p) => s + p.amount, 0);
    t.card += sign * card;
    t.cash += sign * (total - card);
    if (fault === 'lose-after') throw new FiscalError('timeout', 'no answer');
    return { number: d.number, fiscalSign: d.fiscalSign, shiftNumber: this.shiftNumber, at: d.at };
  }
  async cashIn(amount: number): Promise<void> {
    this.up();
    this.cashIns.push(amount);
    this.totals.cashIn += amount;
  }
  async cashOut(amount: number): Promise<void> {
    this.up();
    this.cashOuts.push(amount);
    this.totals.cashOut += amount;
  }
  async cancelDocument(): Promise<void> {
    this.openDoc = null;
  }
  async continuePrinting(): Promise<void> {}
  async findDocument(n: number): Promise<ArchivedDocument | null> {
    this.up();
    return this.archive[n - 1] ?? null;
  }
  async checkMarkingCode() {
    return { accepted: true, online: null };
  }
  dispose(): void {}
}

