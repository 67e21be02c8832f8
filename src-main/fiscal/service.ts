import type { Clock } from '../../src-common/clock.js';
import { FiscalError, type ArchivedDocument, type FiscalDocument, type FiscalReceipt, type FiscalRegistrar, type FiscalStatus } from '../../src-drivers/fiscal/registrar.js';
import type { Db } from '../db/open.js';
import type { FiscalJournalRepo, FiscalJournalRow } from '../db/repos/fiscal-journal.js';
import type { Logger } from '../rpc/dispatcher.js';

/** What a journal row asks the registrar to do. */
export type FiscalPayload =
  | { op: 'receipt'; receipt: FiscalReceipt }
  /** A receipt registered late, by a correction receipt (`receipt.correction` set). */
  | { op: 'correction'; receipt: FiscalReceipt }
  | { op: 'open_shift' | 'close_shift' | 'x_report'; cashier: { name: string; inn?: string } }
  | { op: 'cash_in' | 'cash_out'; amount: number };

export interface FiscalServiceDeps {
  db: Db;
  journal: FiscalJournalRepo;
  clock: Clock;
  log: Logger;
  /** The registrar now (null: none configured or its driver is not running). */
  registrar(): FiscalRegistrar | null;
  /** A journal row changed state (the UI shows the fiscal state of receipts and the alarm list). */
  changed(row: FiscalJournalRow): void;
  /** The registrar's status was read. */
  status?(status: FiscalStatus): void;
  /**
   * Crash-test hook: called at each named point of a send (`fiscal.before-send` after the intent is
   * committed, `fiscal.after-answer` once the ФН answered but before the local mark). The crash tests
   * kill the process there; in production it is absent.
   */
  crashPoint?(point: FiscalCrashPoint): void;
}

export type FiscalCrashPoint = 'fiscal.before-send' | 'fiscal.after-answer';

const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/** Errors after which what was sent may or may not have been executed: only recovery may tell. */
const UNCERTAIN = new Set(['timeout', 'offline', 'protocol']);

/**
 * Works off the fiscal journal, one operation at a time and in order, and makes every one of them
 * reach the ФН exactly once:
 *
 * - before sending, the row records the ФН's last document number and is committed as `sending`;
 * - on a clean answer the row is `done` with the document number and fiscal sign;
 * - after an uncertain failure (no answer, link lost, a crash — any row found `sending`), recovery
 *   reads the registrar: a document left open is cancelled unless the ФН moved on; if the ФН moved
 *   on, the new documents are read back and the one matching the row's kind and total settles it;
 *   if nothing reached the ФН the row is sent again. A ФН that moved on with no matching document
 *   is never "fixed" by sending again: the row waits for a person (`attention`).
 *
 * Operations without a ФН document (cash in/out, X report) cannot be read back: after an
 * uncertain failure they wait for a person too, rather than risk a second cash-in on the report.
 */
export class FiscalService {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private delay = RETRY_FIRST_MS;
  private stopped = false;
  /** The last refusal that stops selling (ФН expired or full, shift over 24 h…), until an operation succeeds. */
  private blocking: FiscalError | null = null;

  /**
   * When the registrar's current shift was opened, as the ФН dated its opening document. Shtrih's
   * status does not say; the till knows it from the document it had the registrar make.
   */
  private shiftOpened: { shiftNumber: number; at: number } | null = null;

  constructor(private readonly deps: FiscalServiceDeps) {
    const last = deps.journal.lastDone('open_shift');
    if (last?.fiscalAt != null && last.shiftNumber !== null) this.shiftOpened = { shiftNumber: last.shiftNumber, at: last.fiscalAt };
  }

  private noteShiftOpened(doc: FiscalDocument): void {
    this.shiftOpened = { shiftNumber: doc.shiftNumber, at: doc.at };
  }

  private lock: Promise<unknown> = Promise.resolve();

  /**
   * Run `fn` with the registrar to itself: it holds one conversation at a time, so a marking-code
   * check never lands between the commands of a receipt.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** Why the registrar last refused in a way that stops selling; null once it registers again. */
  blockingError(): FiscalError | null {
    return this.blocking;
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async drain(): Promise<void> {
    await new Promise<void>((r) => setImmediate(r));
    for (;;) {
      if (this.stopped) return;
      // A registrar shift over 24 h refuses everything but its Z: a waiting shift close goes first.
      const row = this.deps.journal.next(this.blocking?.code === 'shift_expired' ? 'close_shift' : null);
      if (!row) {
        this.delay = RETRY_FIRST_MS;
        return;
      }
      const registrar = this.deps.registrar();
      if (!registrar) {
        this.fail(row, new FiscalError('offline', 'no fiscal registrar is connected'));
        return this.retryLater();
      }
      try {
        await this.exclusive(() => this.process(row, registrar));
      } catch (e) {
        if (this.stopped) return;
        const err = e instanceof FiscalError ? e : new FiscalError('other', e instanceof Error ? e.message : String(e));
        this.fail(this.deps.journal.byId(row.id) ?? row, err);
        return this.retryLater();
      }
    }
  }

  private retryLater(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, this.delay);
    this.timer.unref?.();
    this.delay = Math.min(this.delay * 2, RETRY_MAX_MS);
  }

  /** Record why the row is not done. A row that was being sent stays reconcilable (fn_before kept). */
  private fail(row: FiscalJournalRow, err: FiscalError): void {
    const at = this.deps.clock.now();
    this.deps.log.error('fiscal operation failed', { id: row.id, op: row.op, code: err.code, error: err.message });
    if (err.blocking) this.blocking = err;
    this.deps.db.transaction(() => this.deps.journal.markFailed(row.id, row.state === 'attention' ? 'attention' : 'failed', err.message, err.code, at))();
    this.emit(row.id);
  }

  private emit(id: string): void {
    const row = this.deps.journal.byId(id);
    if (row) this.deps.changed(row);
  }

  private async readStatus(registrar: FiscalRegistrar): Promise<FiscalStatus> {
    let s = await registrar.status();
    const open = s.mode === 'shift_open' || s.mode === 'shift_expired' || s.mode === 'document_open';
    if (open && s.shiftOpenedAt === null && this.shiftOpened?.shiftNumber === s.shiftNumber) s = { ...s, shiftOpenedAt: this.shiftOpened.at };
    this.deps.status?.(s);
    return s;
  }

  private async process(row: FiscalJournalRow, registrar: FiscalRegistrar): Promise<void> {
    let status = await this.readStatus(registrar);
    if (status.submode === 'waiting_continue') {
      await registrar.continuePrinting();
      status = await this.readStatus(registrar);
    }
    if (row.fnBefore !== null) {
      // It was being sent when the till lost track (no answer, a crash): find out what happened.
      const settled = await this.reconcile(row, registrar, status);
      if (settled) return;
      status = await this.readStatus(registrar);
    }
    if (status.mode === 'document_open') {
      // No row of ours is waiting on it (every uncertain row was reconciled above): cancel it.
      await registrar.cancelDocument();
      status = await this.readStatus(registrar);
    }
    // A ФН that is full or expired is not second-guessed here: the registrar refuses with the exact reason.
    const payload = row.payload as FiscalPayload;
    const takesShift = payload.op === 'receipt' || payload.op === 'correction' || payload.op === 'cash_in' || payload.op === 'cash_out';
    if (takesShift && status.mode === 'shift_closed') {
      // The till's shift is open (it would not sell otherwise); the registrar's is not: open it.
      // (A correction may be registered with the till's shift closed: the registrar still needs one.)
      const cashier = payload.op === 'receipt' || payload.op === 'correction' ? payload.receipt.cashier : { name: 'Lavka POS' };
      this.noteShiftOpened(await registrar.openShift(cashier));
      status = await this.readStatus(registrar);
    }
    if (status.mode === 'shift_expired' && payload.op !== 'close_shift' && payload.op !== 'x_report') {
      throw new FiscalError('shift_expired', 'the registrar shift is over 24 hours: close the shift', true);
    }

    // Opening a shift that is open, or closing one that is closed, is already done: the registrar opened
    // it for an earlier receipt, or someone closed it at the registrar itself.
    const alreadyThere =
      (payload.op === 'open_shift' && status.mode === 'shift_open') || (payload.op === 'close_shift' && status.mode === 'shift_closed');
    if (alreadyThere) {
      this.deps.db.transaction(() =>
        this.deps.journal.markDone(row.id, { number: null, fiscalSign: null, at: null, shiftNumber: status.shiftNumber, result: { already: status.mode } }, this.deps.clock.now()),
      )();
      this.emit(row.id);
      return;
    }

    const at = this.deps.clock.now();
    this.deps.db.transaction(() => this.deps.journal.markSending(row.id, status.fn.lastDocumentNumber, at))();
    this.emit(row.id);
    this.deps.crashPoint?.('fiscal.before-send');
    try {
      await this.send(row, payload, registrar);
    } catch (e) {
      // A refusal the registrar stated is certain: nothing was registered; send again later.
      if (e instanceof FiscalError && !UNCERTAIN.has(e.code)) this.deps.db.transaction(() => this.deps.journal.requeue(row.id, this.deps.clock.now()))();
      throw e;
    }
  }

  private async send(row: FiscalJournalRow, payload: FiscalPayload, registrar: FiscalRegistrar): Promise<void> {
    const done = (doc: { number: number | null; fiscalSign: string | null; at: number | null; shiftNumber: number | null; result?: unknown }) => {
      this.deps.crashPoint?.('fiscal.after-answer');
      this.blocking = null;
      this.deps.db.transaction(() => this.deps.journal.markDone(row.id, doc, this.deps.clock.now()))();
      this.emit(row.id);
    };
    switch (payload.op) {
      case 'receipt':
      case 'correction': {
        // The ФН takes a marked unit only after checking its code in this session (a return, a resend
        // after a restart): check each again right before the document.
        for (const l of payload.receipt.lines) {
          if (!l.markingCode) continue;
          const check = await registrar.checkMarkingCode(l.markingCode, { qty: l.qty, unit: l.unit });
          if (!check.accepted) throw new FiscalError('marking_invalid', `the registrar refused the marking code of "${l.name}"`);
        }
        const doc = await registrar.receipt(payload.receipt);
        return done({ number: doc.number, fiscalSign: doc.fiscalSign, at: doc.at, shiftNumber: doc.shiftNumber });
      }
      case 'open_shift': {
        const doc = await registrar.openShift(payload.cashier);
        this.noteShiftOpened(doc);
        return done({ number: doc.number, fiscalSign: doc.fiscalSign, at: doc.at, shiftNumber: doc.shiftNumber });
      }
      case 'close_shift': {
        const doc = await registrar.closeShift(payload.cashier);
        return done({ number: doc.number, fiscalSign: doc.fiscalSign, at: doc.at, shiftNumber: doc.shiftNumber, result: doc.totals });
      }
      case 'x_report': {
        const totals = await registrar.xReport();
        return done({ number: null, fiscalSign: null, at: null, shiftNumber: null, result: totals });
      }
      case 'cash_in':
        await registrar.cashIn(payload.amount);
        return done({ number: null, fiscalSign: null, at: null, shiftNumber: null });
      case 'cash_out':
        await registrar.cashOut(payload.amount);
        return done({ number: null, fiscalSign: null, at: null, shiftNumber: null });
    }
  }

  /** True when the row is settled (done, or handed to a person); false when it must be sent again. */
  private async reconcile(row: FiscalJournalRow, registrar: FiscalRegistrar, status: FiscalStatus): Promise<boolean> {
    const before = row.fnBefore ?? 0;
    const last = status.fn.lastDocumentNumber;
    const now = () => this.deps.clock.now();
    if (last > before) {
      for (let n = before + 1; n <= last; n++) {
        const doc = await registrar.findDocument(n);
        if (doc && matches(row, doc)) {
          this.deps.log.info('fiscal document found after an uncertain send', { id: row.id, op: row.op, number: doc.number });
          if (status.mode === 'document_open') await registrar.cancelDocument();
          this.deps.db.transaction(() =>
            this.deps.journal.markDone(row.id, { number: doc.number, fiscalSign: doc.fiscalSign, at: doc.at, shiftNumber: status.shiftNumber, result: { recovered: true } }, now()),
          )();
          this.emit(row.id);
          return true;
        }
      }
    }
    const hasDocument = row.op === 'receipt' || row.op === 'correction' || row.op === 'open_shift' || row.op === 'close_shift';
    if (!hasDocument || last > before) {
      // Either nothing can be read back (no ФН document), or the ФН moved on without a document that
      // matches: sending again could register it twice. A person decides (the X report, the archive).
      const why = hasDocument
        ? `the fiscal storage registered documents ${before + 1}–${last} but none matches this ${row.op === 'receipt' ? (row.docKind ?? row.op) : row.op}: check the registrar's archive`
        : `the registrar did not answer a ${row.op}: check the X report before doing it again`;
      this.deps.db.transaction(() => this.deps.journal.markFailed(row.id, 'attention', why, 'uncertain', now()))();
      this.emit(row.id);
      return true;
    }
    // Nothing reached the ФН. A document it left open is ours, unfinished: cancel it and send again.
    if (status.mode === 'document_open') await registrar.cancelDocument();
    this.deps.db.transaction(() => this.deps.journal.requeue(row.id, now()))();
    return false;
  }
}

function matches(row: FiscalJournalRow, doc: ArchivedDocument): boolean {
  switch (row.op) {
    case 'receipt':
      return doc.kind === row.docKind && doc.total === row.total;
    case 'correction':
      return doc.kind === 'correction' && doc.total === row.total;
    case 'open_shift':
      return doc.kind === 'open_shift';
    case 'close_shift':
      return doc.kind === 'close_shift';
    default:
      return false;
  }
}
