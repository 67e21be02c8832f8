/**
 * Rows (stock levels, documents) → CSV for Russian Excel (UTF-8 with BOM, `;`, decimal comma) or
 * XLSX. Text that a spreadsheet would take for a formula (=, +, -, @, tab, CR first) is written so
 * it stays text: prefixed with ' in CSV, a plain string cell (never a formula) in XLSX. Product
 * names come from suppliers and 1C, so `=HYPERLINK(...)` in a name is someone else's input.
 */
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';

export type ExportKind = 'text' | 'integer' | 'money' | 'qty';

export interface ExportColumn {
  header: string;
  /** text (default): any string; integer: a whole number; money: kopecks (Minor); qty: thousandths (Qty). */
  kind?: ExportKind;
  /** XLSX column width in characters. */
  width?: number;
}

export type ExportCell = string | number | null | undefined;

export interface ExportTable {
  columns: readonly ExportColumn[];
  /** Any iterable, so a large export can be generated row by row. */
  rows: Iterable<readonly ExportCell[]>;
  /** XLSX tab name. */
  sheetName?: string;
}

/** OWASP's list (= + - @ tab CR) and their full-width forms, which some spreadsheets also evaluate. */
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

export function isFormulaLike(text: string): boolean {
  return FORMULA_START.test(text);
}

function assertInteger(value: number, kind: ExportKind, col: number): void {
  if (!Number.isSafeInteger(value)) throw new TypeError(`column ${col + 1} (${kind}) needs an integer, got ${value}`);
}

/** Integer minor units as a decimal string with `digits` places: 123450, 2 → "1234.50"; trailing zeros kept. */
function scaled(value: number, digits: number, point: string, trimZeros: boolean): string {
  const scale = 10 ** digits;
  const abs = Math.abs(value);
  let fraction = String(abs % scale).padStart(digits, '0');
  if (trimZeros) fraction = fraction.replace(/0+$/, '');
  const whole = String(Math.trunc(abs / scale));
  return (value < 0 ? '-' : '') + whole + (fraction ? point + fraction : '');
}

export interface CsvOptions {
  delimiter?: ';' | ',' | '\t';
  /** Decimal comma for money and quantities; defaults to true with `;` (what Russian Excel expects). */
  decimalComma?: boolean;
  /** UTF-8 byte-order mark, so Excel does not read the file as Windows-1251. Default true. */
  bom?: boolean;
}

function csvField(text: string, delimiter: string): string {
  if (text.includes(delimiter) || /["\r\n]/.test(text) || /^\s|\s$/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

/** The CSV text of one cell, before quoting. */
function csvCell(value: ExportCell, kind: ExportKind, col: number, point: string): string {
  if (value === null || value === undefined) return '';
  switch (kind) {
    case 'text': {
      const text = String(value);
      return isFormulaLike(text) ? `'${text}` : text;
    }
    case 'integer':
      assertInteger(Number(value), kind, col);
      return String(value);
    case 'money':
      assertInteger(Number(value), kind, col);
      return scaled(Number(value), 2, point, false);
    case 'qty':
      assertInteger(Number(value), kind, col);
      return scaled(Number(value), 3, point, true);
    default:
      return assertNeverKind(kind);
  }
}

function assertNeverKind(kind: never): never {
  throw new TypeError(`unknown column kind ${String(kind)}`);
}

export function toCsv(table: ExportTable, opts: CsvOptions = {}): Uint8Array {
  const delimiter = opts.delimiter ?? ';';
  const point = (opts.decimalComma ?? delimiter === ';') ? ',' : '.';
  const kinds = table.columns.map((c) => c.kind ?? 'text');
  const lines: string[] = [table.columns.map((c, i) => csvField(csvCell(c.header, 'text', i, point), delimiter)).join(delimiter)];
  for (const row of table.rows) {
    lines.push(kinds.map((kind, i) => csvField(csvCell(row[i], kind, i, point), delimiter)).join(delimiter));
  }
  const body = new TextEncoder().encode(lines.join('\r\n') + '\r\n');
  if (opts.bom === false) return body;
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(body, 3);
  return out;
}

/** Excel refuses a cell over 32,767 characters and XML refuses control characters. */
const XLSX_MAX_CELL = 32_767;
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

function xlsxText(value: ExportCell): string {
  const text = String(value).replace(XML_INVALID, '');
  return text.length > XLSX_MAX_CELL ? text.slice(0, XLSX_MAX_CELL) : text;
}

function sheetTitle(name: string | undefined): string {
  const clean = (name ?? 'Sheet1').replace(/[[\]:*?/\\]/g, ' ').trim().slice(0, 31);
  return clean || 'Sheet1';
}

const NUM_FMT: Record<ExportKind, string | undefined> = { text: undefined, integer: '0', money: '#,##0.00', qty: '#,##0.###' };

async function writeXlsx(table: ExportTable, target: { filename: string } | { stream: PassThrough }): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ ...target, useStyles: true, useSharedStrings: true });
  const ws = wb.addWorksheet(sheetTitle(table.sheetName), { views: [{ state: 'frozen', ySplit: 1 }] });
  const kinds = table.columns.map((c) => c.kind ?? 'text');
  table.columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width ?? Math.min(60, Math.max(10, c.header.length + 2));
  });
  const header = ws.addRow(table.columns.map((c) => xlsxText(c.header)));
  header.font = { bold: true };
  header.commit();
  for (const values of table.rows) {
    const row = ws.addRow([]);
    kinds.forEach((kind, i) => {
      const v = values[i];
      if (v === null || v === undefined) return;
      const cell = row.getCell(i + 1);
      if (kind === 'text') {
        // A string value is always a string cell (t="s"): ExcelJS writes a formula only for {formula}.
        cell.value = xlsxText(v);
        return;
      }
      const n = Number(v);
      assertInteger(n, kind, i);
      // The spreadsheet stores doubles; kopecks become roubles only here, at the edge.
      cell.value = kind === 'money' ? n / 100 : kind === 'qty' ? n / 1000 : n;
      const fmt = NUM_FMT[kind];
      if (fmt) cell.numFmt = fmt;
    });
    row.commit();
  }
  ws.commit();
  await wb.commit();
}

export async function toXlsx(table: ExportTable): Promise<Uint8Array> {
  const stream = new PassThrough();
  const parts: Buffer[] = [];
  stream.on('data', (b: Buffer) => parts.push(b));
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  await writeXlsx(table, { stream });
  stream.end();
  await ended;
  return new Uint8Array(Buffer.concat(parts));
}

/** Stream a large export straight to a file. */
export async function writeXlsxFile(table: ExportTable, filename: string): Promise<void> {
  await writeXlsx(table, { filename });
}
