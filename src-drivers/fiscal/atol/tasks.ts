import type {
  FiscalLine,
  FiscalPaymentType,
  FiscalReceipt,
  FiscalVat,
  MeasureUnit,
  PaymentMethodTag,
  SubjectTag,
  TaxSystem,
} from '../registrar.js';
import { ddmmyyyyToAtol, formatAtolDate, toRoubles, toUnits } from './units.js';

/**
 * FiscalReceipt and friends → ATOL Driver v10 JSON tasks. Pure; no I/O.
 *
 * Names checked (2026-11) against two open-source clients of the same JSON interface:
 * ExLuzZziVo/KKTServiceLib (C#, "documentation 10.10.7.0": enums serialised camelCase) and
 * pbardov/node-atol-rpc (TypeScript, its own JSON schemas). Task types: sell, sellReturn,
 * openShift, closeShift, reportX, cashIn/cashOut (field `cashSum`), continuePrint, getDeviceStatus,
 * getShiftStatus, getShiftTotals, getFnInfo, getFnStatus, ofdExchangeStatus, getFnDocument
 * (`fiscalDocumentNumber`), beginMarkingCodeValidation (`params`), getMarkingCodeValidationStatus,
 * acceptMarkingCode, declineMarkingCode, cancelMarkingCodeValidation; correction receipts
 * sellCorrection / sellReturnCorrection with correctionType ('self' | 'instruction'),
 * correctionBaseDate ("YYYY.MM.DD"), correctionBaseNumber (KKTServiceLib CorrectionReceiptType,
 * CreateCorrectionReceiptOperation; node-atol-rpc src/types/correction.task.ts and its JSON schema).
 * NOT found in either client's task list: `cancelReceipt` (see CANCEL_RECEIPT_TASK).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export interface AtolTask {
  type: string;
  [key: string]: Json;
}

/**
 * Tax types (tag 1199). vat22 / vat122 are the 2026 names: node-atol-rpc added them in commit
 * d47e5f5 (2026-02-28, "add VAT 5/7/22 tax types", src/types/tax.ts: none, vat0, vat5, vat7,
 * vat10, vat20, vat22, vat105, vat107, vat110, vat120, vat122), and a 1C client of the same JSON
 * interface maps 22 % to "vat22" and 22/122 to "vat122". KKTServiceLib (driver docs 10.10.7.0)
 * stops at vat5/vat7/vat105/vat107, so a driver older than the 2026 update will refuse vat22:
 * that refusal is the registrar's (bad_data), not something to paper over here.
 */
export const ATOL_TAX: Record<FiscalVat, string> = {
  vat22: 'vat22',
  vat20: 'vat20',
  vat10: 'vat10',
  vat7: 'vat7',
  vat5: 'vat5',
  vat0: 'vat0',
  none: 'none',
  vat22_122: 'vat122',
  vat20_120: 'vat120',
  vat10_110: 'vat110',
  vat7_107: 'vat107',
  vat5_105: 'vat105',
};

/** Tag 1055 (KKTServiceLib TaxationType, camelCase). */
export const ATOL_TAXATION: Record<TaxSystem, string> = {
  osn: 'osn',
  usn_income: 'usnIncome',
  usn_income_outcome: 'usnIncomeOutcome',
  esn: 'esn',
  patent: 'patent',
};

/** Tag 1214 (KKTServiceLib PaymentMethodType). */
export const ATOL_PAYMENT_METHOD: Record<PaymentMethodTag, string> = {
  full_prepayment: 'fullPrepayment',
  prepayment: 'prepayment',
  advance: 'advance',
  full_payment: 'fullPayment',
  partial_payment: 'partialPayment',
  credit: 'credit',
  credit_payment: 'creditPayment',
};

/** Tag 1212 (KKTServiceLib PaymentObjectType: Commodity = 1 … CommodityWithMarking = 33, ФФД 1.2). */
export const ATOL_PAYMENT_OBJECT: Record<SubjectTag, string> = {
  commodity: 'commodity',
  excise: 'excise',
  job: 'job',
  service: 'service',
  marked_commodity: 'commodityWithMarking',
};

/** Tag 2108 (KKTServiceLib ItemUnitType: Piece = 0, Kilogram = 11, Liter = 41). */
export const ATOL_UNIT: Record<MeasureUnit, string> = { pcs: 'piece', kg: 'kilogram', l: 'liter' };

/** Payment types; 'card' is ATOL's "electronically" (безналичными). */
export const ATOL_PAYMENT: Record<FiscalPaymentType, string> = {
  cash: 'cash',
  card: 'electronically',
  prepaid: 'prepaid',
  credit: 'credit',
  other: 'other',
};

/**
 * Planned status of a marked item (tag 2003, KKTServiceLib ItemEstimatedStatus): a piece sold (1),
 * a measured item in sale (2), returns (3, 4). Weighed marked goods use the "measured" statuses.
 */
export function itemEstimatedStatus(kind: 'sale' | 'return', unit: MeasureUnit): string {
  const piece = unit === 'pcs';
  if (kind === 'sale') return piece ? 'itemPieceSold' : 'itemDryForSale';
  return piece ? 'itemPieceReturn' : 'itemDryReturn';
}

/** The marking code travels base64-encoded (`imc`), so the GS separators survive JSON intact. */
export function imcOf(code: string): string {
  return Buffer.from(code, 'utf8').toString('base64');
}

function operator(cashier: { name: string; inn?: string }): Json {
  return cashier.inn ? { name: cashier.name, vatin: cashier.inn } : { name: cashier.name };
}

function position(line: FiscalLine, kind: 'sale' | 'return'): Json {
  const p: { [key: string]: Json } = {
    type: 'position',
    name: line.name,
    price: toRoubles(line.price),
    quantity: toUnits(line.qty),
    amount: toRoubles(line.amount),
    measurementUnit: ATOL_UNIT[line.unit],
    paymentMethod: ATOL_PAYMENT_METHOD[line.paymentMethod],
    paymentObject: ATOL_PAYMENT_OBJECT[line.subject],
    tax: { type: ATOL_TAX[line.vat] },
  };
  if (line.industry !== undefined) {
    // Tag 1260. An array in KKTServiceLib (PositionDocumentParams_12.IndustryInfo, items of
    // IndustryRequisiteParams {fois, date "yyyy.MM.dd", number, industryAttribute}); node-atol-rpc
    // types it as a single object (src/types/industry-info.ts). The array is used: UNVERIFIED
    // against a real driver which of the two it accepts.
    const i = line.industry;
    p.industryInfo = [{ fois: i.foiv, date: ddmmyyyyToAtol(i.date), number: i.number, industryAttribute: i.value }];
  }
  if (line.markingCode !== undefined) {
    // ФФД 1.2: the code goes as imcParams (the `markingCode {type, mark}` object is the ФФД 1.05
    // form); imcModeProcessing 0 and the same planned status the code was checked with.
    p.imcParams = {
      imcType: 'auto',
      imc: imcOf(line.markingCode),
      itemEstimatedStatus: itemEstimatedStatus(kind, line.unit),
      imcModeProcessing: 0,
    };
  }
  return p;
}

/** Task types: a receipt, or with `correction` the correction receipt of the same settlement kind. */
export const RECEIPT_TASK = { sale: 'sell', return: 'sellReturn' } as const;
export const CORRECTION_TASK = { sale: 'sellCorrection', return: 'sellReturnCorrection' } as const;

export function receiptTask(r: FiscalReceipt): AtolTask {
  const task: AtolTask = {
    type: r.correction ? CORRECTION_TASK[r.kind] : RECEIPT_TASK[r.kind],
    taxationType: ATOL_TAXATION[r.taxSystem],
    operator: operator(r.cashier),
    items: r.lines.map((l) => position(l, r.kind)),
    payments: r.payments.map((p) => ({ type: ATOL_PAYMENT[p.type], sum: toRoubles(p.amount) })),
  };
  if (r.correction) {
    // Tag 1178 is the corrected settlement's day (Moscow time, as the registrar's clock keeps it).
    task.correctionType = r.correction.type;
    task.correctionBaseDate = formatAtolDate(r.correction.baseDate);
    if (r.correction.baseNumber !== '') task.correctionBaseNumber = r.correction.baseNumber;
  }
  if (r.customerContact) task.clientInfo = { emailOrPhone: r.customerContact };
  return task;
}

export const shiftTask = (type: 'openShift' | 'closeShift', cashier: { name: string; inn?: string }): AtolTask => ({
  type,
  operator: operator(cashier),
});

export const cashTask = (type: 'cashIn' | 'cashOut', amount: number): AtolTask => ({ type, cashSum: toRoubles(amount) });

export const fnDocumentTask = (n: number): AtolTask => ({ type: 'getFnDocument', fiscalDocumentNumber: n });

export function beginMarkingTask(code: string, line: { qty: number; unit: MeasureUnit }, kind: 'sale' | 'return' = 'sale'): AtolTask {
  return {
    type: 'beginMarkingCodeValidation',
    params: {
      imcType: 'auto',
      imc: imcOf(code),
      itemEstimatedStatus: itemEstimatedStatus(kind, line.unit),
      imcModeProcessing: 0,
      itemQuantity: toUnits(line.qty),
      itemUnits: ATOL_UNIT[line.unit],
    },
  };
}

/**
 * Not in the public clients' task lists (KKTServiceLib, node-atol-rpc): the JSON receipt tasks are
 * atomic (the driver opens, fills and closes the receipt and cancels it itself on error), so the
 * only open receipt is one another program or a power cut left behind. The name follows libfptr's
 * cancelReceipt(); an older driver answers "not supported", which maps to `unsupported`.
 */
export const CANCEL_RECEIPT_TASK = 'cancelReceipt';

export const STATUS_TASKS: AtolTask[] = [
  { type: 'getDeviceStatus' },
  { type: 'getShiftStatus' },
  { type: 'getFnInfo' },
  { type: 'getFnStatus' },
  { type: 'ofdExchangeStatus' },
];
