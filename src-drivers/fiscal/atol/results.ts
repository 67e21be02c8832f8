import type { ArchivedDocument, FiscalDocument, FiscalStatus, MarkingCheck, ShiftTotals } from '../registrar.js';
import { bad, bool, fiscalSign, int, minor, obj, optBool, optObj, optTime, str, time, type Obj } from './parse.js';

/**
 * ATOL result payloads → the registrar interface's shapes. Field names as the JSON interface
 * returns them (KKTServiceLib result classes, node-atol-rpc task-result types): fiscalParams
 * {fiscalDocumentNumber, fiscalDocumentSign, fiscalDocumentDateTime, shiftNumber}; deviceStatus
 * {currentDateTime, shift, paperPresent, …}; shiftStatus {number, state, expiredTime}; fnInfo
 * {validityDate, livePhase, warnings}; fnStatus {fiscalDocumentNumber}; ofdExchangeStatus status
 * {notSentCount, notSentFirstDocDateTime}; shiftTotals {income, outcome, receipts {sell, sellReturn
 * {count, sum, payments {cash, electronically, …}}}}; getFnDocument documentTLV keyed by tag.
 */

/** One web-server task's state. 'wait' and 'inProgress' are pending; the rest are final. */
export type TaskState = 'wait' | 'inProgress' | 'ready' | 'error' | 'interrupted' | 'blocked' | 'canceled';
const STATES: readonly TaskState[] = ['wait', 'inProgress', 'ready', 'error', 'interrupted', 'blocked', 'canceled'];

export interface TaskOutcome {
  status: TaskState;
  errorCode: number;
  errorDescription: string | null;
  result: unknown;
}

/**
 * `GET /api/v2/requests/{uuid}` → one outcome per task sent. The error is read in both shapes seen
 * in the wild: `error: {code, description}` (the web server's own JS sample) and flat
 * `errorCode` / `errorDescription`.
 */
export function parseEnvelope(body: unknown, tasks: number): TaskOutcome[] {
  const results = obj(body, 'answer').results;
  if (!Array.isArray(results)) throw bad('results is not an array');
  if (results.length !== tasks) throw bad(`${results.length} results for ${tasks} tasks`);
  return results.map((r: unknown, i): TaskOutcome => {
    const o = obj(r, `results[${i}]`);
    const status = o.status;
    if (typeof status !== 'string' || !(STATES as readonly string[]).includes(status)) throw bad(`results[${i}].status`);
    const nested = optObj(o.error, `results[${i}].error`);
    const codeRaw = nested ? nested.code : o.errorCode;
    const descRaw = nested ? nested.description : o.errorDescription;
    const errorCode = codeRaw === undefined || codeRaw === null ? 0 : int(codeRaw, `results[${i}].errorCode`);
    const errorDescription = typeof descRaw === 'string' ? descRaw.slice(0, 500) : null;
    return { status: status as TaskState, errorCode, errorDescription, result: o.result ?? null };
  });
}

export interface ReceiptResult {
  document: FiscalDocument;
  /** In the ФН, but not (fully) printed: paper ran out; `continuePrint` finishes it. */
  notPrinted: boolean;
}

export function parseFiscalResult(result: unknown, path = 'result'): ReceiptResult {
  const r = obj(result, path);
  const p = obj(r.fiscalParams, `${path}.fiscalParams`);
  const warnings = optObj(r.warnings, `${path}.warnings`);
  return {
    document: {
      number: int(p.fiscalDocumentNumber, `${path}.fiscalParams.fiscalDocumentNumber`, 1),
      fiscalSign: fiscalSign(p.fiscalDocumentSign, `${path}.fiscalParams.fiscalDocumentSign`),
      shiftNumber: int(p.shiftNumber, `${path}.fiscalParams.shiftNumber`),
      at: time(p.fiscalDocumentDateTime, `${path}.fiscalParams.fiscalDocumentDateTime`),
    },
    notPrinted: warnings ? optBool(warnings.notPrinted, `${path}.warnings.notPrinted`) : false,
  };
}

const DAY = 24 * 3_600_000;

function shiftState(v: unknown, path: string): 'opened' | 'expired' | 'closed' {
  if (v === 'opened' || v === 'expired' || v === 'closed') return v;
  throw bad(`${path} is not closed/opened/expired`);
}

/**
 * The five status tasks (STATUS_TASKS order) → FiscalStatus. `waitingContinue`: the driver saw a
 * "not printed" warning and no continuePrint since; the JSON status has no such flag itself.
 *
 * What ATOL's JSON status cannot tell: an open document (a JSON receipt task opens and closes its
 * receipt itself, so `openDocument` stays null and a receipt left open by someone else shows as the
 * next document's `document_open` refusal), and a full archive (fnInfo only warns at 90 %; the
 * refusal `fn_full` comes with the next document). `blocked` is therefore "expired, in
 * post-fiscal mode, or a critical ФН error".
 */
export function parseStatus(results: unknown[], waitingContinue: boolean): FiscalStatus {
  const [devR, shiftR, fnInfoR, fnStatusR, ofdR] = results;
  const dev = obj(obj(devR, 'getDeviceStatus').deviceStatus, 'deviceStatus');
  const shift = obj(obj(shiftR, 'getShiftStatus').shiftStatus, 'shiftStatus');
  const fnInfo = obj(obj(fnInfoR, 'getFnInfo').fnInfo, 'fnInfo');
  const fnStatus = obj(obj(fnStatusR, 'getFnStatus').fnStatus, 'fnStatus');
  const ofd = obj(obj(ofdR, 'ofdExchangeStatus').status, 'ofdExchangeStatus.status');

  const now = time(dev.currentDateTime, 'deviceStatus.currentDateTime');
  const state = shiftState(shift.state ?? dev.shift, 'shiftStatus.state');
  const expiresShift = state === 'closed' ? null : optTime(shift.expiredTime, 'shiftStatus.expiredTime');
  const paper = bool(dev.paperPresent, 'deviceStatus.paperPresent');
  const fnExpires = optTime(fnInfo.validityDate, 'fnInfo.validityDate');
  const warnings = optObj(fnInfo.warnings, 'fnInfo.warnings');
  const phase = fnInfo.livePhase;
  const unsentCount = int(ofd.notSentCount, 'ofdExchangeStatus.status.notSentCount');

  return {
    mode: state === 'opened' ? 'shift_open' : state === 'expired' ? 'shift_expired' : 'shift_closed',
    openDocument: null,
    submode: !paper ? 'paper_out' : waitingContinue ? 'waiting_continue' : 'ok',
    shiftNumber: int(shift.number, 'shiftStatus.number'),
    // ATOL reports when the shift expires; it was opened 24 h before that.
    shiftOpenedAt: expiresShift === null ? null : expiresShift - DAY,
    fn: {
      lastDocumentNumber: int(fnStatus.fiscalDocumentNumber, 'fnStatus.fiscalDocumentNumber'),
      expiresAt: fnExpires,
      unsent: {
        count: unsentCount,
        oldestAt: unsentCount === 0 ? null : optTime(ofd.notSentFirstDocDateTime, 'ofdExchangeStatus.status.notSentFirstDocDateTime'),
      },
      blocked:
        (fnExpires !== null && fnExpires <= now) ||
        phase === 'postFiscalMode' ||
        phase === 'accessArchive' ||
        (warnings !== null && optBool(warnings.criticalError, 'fnInfo.warnings.criticalError')),
    },
  };
}

function countSum(v: unknown, path: string): { count: number; total: number; payments: Obj | null } {
  const o = obj(v, path);
  return { count: int(o.count, `${path}.count`), total: minor(o.sum, `${path}.sum`), payments: optObj(o.payments, `${path}.payments`) };
}

function paid(p: Obj | null, type: string, path: string): number {
  return p === null || p[type] === undefined ? 0 : minor(p[type], `${path}.payments.${type}`);
}

export function parseShiftTotals(result: unknown): ShiftTotals {
  const t = obj(obj(result, 'getShiftTotals').shiftTotals, 'shiftTotals');
  const receipts = obj(t.receipts, 'shiftTotals.receipts');
  const sell = countSum(receipts.sell, 'receipts.sell');
  const ret = countSum(receipts.sellReturn, 'receipts.sellReturn');
  const income = countSum(t.income, 'shiftTotals.income');
  const outcome = countSum(t.outcome, 'shiftTotals.outcome');
  return {
    sales: { count: sell.count, total: sell.total },
    returns: { count: ret.count, total: ret.total },
    cash: paid(sell.payments, 'cash', 'receipts.sell') - paid(ret.payments, 'cash', 'receipts.sellReturn'),
    card: paid(sell.payments, 'electronically', 'receipts.sell') - paid(ret.payments, 'electronically', 'receipts.sellReturn'),
    cashIn: income.total,
    cashOut: outcome.total,
  };
}

const DOC_KIND: Record<string, ArchivedDocument['kind']> = {
  openShift: 'open_shift',
  closeShift: 'close_shift',
  receiptCorrection: 'correction',
  bsoCorrection: 'correction',
};

/** getFnDocument's documentTLV (keys are tag numbers as strings) → ArchivedDocument. */
export function parseFnDocument(result: unknown, expected: number): ArchivedDocument {
  const tlv = obj(obj(result, 'getFnDocument').documentTLV, 'documentTLV');
  const type = str(tlv.fiscalDocumentType, 'documentTLV.fiscalDocumentType');
  const number = int(tlv['1040'], 'documentTLV.1040', 1);
  if (number !== expected) throw bad(`asked for document ${expected}, got ${number}`);
  let kind: ArchivedDocument['kind'] = DOC_KIND[type] ?? 'other';
  let total: number | null = null;
  if (type === 'receipt' || type === 'bso') {
    // Tag 1054: 1 приход, 2 возврат прихода; purchases (3, 4) are not this till's documents.
    const op = tlv['1054'];
    kind = op === 1 ? 'sale' : op === 2 ? 'return' : 'other';
    total = minor(tlv['1020'], 'documentTLV.1020');
  }
  // A correction receipt carries its total (1020) like a receipt; its 1054 says what it corrects.
  if (kind === 'correction') total = minor(tlv['1020'], 'documentTLV.1020');
  return { number, kind, total, fiscalSign: fiscalSign(tlv['1077'], 'documentTLV.1077'), at: time(tlv['1012'], 'documentTLV.1012') };
}

/** beginMarkingCodeValidation → did the ФН accept the code's form (its offline check)? */
export function parseMarkingBegin(result: unknown): boolean {
  const off = obj(obj(result, 'beginMarkingCodeValidation').offlineValidation, 'offlineValidation');
  return bool(off.fmCheckResult, 'offlineValidation.fmCheckResult');
}

export interface MarkingStatus {
  ready: boolean;
  online: MarkingCheck['online'];
}

/**
 * getMarkingCodeValidationStatus. No answer from ОИСМ (a driverError, or no onlineValidation)
 * is `online: null`: the registrar checked locally only.
 */
export function parseMarkingStatus(result: unknown): MarkingStatus {
  const r = obj(result, 'getMarkingCodeValidationStatus');
  const ready = bool(r.ready, 'ready');
  if (!ready) return { ready, online: null };
  const driverError = optObj(r.driverError, 'driverError');
  const online = optObj(r.onlineValidation, 'onlineValidation');
  if ((driverError && driverError.code !== 0 && driverError.code !== undefined) || online === null) return { ready, online: null };
  const answer = online.markOperatorResponseResult;
  const itemStatus = online.markOperatorItemStatus;
  const check = optObj(online.itemInfoCheckResult, 'onlineValidation.itemInfoCheckResult');
  const checked = check === null || (optBool(check.imcCheckResult, 'imcCheckResult') && optBool(check.imcEstimatedStatusCorrect, 'imcEstimatedStatusCorrect'));
  const ok = answer === 'correct' && (itemStatus === undefined || itemStatus === 'itemEstimatedStatusCorrect') && checked;
  const reason = ok ? null : typeof itemStatus === 'string' && itemStatus !== 'itemEstimatedStatusCorrect' ? itemStatus : typeof answer === 'string' ? answer : 'unrecognized';
  return { ready, online: { ok, reason: reason === null ? null : reason.slice(0, 100) } };
}
