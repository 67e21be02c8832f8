/**
 * The closed set of error codes a handler may return. The renderer translates each code;
 * `details` carries the values a message needs (a barcode, a limit).
 */
export const ERROR_CODES = [
  'bad_request',
  'validation',
  'input_too_long',
  'unknown_method',
  'unauthenticated',
  'forbidden',
  'pin_invalid',
  'locked_out',
  'not_found',
  'unknown_barcode',
  'invalid_quantity',
  'invalid_price',
  'invalid_discount',
  'receipt_not_open',
  'receipt_empty',
  'receipt_busy',
  'tender_short',
  'tender_invalid',
  'approval_required',
  'approval_invalid',
  'shift_not_open',
  'shift_already_open',
  'shift_expired',
  'count_invalid',
  'cash_insufficient',
  'no_printer',
  'scale_unavailable',
  'scale_empty',
  'scale_unstable',
  'scale_overload',
  'scale_underload',
  'reason_required',
  'return_exceeds_sale',
  'return_invalid',
  'user_invalid',
  'device_invalid',
  'template_invalid',
  'fiscal_blocked',
  'fiscal_unresolvable',
  'marking_required',
  'marking_invalid',
  'marking_duplicate',
  'marking_pending',
  'marking_rejected',
  'sync_not_enrolled',
  'setting_managed',
  'stock_doc_closed',
  'stock_doc_empty',
  'supplier_invalid',
  'product_invalid',
  'label_no_printer',
  'label_nothing_to_print',
  'import_failed',
  'customer_invalid',
  'coupon_invalid',
  'points_unavailable',
  'customer_erased',
  'storage_full',
  'storage_readonly',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorDetails = Record<string, string | number | boolean | null>;

export interface WireError {
  code: ErrorCode;
  message: string;
  details?: ErrorDetails;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: ErrorDetails,
  ) {
    super(message ?? code);
  }

  toWire(): WireError {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && (ERROR_CODES as readonly string[]).includes(x);
}
