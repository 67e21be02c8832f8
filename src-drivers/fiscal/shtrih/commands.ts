import { encodeText } from '../../escpos/codepage.js';
import { asciiBytes, fromText1251, le, NOT_GIVEN_5, readFnDate, readFnDateTime, readLe, text1251 } from './bytes.js';

/**
 * Shtrih-M commands the driver uses, request encoders and answer decoders (pure). Byte layouts
 * checked against: pyshtrih handlers/commands.py (10, 11, 40, 41, 50, 51, 88, B0, E0, FF01, FF03,
 * FF0A, FF39, FF3F, FF40; 8D open_check), the vendor's JavaPOS driver shtrih-m/javapos_shtrih
 * (8D OpenReceipt, FF45 FSCloseReceipt, FF46 FSPrintRecItem, FF61 FSCheckMC, FF67 FSBindMC, FF69 FSAcceptMC, FF0A
 * FSFindDocument/FSDocument, 1A ReadCashRegister, register names in CashRegister/OperationRegister),
 * and re-star-ru/shtrih-m-driver commands.go (FF46 = 160 bytes, FF45 = 182 bytes with the frame
 * code). Where a layout rests on one source only it says so.
 */
export const CMD = {
  SHORT_STATUS: 0x10,
  FULL_STATUS: 0x11,
  MONEY_REGISTER: 0x1a,
  OPERATION_REGISTER: 0x1b,
  X_REPORT: 0x40,
  Z_REPORT: 0x41,
  CASH_IN: 0x50,
  CASH_OUT: 0x51,
  CANCEL_CHECK: 0x88,
  OPEN_CHECK: 0x8d,
  CONTINUE_PRINTING: 0xb0,
  OPEN_SHIFT: 0xe0,
  FN_STATUS: 0xff01,
  FN_EXPIRY: 0xff03,
  FN_FIND_DOCUMENT: 0xff0a,
  FN_WRITE_TLV: 0xff0c,
  FN_OFD_STATUS: 0xff39,
  FN_UNCONFIRMED_COUNT: 0xff3f,
  FN_SHIFT_PARAMS: 0xff40,
  FN_CLOSE_CHECK_V2: 0xff45,
  FN_OPERATION_V2: 0xff46,
  /**
   * TLV bound to the last operation (tag 2108 measure, tag 1260 industry requisite): password, then
   * the TLV. Layout from afilippov1985/kkt-shtrih src/Request/FNSendTLVOperation.php and
   * VitalyKravtsov2016/opos Setup/Commands.xml ("FS write operation TLV data"); sent after the
   * line's FF46, as javapos FSSalesReceipt.printReceiptItem does (some models want it before).
   */
  FN_OPERATION_TLV: 0xff4d,
  MC_CHECK: 0xff61,
  MC_BIND: 0xff67,
  MC_ACCEPT: 0xff69,
} as const;

/**
 * Registers read for shift totals (names from the vendor's CashRegister/OperationRegister tables):
 * money 0x79 + 4·(dept-1) sales in the department in the shift, + 2 its returns; C1/C3 cash
 * payments of sales/returns; C5/C7 payment type 2 (card) of sales/returns; F2/F3 cash in/out.
 * Operation registers 144/146: sales/return receipts in the shift.
 */
export const MONEY_REG = { CASH_SALES: 0xc1, CASH_RETURNS: 0xc3, CARD_SALES: 0xc5, CARD_RETURNS: 0xc7, CASH_IN: 0xf2, CASH_OUT: 0xf3 } as const;
export const OP_REG = { SALES_COUNT: 144, RETURNS_COUNT: 146 } as const;
export const deptSalesRegister = (dept: number): number => 0x79 + 4 * (dept - 1);
export const deptReturnsRegister = (dept: number): number => 0x7b + 4 * (dept - 1);

/** Tag-2003-style FF45 payment slots: 1 cash, 2-13 "electronic", 14 prepayment, 15 credit, 16 counter-provision. */
export const PAYMENT_SLOT = { cash: 1, card: 2, prepaid: 14, credit: 15, other: 16 } as const;

/**
 * FF0A document types: the ФФД form codes (1 registration, 2 shift opened, 3 receipt, 4 БСО,
 * 5 shift closed, 6 ФН closed, 31 correction receipt), as afilippov1985/kkt-shtrih decodes the
 * answer (src/Response/FNFindDocument.php: a correction carries tag 1054 and the total like a
 * receipt). 0x14 is the "current document" code FF01 gives an open correction (pyshtrih
 * handle_fs_current_document, javapos FSDocType): read as a correction too, in case some firmware
 * answers FF0A with it (UNVERIFIED on real firmware). CLOSE_FN 16 is the FF01 code as well.
 */
export const FN_DOC = { REGISTRATION: 1, OPEN_SHIFT: 2, RECEIPT: 3, BSO: 4, CLOSE_SHIFT: 5, CLOSE_FN: 16, CORRECTION: 31, CORRECTION_FF01: 0x14 } as const;

/**
 * 8D "open check" receipt types: 0 sale, 2 return of sale; with 0x80 the check is a correction
 * receipt (ФФД 1.2: lines and payments like a receipt). From the vendor's JavaPOS driver:
 * PrinterConst SMFP_RECTYPE_CORRECTION_SALE 0x80 / _RETSALE 0x82, sent by FSSalesReceipt.openReceipt
 * through SMFiscalPrinterImpl.openReceipt (OpenReceipt, 8D); its lines are the usual FF46 sale /
 * return operations. FF35 "start correction receipt" (then FF36/FF4A) is the ФФД 1.05 sum-only form.
 */
export const CHECK_TYPE = { sale: 0, return: 2 } as const;
export const CORRECTION_CHECK = 0x80;

export const pw = (password: number): number[] => le(password, 4);

export const registerRequest = (password: number, register: number): number[] => [...pw(password), register];

export const cashMoveRequest = (password: number, amount: number): number[] => [...pw(password), ...le(amount, 5)];

export const findDocumentRequest = (password: number, number: number): number[] => [...pw(password), ...le(number, 4)];

export const openCheckRequest = (password: number, type: number): number[] => [...pw(password), type];

export interface OperationV2 {
  /** Tag 1054: 1 sale, 2 return of sale. */
  type: number;
  /** Quantity in millionths (6 decimals). */
  qtyMillionths: number;
  price: number;
  amount: number;
  /** The FF46 tax byte (see vat.ts). */
  taxByte: number;
  department: number;
  paymentMethod: number;
  subject: number;
  name: string;
}

export function operationV2Request(password: number, op: OperationV2): number[] {
  return [
    ...pw(password),
    op.type,
    ...le(op.qtyMillionths, 6),
    ...le(op.price, 5),
    ...le(op.amount, 5),
    ...NOT_GIVEN_5,
    op.taxByte,
    op.department,
    op.paymentMethod,
    op.subject,
    ...text1251(op.name, 128),
  ];
}

export interface CloseV2 {
  /** 16 payment sums by slot (index 0 = slot 1, cash). */
  payments: number[];
  taxSystemBit: number;
}

export function closeV2Request(password: number, c: CloseV2): number[] {
  const sums: number[] = [];
  for (let i = 0; i < 16; i++) sums.push(...le(c.payments[i] ?? 0, 5));
  const taxes = new Array<number>(30).fill(0); // tax mode 0: the registrar computes taxes itself
  const text = new Array<number>(64).fill(0);
  return [...pw(password), ...sums, 0 /* rounding */, ...taxes, c.taxSystemBit, ...text];
}

/** One TLV as the ФН stores it: tag and length 2 bytes LE, strings in CP866. */
export function tlv(tag: number, value: number[]): number[] {
  return [...le(tag, 2), ...le(value.length, 2), ...value];
}

export const tlvString = (tag: number, s: string, max: number): number[] => tlv(tag, Array.from(encodeText(s, 'cp866').subarray(0, max)));

export const writeTlvRequest = (password: number, tlvBytes: number[]): number[] => [...pw(password), ...tlvBytes];

/** An STLV: a TLV whose value is other TLVs, one after another (afilippov1985/kkt-shtrih src/STLV.php). */
export const stlv = (tag: number, inner: number[][]): number[] => tlv(tag, inner.flat());

/**
 * Tags 1173 and 1174 of a correction receipt, for FF0C after the check is opened. 1178 is a
 * UnixTime of the corrected day's midnight read as UTC, the form the vendor's sample writes
 * (javapos_shtrih tinyJavaPosTester correctioncheck/Parameters.getCorrectionBaseDate); 1179 is
 * left out when empty (a self-initiated correction has no instruction).
 */
export function correctionTlv(c: { type: number; day: { year: number; month: number; day: number }; baseNumber: string }): number[] {
  const seconds = Date.UTC(c.day.year, c.day.month - 1, c.day.day) / 1000;
  const basis = [tlv(1178, le(seconds, 4))];
  if (c.baseNumber !== '') basis.push(tlvString(1179, c.baseNumber, 32));
  return [...tlv(1173, [c.type]), ...stlv(1174, basis)];
}

/** Tag 1260 (1262 ФОИВ, 1263 date, 1264 number, 1265 value), for FF4D after the line's FF46. */
export function industryTlv(r: { foiv: string; date: string; number: string; value: string }): number[] {
  return stlv(1260, [tlvString(1262, r.foiv, 3), tlvString(1263, r.date, 10), tlvString(1264, r.number, 32), tlvString(1265, r.value, 256)]);
}

/** FF61: planned status (tag 2003), processing mode 0, code length, TLV length, code, TLV. */
export function markingCheckRequest(password: number, code: string, status: number, extraTlv: number[]): number[] {
  const bytes = asciiBytes(code);
  return [...pw(password), status, 0, bytes.length, extraTlv.length, ...bytes, ...extraTlv];
}

export const markingAcceptRequest = (password: number, accept: boolean): number[] => [...pw(password), accept ? 1 : 0];

export function markingBindRequest(password: number, code: string): number[] {
  const bytes = asciiBytes(code);
  return [...pw(password), bytes.length, ...bytes];
}

/** Tag 1023 (quantity) as FVLN: decimal point position, then the integer LE (shortest). */
export function fvln(value: number, decimals: number): number[] {
  const out = [decimals];
  let v = value;
  do {
    out.push(v % 256);
    v = Math.floor(v / 256);
  } while (v > 0);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Answer decoders. Each takes the answer's data (after the error byte) and returns null when it is
// too short to be that answer: the driver treats that as an unreadable answer.

export interface ShortStatus {
  operator: number;
  flags: number;
  /** Low nibble of the mode byte: 2 shift open, 3 shift over 24 h, 4 closed, 8 document open, … */
  mode: number;
  /** High nibble: with mode 8, 0 sale, 1 purchase, 2 return of sale, 3 return of purchase. */
  modeStatus: number;
  /** 0 paper OK, 1/2 no paper (passive/active), 3 waiting for B0, 4/5 printing. */
  submode: number;
}

export function decodeShortStatus(d: Uint8Array): ShortStatus | null {
  if (d.length < 5) return null;
  const modeByte = d[3] ?? 0;
  return { operator: d[0] ?? 0, flags: readLe(d, 1, 2) ?? 0, mode: modeByte & 0x0f, modeStatus: modeByte >> 4, submode: d[4] ?? 0 };
}

export interface FullStatus {
  mode: number;
  modeStatus: number;
  submode: number;
  /** The registrar's clock. */
  at: number | null;
  lastClosedShift: number;
}

export function decodeFullStatus(d: Uint8Array, tz: number): FullStatus | null {
  if (d.length < 36) return null;
  const modeByte = d[13] ?? 0;
  const [dd, mo, yy, hh, mi, ss] = Array.from(d.subarray(23, 29)) as [number, number, number, number, number, number];
  const valid = mo >= 1 && mo <= 12 && dd >= 1 && dd <= 31 && hh < 24 && mi < 60 && ss < 60;
  const at = valid ? Date.UTC(2000 + yy, mo - 1, dd, hh, mi, ss) - tz * 60_000 : null;
  return { mode: modeByte & 0x0f, modeStatus: modeByte >> 4, submode: d[14] ?? 0, at, lastClosedShift: readLe(d, 34, 2) ?? 0 };
}

export interface FnStatus {
  /** Bit set: 1 set up, 2 fiscal mode open, 4 fiscal mode closed, 8 archive read out. */
  lifeState: number;
  currentDocument: number;
  shiftOpen: boolean;
  /** 1 replace in 3 days, 2 resource in 30 days, 4 memory 90 % full, 8 ОФД answer overdue, 0x80 critical. */
  warnings: number;
  at: number | null;
  fnNumber: string;
  lastDocumentNumber: number;
}

export function decodeFnStatus(d: Uint8Array, tz: number): FnStatus | null {
  const last = readLe(d, 26, 4);
  if (last === null) return null;
  return {
    lifeState: d[0] ?? 0,
    currentDocument: d[1] ?? 0,
    shiftOpen: d[3] === 1,
    warnings: d[4] ?? 0,
    at: readFnDateTime(d, 5, tz),
    fnNumber: String.fromCharCode(...d.subarray(10, 26)).replace(/\0+$/, ''),
    lastDocumentNumber: last,
  };
}

export const decodeFnExpiry = (d: Uint8Array, tz: number): { expiresAt: number | null } | null => (d.length < 3 ? null : { expiresAt: readFnDate(d, 0, tz) });

export interface OfdStatus {
  unsent: number;
  firstDocument: number;
  oldestAt: number | null;
}

export function decodeOfdStatus(d: Uint8Array, tz: number): OfdStatus | null {
  const unsent = readLe(d, 2, 2);
  const first = readLe(d, 4, 4);
  if (unsent === null || first === null) return null;
  return { unsent, firstDocument: first, oldestAt: unsent > 0 ? readFnDateTime(d, 8, tz) : null };
}

export const decodeUnconfirmedCount = (d: Uint8Array): number | null => readLe(d, 0, 2);

export function decodeShiftParams(d: Uint8Array): { open: boolean; shiftNumber: number; receiptNumber: number } | null {
  const receipt = readLe(d, 3, 2);
  if (receipt === null) return null;
  return { open: d[0] === 1, shiftNumber: readLe(d, 1, 2) ?? 0, receiptNumber: receipt };
}

export interface CloseAnswer {
  change: number;
  documentNumber: number;
  fiscalSign: number;
  at: number | null;
}

export function decodeCloseV2(d: Uint8Array, tz: number): CloseAnswer | null {
  const change = readLe(d, 0, 5);
  const num = readLe(d, 5, 4);
  const sign = readLe(d, 9, 4);
  if (change === null || num === null || sign === null) return null;
  return { change, documentNumber: num, fiscalSign: sign, at: readFnDateTime(d, 13, tz) };
}

export interface FoundDocument {
  type: number;
  ofdTicket: boolean;
  at: number | null;
  number: number;
  fiscalSign: number;
  /** Receipts: tag 1054 and the total. */
  operation: number | null;
  total: number | null;
  /** Shift reports: the shift number. */
  shiftNumber: number | null;
}

export function decodeFoundDocument(d: Uint8Array, tz: number): FoundDocument | null {
  const num = readLe(d, 7, 4);
  const sign = readLe(d, 11, 4);
  if (num === null || sign === null) return null;
  const type = d[0] ?? 0;
  const receipt = type === FN_DOC.RECEIPT || type === FN_DOC.BSO || type === FN_DOC.CORRECTION || type === FN_DOC.CORRECTION_FF01;
  const shift = type === FN_DOC.OPEN_SHIFT || type === FN_DOC.CLOSE_SHIFT;
  return {
    type,
    ofdTicket: d[1] === 1,
    at: readFnDateTime(d, 2, tz),
    number: num,
    fiscalSign: sign,
    operation: receipt ? (d[15] ?? null) : null,
    total: receipt ? readLe(d, 16, 5) : null,
    shiftNumber: shift ? readLe(d, 15, 2) : null,
  };
}

export const decodeMoneyRegister = (d: Uint8Array): number | null => readLe(d, 1, 6);
export const decodeOperationRegister = (d: Uint8Array): number | null => readLe(d, 1, 2);

export interface MarkingCheckAnswer {
  /** Tag 2106-style bits of the ФН's own check: 1 checked, 2 result positive. */
  localStatus: number;
  /** 0 checked; 1 not checkable type; 2 no key; 3 GS1 91/92 missing or malformed; 4 other. */
  localError: number;
  codeType: number;
  /** The online (ОИСМ) answer, when the registrar had one. */
  server: { status: number; error: number } | null;
}

export function decodeMarkingCheck(d: Uint8Array): MarkingCheckAnswer | null {
  if (d.length < 4) return null;
  const paramLen = d[3] ?? 0;
  const server = paramLen >= 2 && d.length >= 6 ? { status: d[4] ?? 0, error: d[5] ?? 0 } : null;
  return { localStatus: d[0] ?? 0, localError: d[1] ?? 0, codeType: d[2] ?? 0, server };
}

export const decodeName = fromText1251;
