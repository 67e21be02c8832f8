import {
  FiscalError,
  type ArchivedDocument,
  type FiscalDocument,
  type FiscalReceipt,
  type FiscalRegistrar,
  type FiscalStatus,
  type MarkingCheck,
  type MeasureUnit,
  type ShiftTotals,
} from '../registrar.js';
import { checkRequisites } from '../requisites.js';
import { AtolWebClient, throwIfFailed, type AtolClientOptions } from './client.js';
import { ATOL_ALREADY_CLOSED, ATOL_NO_DOCUMENT } from './errors.js';
import { parseFiscalResult, parseFnDocument, parseMarkingBegin, parseMarkingStatus, parseShiftTotals, parseStatus } from './results.js';
import { beginMarkingTask, CANCEL_RECEIPT_TASK, cashTask, fnDocumentTask, receiptTask, shiftTask, STATUS_TASKS } from './tasks.js';
import { isMinor } from './units.js';

export interface AtolRegistrarOptions extends AtolClientOptions {
  /** The whole marking check (ОИСМ round trip included); `timeoutMs` by default. */
  markingTimeoutMs?: number;
}

/**
 * An ATOL registrar through the Driver v10 web server. Every operation is one web-server request
 * (several tasks where the answer needs them), so a task never runs twice unless the caller asks.
 */
export class AtolRegistrar implements FiscalRegistrar {
  private readonly client: AtolWebClient;
  /** A document went into the ФН with a "not printed" warning and continuePrint has not run since. */
  private notPrinted = false;

  constructor(private readonly opts: AtolRegistrarOptions) {
    this.client = new AtolWebClient(opts);
  }

  async status(): Promise<FiscalStatus> {
    return parseStatus(await this.client.run(STATUS_TASKS), this.notPrinted);
  }

  async openShift(cashier: { name: string; inn?: string }): Promise<FiscalDocument> {
    const [r] = await this.client.run([shiftTask('openShift', cashier)]);
    return this.document(r);
  }

  async closeShift(cashier: { name: string; inn?: string }): Promise<FiscalDocument & { totals: ShiftTotals }> {
    // Counters first, in the same request: after the Z report they are reset.
    const [totals, z] = await this.client.run([{ type: 'getShiftTotals' }, shiftTask('closeShift', cashier)]);
    return { ...this.document(z), totals: parseShiftTotals(totals) };
  }

  async xReport(): Promise<ShiftTotals> {
    const [, totals] = await this.client.run([{ type: 'reportX' }, { type: 'getShiftTotals' }]);
    return parseShiftTotals(totals);
  }

  async receipt(r: FiscalReceipt): Promise<FiscalDocument> {
    checkReceipt(r);
    const [result] = await this.client.run([receiptTask(r)]);
    return this.document(result);
  }

  async cashIn(amount: number): Promise<void> {
    checkAmount(amount, 'cash in');
    await this.client.run([cashTask('cashIn', amount)]);
  }

  async cashOut(amount: number): Promise<void> {
    checkAmount(amount, 'cash out');
    await this.client.run([cashTask('cashOut', amount)]);
  }

  /** Idempotent: "the document is closed already" is what recovery wanted. */
  async cancelDocument(): Promise<void> {
    const [o] = await this.client.submit([{ type: CANCEL_RECEIPT_TASK }]);
    if (o === undefined || o.status === 'ready') return;
    if (o.status === 'error' && ATOL_ALREADY_CLOSED.has(o.errorCode)) return;
    throwIfFailed(o);
  }

  async continuePrinting(): Promise<void> {
    await this.client.run([{ type: 'continuePrint' }]);
    this.notPrinted = false;
  }

  async findDocument(number: number): Promise<ArchivedDocument | null> {
    if (!Number.isSafeInteger(number) || number < 1) throw new FiscalError('bad_data', `no document number ${number}`);
    const [o] = await this.client.submit([fnDocumentTask(number)]);
    if (o === undefined) return null;
    if (o.status === 'error' && ATOL_NO_DOCUMENT.has(o.errorCode)) return null;
    throwIfFailed(o);
    return parseFnDocument(o.result, number);
  }

  /**
   * ATOL's three steps: begin (the ФН's own check of the code's form), poll until the ОИСМ answer
   * (or the driver's "no connection") is ready, then accept or decline so the ФН closes the
   * procedure. Accepted codes are the ones a following receipt may carry; a declined one is refused.
   * Checked as a sale: the interface does not say whether the line is a return.
   */
  async checkMarkingCode(code: string, line: { qty: number; unit: MeasureUnit }): Promise<MarkingCheck> {
    if (code.length === 0 || !Number.isSafeInteger(line.qty) || line.qty <= 0) throw new FiscalError('bad_data', 'empty marking code or quantity');
    const deadline = Date.now() + (this.opts.markingTimeoutMs ?? this.opts.timeoutMs);
    const left = (): number => Math.max(1, deadline - Date.now());
    const [begin] = await this.client.run([beginMarkingTask(code, line)], left());
    const formOk = parseMarkingBegin(begin);
    for (;;) {
      const [s] = await this.client.run([{ type: 'getMarkingCodeValidationStatus' }], left());
      const status = parseMarkingStatus(s);
      if (status.ready) {
        const accept = formOk && (status.online === null || status.online.ok);
        await this.client.run([{ type: accept ? 'acceptMarkingCode' : 'declineMarkingCode' }], left());
        return { accepted: formOk, online: status.online };
      }
      if (Date.now() >= deadline) {
        // Leave the ФН free for the next code; the answer for this one never came.
        await this.client.run([{ type: 'cancelMarkingCodeValidation' }]).catch(() => undefined);
        throw new FiscalError('timeout', 'the marking code check did not finish in time');
      }
      await new Promise((r) => setTimeout(r, Math.min(this.opts.pollMs, left())));
    }
  }

  dispose(): void {
    this.client.dispose();
  }

  private document(result: unknown): FiscalDocument {
    const { document, notPrinted } = parseFiscalResult(result);
    if (notPrinted) this.notPrinted = true;
    return document;
  }
}

function checkAmount(amount: number, what: string): void {
  if (!isMinor(amount) || amount <= 0) throw new FiscalError('bad_data', `${what}: ${amount} is not a positive amount in kopecks`);
}

/** Reject what the registrar would refuse anyway, before anything reaches the ФН. */
function checkReceipt(r: FiscalReceipt): void {
  if (r.lines.length === 0) throw new FiscalError('bad_data', 'a receipt without lines');
  if (r.payments.length === 0) throw new FiscalError('bad_data', 'a receipt without payments');
  for (const l of r.lines) {
    if (!isMinor(l.price) || l.price < 0 || !isMinor(l.amount) || l.amount < 0 || !Number.isSafeInteger(l.qty) || l.qty <= 0) {
      throw new FiscalError('bad_data', `line "${l.name}": price, amount and quantity must be whole kopecks / thousandths`);
    }
    if (l.markingCode !== undefined && l.unit === 'pcs' && l.qty !== 1000) throw new FiscalError('bad_data', `line "${l.name}": one marking code is one piece`);
  }
  for (const p of r.payments) if (!isMinor(p.amount) || p.amount < 0) throw new FiscalError('bad_data', `payment ${p.type}: ${p.amount} is not kopecks`);
  checkRequisites(r);
}
