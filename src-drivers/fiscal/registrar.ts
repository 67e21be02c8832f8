/**
 * A fiscal registrar (54-ФЗ online cash register: the registrar plus its fiscal storage ФН) in the
 * shape of the UnifiedPOS FiscalPrinter class. Drivers (Shtrih-M over serial/TCP, ATOL through its
 * Driver v10 web server) implement it; the till's fiscal journal and recovery use only this.
 *
 * Money is in minor units (kopecks), quantities in thousandths (1 pc = 1000, 1.234 kg = 1234).
 */

/** VAT rate as the receipt states it (tag 1199). Extracted rates (`vat20_120`) are for prepayments. */
export type FiscalVat =
  | 'vat22'
  | 'vat20'
  | 'vat10'
  | 'vat7'
  | 'vat5'
  | 'vat0'
  | 'none'
  | 'vat22_122'
  | 'vat20_120'
  | 'vat10_110'
  | 'vat7_107'
  | 'vat5_105';

/** Tax system (tag 1055). */
export type TaxSystem = 'osn' | 'usn_income' | 'usn_income_outcome' | 'esn' | 'patent';

/** Payment method (tag 1214). */
export type PaymentMethodTag = 'full_prepayment' | 'prepayment' | 'advance' | 'full_payment' | 'partial_payment' | 'credit' | 'credit_payment';

/** Subject of the calculation (tag 1212); `marked_commodity` for goods with a marking code (ФФД 1.2). */
export type SubjectTag = 'commodity' | 'excise' | 'job' | 'service' | 'marked_commodity';

/** Measure of quantity (tag 2108). */
export type MeasureUnit = 'pcs' | 'kg' | 'l';

export interface FiscalLine {
  name: string;
  /** Thousandths of `unit`. */
  qty: number;
  unit: MeasureUnit;
  /** Price per unit after the line's discount is spread (what the registrar multiplies), minor units. */
  price: number;
  /** The line's amount, minor units: what the registrar must print for it (it may differ from price × qty by rounding). */
  amount: number;
  vat: FiscalVat;
  subject: SubjectTag;
  paymentMethod: PaymentMethodTag;
  /** The marking code (DataMatrix, GS as \u001d) for a marked item: one unit per line. */
  markingCode?: string;
  /**
   * Industry requisite of the item (tag 1260: 1262 ФОИВ id, 1263 document date, 1264 document number,
   * 1265 value). For marked goods under the permit regime (разрешительный режим) it carries the
   * permit check's answer: `{ foiv: '030', date: '21.11.2023', number: '1944', value: 'UUID=…&Time=…' }`.
   */
  industry?: IndustryRequisite;
}

/** Tag 1260 (отраслевой реквизит предмета расчёта). `date` is DD.MM.YYYY as the ФНС order prints it. */
export interface IndustryRequisite {
  foiv: string;
  date: string;
  number: string;
  value: string;
}

/** Tag 1173/1174: what a correction receipt corrects. */
export interface FiscalCorrection {
  /** Tag 1173: 'self' (самостоятельно, 0) or 'instruction' (по предписанию налогового органа, 1). */
  type: 'self' | 'instruction';
  /** Tag 1178: the date of the settlement being corrected (epoch ms; the registrar keeps the date only). */
  baseDate: number;
  /** Tag 1179: the tax authority's instruction number; required for 'instruction', may be empty for 'self'. */
  baseNumber: string;
}

export type FiscalPaymentType = 'cash' | 'card' | 'prepaid' | 'credit' | 'other';

export interface FiscalReceipt {
  /** Tag 1054: sale = приход, return = возврат прихода. */
  kind: 'sale' | 'return';
  lines: FiscalLine[];
  payments: { type: FiscalPaymentType; amount: number }[];
  taxSystem: TaxSystem;
  cashier: { name: string; inn?: string };
  /** Customer's phone or e-mail for an electronic copy (tag 1008), optional. */
  customerContact?: string;
  /**
   * Present for a correction receipt (кассовый чек коррекции, ФФД 1.2): the same lines and payments
   * as the settlement that was not registered in time, with the correction's type and basis.
   * `kind` stays the settlement's (sale → приход коррекция, return → возврат прихода коррекция).
   */
  correction?: FiscalCorrection;
}

export type RegistrarMode = 'shift_open' | 'shift_expired' | 'shift_closed' | 'document_open' | 'other';
export type RegistrarSubmode = 'ok' | 'paper_out' | 'waiting_continue' | 'printing';

export interface FiscalStatus {
  mode: RegistrarMode;
  /** With mode document_open: what kind of document is open. */
  openDocument: 'sale' | 'return' | 'other' | null;
  submode: RegistrarSubmode;
  shiftNumber: number;
  /** When the open shift was opened (registrar's clock, epoch ms); null when no shift is open or unknown. */
  shiftOpenedAt: number | null;
  fn: {
    /** The number of the last fiscal document the ФН registered. */
    lastDocumentNumber: number;
    /** When the ФН stops accepting documents (its validity end), epoch ms; null if unknown. */
    expiresAt: number | null;
    /** Documents not yet confirmed by the ОФД, and when the oldest was made (the ФН blocks after 30 days). */
    unsent: { count: number; oldestAt: number | null };
    /** The ФН is full, expired or out of resource: nothing more can be fiscalized. */
    blocked: boolean;
  };
}

/** A fiscal document the ФН registered. */
export interface FiscalDocument {
  /** ФД number. */
  number: number;
  /** ФПД (fiscal sign), as the receipt prints it (decimal digits). */
  fiscalSign: string;
  shiftNumber: number;
  at: number;
}

export interface ShiftTotals {
  sales: { count: number; total: number };
  returns: { count: number; total: number };
  /** By payment type, sales minus returns. */
  cash: number;
  card: number;
  cashIn: number;
  cashOut: number;
}

/** What the archive says about one document (for recovery: was the receipt fiscalized, and is it the same one?). */
export interface ArchivedDocument {
  number: number;
  kind: 'sale' | 'return' | 'open_shift' | 'close_shift' | 'correction' | 'other';
  /** The receipt total for receipts; null for other documents. */
  total: number | null;
  fiscalSign: string;
  at: number;
}

/** The registrar's own check of a marking code before the line is added (Shtrih FF61/FF69/FF67, ATOL beginMarkingCodeValidation). */
export interface MarkingCheck {
  /** The code is well-formed and the ФН accepted it for checking. */
  accepted: boolean;
  /** The online permit check (ОИСМ) answered; null when offline (the registrar checked locally only). */
  online: { ok: boolean; reason: string | null } | null;
}

export type FiscalErrorCode =
  | 'offline'
  | 'timeout'
  | 'protocol'
  | 'busy'
  | 'password'
  | 'unsupported'
  | 'shift_not_open'
  | 'shift_expired'
  | 'shift_already_open'
  | 'document_open'
  | 'paper_out'
  | 'waiting_continue'
  | 'fn_expired'
  | 'fn_full'
  | 'fn_resource'
  | 'ofd_overdue'
  | 'marking_invalid'
  | 'bad_data'
  | 'other';

/**
 * A registrar's refusal or a link fault. `blocking`: selling must stop until the cause is dealt with
 * (ФН expired, shift over 24 h); otherwise the operation may be retried. `deviceCode` is the
 * registrar's own error code, for the log and support.
 */
export class FiscalError extends Error {
  override readonly name = 'FiscalError';
  constructor(
    readonly code: FiscalErrorCode,
    message: string,
    readonly blocking = false,
    readonly deviceCode: number | null = null,
  ) {
    super(message);
  }
}

export interface FiscalRegistrar {
  status(): Promise<FiscalStatus>;
  openShift(cashier: { name: string; inn?: string }): Promise<FiscalDocument>;
  /** Z report: closes the shift; the registrar's own totals for it. */
  closeShift(cashier: { name: string; inn?: string }): Promise<FiscalDocument & { totals: ShiftTotals }>;
  /** X report: the open shift's totals so far, printed; no document in the ФН. */
  xReport(): Promise<ShiftTotals>;
  /**
   * Register a receipt (or, with `correction`, a correction receipt): open, lines, payments, close.
   * Resolves with the document once the ФН holds it. In the archive a correction is kind `correction`.
   */
  receipt(r: FiscalReceipt): Promise<FiscalDocument>;
  cashIn(amount: number): Promise<void>;
  cashOut(amount: number): Promise<void>;
  /** Cancel a document left open (a crash mid-receipt). */
  cancelDocument(): Promise<void>;
  /** Go on printing after paper was restored (Shtrih B0). */
  continuePrinting(): Promise<void>;
  /** A document from the ФН archive by its number; null when there is none. */
  findDocument(number: number): Promise<ArchivedDocument | null>;
  checkMarkingCode(code: string, line: { qty: number; unit: MeasureUnit }): Promise<MarkingCheck>;
  dispose(): void;
}
