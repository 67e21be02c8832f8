import type { ErrorDetails } from '../../src-common/errors.js';

/**
 * Why a whole file cannot be read. The UI translates the code; `details` carries what the message
 * needs (a limit, the detected encoding, the sheets that do exist).
 */
export const FILE_ERROR_CODES = [
  /** Truncated or corrupt: a zip without its directory, XML cut off, a CSV quote never closed. */
  'file_damaged',
  /** Text in an encoding we do not read (UTF-16, UTF-32, an unknown XML encoding). */
  'file_encoding',
  /** Over the byte, row or unpacked-size cap. */
  'file_too_large',
  /** Not a format we read: binary, old .xls, .ods, not CommerceML, XML with a DOCTYPE. */
  'file_format',
  /** Nothing in it. */
  'file_empty',
  /** The named sheet is not in the workbook (`details.available`). */
  'sheet_not_found',
  /** The chosen CommerceML price type is not in offers.xml, or several exist and none was chosen. */
  'price_type_unknown',
  /** The upload is not known here (expired, or the till restarted): choose the file again. */
  'upload_missing',
  /** The file is still being uploaded or read. */
  'upload_incomplete',
] as const;

export type FileErrorCode = (typeof FILE_ERROR_CODES)[number];

export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';
  constructor(
    readonly code: FileErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }

  toWire(): { code: FileErrorCode; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** What a row of an import can map to. */
export const IMPORT_FIELDS = ['name', 'barcode', 'price', 'cost', 'vat', 'sku', 'unit', 'group', 'qty'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Why one row (or one CommerceML item) was refused. Only that row is left out. */
export const ROW_ISSUE_CODES = [
  'cell_too_long',
  /** CSV: a record the parser could not make sense of (a stray quote); `details.reason` has the parser's code. */
  'row_malformed',
  'name_missing',
  'name_too_long',
  'barcode_missing',
  'barcode_invalid',
  'barcode_check_digit',
  'barcode_duplicate',
  'too_many_barcodes',
  'price_missing',
  'price_invalid',
  'price_negative',
  'cost_missing',
  'cost_invalid',
  'cost_negative',
  'vat_missing',
  'vat_unknown',
  'sku_missing',
  'sku_too_long',
  'sku_duplicate',
  'unit_missing',
  'unit_unknown',
  'group_missing',
  'group_too_long',
  'qty_missing',
  'qty_invalid',
  'qty_negative',
  /** CommerceML: an offer whose product is neither in import.xml nor described by the offer itself. */
  'product_unknown',
  /** CommerceML: a second item with the same Ид. */
  'id_duplicate',
] as const;

export type RowIssueCode = (typeof ROW_ISSUE_CODES)[number];

/** The issue for a required field left empty. */
export const MISSING_CODE: Record<ImportField, RowIssueCode> = {
  name: 'name_missing',
  barcode: 'barcode_missing',
  price: 'price_missing',
  cost: 'cost_missing',
  vat: 'vat_missing',
  sku: 'sku_missing',
  unit: 'unit_missing',
  group: 'group_missing',
  qty: 'qty_missing',
};


export interface ImportIssue {
  code: RowIssueCode;
  /** 1-based: the spreadsheet row (CSV: the line the record ends on), or the line of the XML element. */
  row: number;
  /** 1-based column of the cell at fault; null for XML and for whole-row problems. */
  column: number | null;
  field: ImportField | null;
  /** The offending value, the column header, the first row of a duplicate, a limit. */
  details: ErrorDetails;
}

export function issue(code: RowIssueCode, row: number, column: number | null, field: ImportField | null, details: ErrorDetails = {}): ImportIssue {
  return { code, row, column, field, details };
}

/** Spreadsheet column letters for a 1-based column: 1 → A, 27 → AA. */
export function columnLetter(column: number): string {
  let n = column;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}
