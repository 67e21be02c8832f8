/**
 * A price list or stock file's bytes → rows of string cells, CSV or XLSX alike. Whole-file
 * problems throw `ImportFileError` with a code; a row with an over-long cell is left out and
 * reported as an issue, the rest is read.
 */
import { parse as csvParse, type InfoRecord } from 'csv-parse';
import ExcelJS from 'exceljs';
import { readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { assertEightBitText, assertPlausibleText, decodeText, detectEncoding, type TextEncoding } from './decode.js';
import { ImportFileError, issue, type ImportIssue } from './errors.js';
import { readZipDirectory, reorderForStreaming } from './zip.js';

export type Delimiter = ';' | ',' | '\t';

export interface TabularLimits {
  /** Bytes of the file itself. */
  maxBytes: number;
  /** Rows, the header and refused rows included. */
  maxRows: number;
  /** Characters in one cell; a longer cell refuses its row. */
  maxCellChars: number;
  /** XLSX: bytes the archive may declare once unpacked (a zip bomb guard). */
  maxUnpackedBytes: number;
}

export const DEFAULT_LIMITS: TabularLimits = {
  maxBytes: 50 * 1024 * 1024,
  maxRows: 500_000,
  maxCellChars: 10_000,
  maxUnpackedBytes: 512 * 1024 * 1024,
};

export interface ReadOptions {
  /** Only for messages and to tell a damaged .xlsx from a text file; the content decides the format. */
  fileName?: string;
  /** XLSX: the sheet to read, by its tab name; the first tab when absent. */
  sheet?: string;
  /** CSV: skip detection. */
  delimiter?: Delimiter;
  encoding?: TextEncoding;
  limits?: Partial<TabularLimits>;
  /** Rows read so far, every `PROGRESS_EVERY` rows and once at the end. */
  onProgress?: (rowsRead: number) => void;
}

export const PROGRESS_EVERY = 5000;

export interface SheetRow {
  /** 1-based row in the spreadsheet (CSV: the line the record ends on). */
  row: number;
  cells: string[];
}

export interface Sheet {
  format: 'csv' | 'xlsx';
  encoding: TextEncoding | null;
  delimiter: Delimiter | null;
  sheetName: string | null;
  /** XLSX: every tab, in workbook order (for a sheet picker). */
  sheetNames: string[];
  /** Non-empty rows, cells trimmed. */
  rows: SheetRow[];
  /** Rows refused while reading (a cell over the limit, a broken CSV record). */
  issues: ImportIssue[];
}

const XLS_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function limitsOf(opts: ReadOptions): TabularLimits {
  return { ...DEFAULT_LIMITS, ...opts.limits };
}

export async function readTabularFile(path: string, opts: ReadOptions = {}): Promise<Sheet> {
  const limits = limitsOf(opts);
  const { size } = await stat(path);
  // Checked before reading, so a huge file never reaches memory.
  if (size > limits.maxBytes) throw tooLarge(size, limits.maxBytes);
  return readTabular(await readFile(path), { fileName: path, ...opts });
}

export async function readTabular(bytes: Uint8Array, opts: ReadOptions = {}): Promise<Sheet> {
  const limits = limitsOf(opts);
  if (bytes.length === 0) throw new ImportFileError('file_empty', 'the file is empty');
  if (bytes.length > limits.maxBytes) throw tooLarge(bytes.length, limits.maxBytes);
  const name = (opts.fileName ?? '').toLowerCase();
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5)) return readXlsx(bytes, opts, limits);
  if (XLS_MAGIC.every((b, i) => bytes[i] === b)) {
    throw new ImportFileError('file_format', 'an Excel 97–2003 (.xls) or password-protected workbook: save it as .xlsx or CSV', { detected: 'xls' });
  }
  if (/\.xls[xm]$/.test(name)) throw new ImportFileError('file_damaged', 'the file is damaged: it is named .xlsx but is not a workbook', { reason: 'not a zip' });
  return readCsv(bytes, opts, limits);
}

function tooLarge(size: number, limit: number): ImportFileError {
  return new ImportFileError('file_too_large', `the file is larger than ${Math.round(limit / 1024 / 1024)} MB`, { size, limit });
}

function tooManyRows(limit: number): ImportFileError {
  return new ImportFileError('file_too_large', `the file has more than ${limit} rows`, { rows: limit + 1, limit });
}

// ── CSV ──────────────────────────────────────────────────────────────────────────────────────

/** The header line's most frequent candidate outside quotes; `;` on a tie (Russian Excel's choice). */
export function detectDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ';': 0, '\t': 0, ',': 0 };
  let quoted = false;
  let seen = false;
  for (let i = 0; i < text.length && i < 64 * 1024; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (seen) break;
    } else if (!quoted && (ch === ';' || ch === '\t' || ch === ',')) {
      counts[ch]++;
      seen = true;
    } else if (ch !== ' ') seen = true;
  }
  let best: Delimiter = ';';
  for (const d of ['\t', ','] as const) if (counts[d] > counts[best]) best = d;
  return best;
}

const CSV_CHUNK = 256 * 1024;

async function readCsv(bytes: Uint8Array, opts: ReadOptions, limits: TabularLimits): Promise<Sheet> {
  assertEightBitText(bytes, 'the file');
  const encoding = opts.encoding ?? detectEncoding(bytes);
  let text: string;
  try {
    text = decodeText(bytes, encoding);
  } catch {
    throw new ImportFileError('file_encoding', `the file is not valid ${encoding}`, { encoding });
  }
  assertPlausibleText(text, 'the file');
  // Excel's "sep=;" first line names the delimiter.
  const sep = /^sep=([;,\t])\r?\n/.exec(text);
  let lineOffset = 0;
  if (sep) {
    text = text.slice(sep[0].length);
    lineOffset = 1;
  }
  const delimiter = opts.delimiter ?? (sep?.[1] as Delimiter | undefined) ?? detectDelimiter(text);

  const rows: SheetRow[] = [];
  const issues: ImportIssue[] = [];
  let records = 0;
  let lastLine = 0;
  const count = (): void => {
    records++;
    if (records > limits.maxRows) throw tooManyRows(limits.maxRows);
    if (records % PROGRESS_EVERY === 0) opts.onProgress?.(records);
  };
  const parser = csvParse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      count();
      // The record starts after the previous one ended (where the parser gave up may be the end of the file).
      issues.push(issue('row_malformed', lastLine + 1 + lineOffset, null, null, { reason: err?.code ?? 'malformed' }));
    },
    on_record: (record: string[], info: InfoRecord) => {
      count();
      lastLine = info.lines;
      const row = info.lines + lineOffset;
      const cells = takeRow(record, row, limits, issues);
      if (cells) rows.push({ row, cells });
      return null;
    },
  });
  let failure: unknown = null;
  parser.on('error', (e) => {
    failure ??= e;
  });
  parser.resume();
  for (let i = 0; i < text.length && failure === null; i += CSV_CHUNK) {
    parser.write(text.slice(i, i + CSV_CHUNK));
    // Let the till's other work run between chunks of a big file.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (failure === null) {
    parser.end();
    await finished(parser).catch((e: unknown) => {
      failure ??= e;
    });
  }
  if (failure !== null) {
    if (failure instanceof ImportFileError) throw failure;
    const code = (failure as { code?: unknown }).code;
    throw new ImportFileError('file_damaged', 'the file is damaged: it is not valid CSV', { reason: typeof code === 'string' ? code : String(failure) });
  }
  opts.onProgress?.(records);
  if (rows.length === 0 && issues.length === 0) throw new ImportFileError('file_empty', 'the file has no rows');
  return { format: 'csv', encoding, delimiter, sheetName: null, sheetNames: [], rows, issues };
}

/** Trimmed cells of a record, or null when the record is empty or a cell is over the limit (then an issue says which). */
function takeRow(raw: readonly string[], row: number, limits: TabularLimits, issues: ImportIssue[]): string[] | null {
  let empty = true;
  const cells: string[] = new Array<string>(raw.length);
  for (let c = 0; c < raw.length; c++) {
    const cell = raw[c] ?? '';
    if (cell.length > limits.maxCellChars) {
      issues.push(issue('cell_too_long', row, c + 1, null, { length: cell.length, limit: limits.maxCellChars }));
      return null;
    }
    const t = cell.trim();
    if (t !== '') empty = false;
    cells[c] = t;
  }
  if (empty) return null;
  while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
  return cells;
}

// ── XLSX ─────────────────────────────────────────────────────────────────────────────────────

interface StreamedSheet extends AsyncIterable<ExcelJS.Row> {
  name?: string;
}
interface ReaderModel {
  sheets?: { name: string; state?: string }[];
}

function* chunks(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readXlsx(bytes: Uint8Array, opts: ReadOptions, limits: TabularLimits): Promise<Sheet> {
  const dir = readZipDirectory(bytes, limits.maxUnpackedBytes);
  if (!dir.names.includes('xl/workbook.xml')) {
    const detected = dir.names.includes('xl/workbook.bin') ? 'xlsb' : dir.names.includes('content.xml') ? 'ods' : dir.names.some((n) => n.startsWith('word/')) ? 'docx' : 'zip';
    throw new ImportFileError('file_format', 'not an Excel workbook (.xlsx): save the price list as .xlsx or CSV', { detected });
  }
  // The parts the streaming reader needs first go first: it then never buffers a worksheet in a temporary file.
  const source = Readable.from(chunks(reorderForStreaming(bytes), 1024 * 1024));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  const wanted = opts.sheet?.trim().toLowerCase();
  const rows: SheetRow[] = [];
  const issues: ImportIssue[] = [];
  let sheetNames: string[] = [];
  let sheetName: string | null = null;
  try {
    for await (const ws of reader as AsyncIterable<StreamedSheet>) {
      sheetNames = ((reader as unknown as { model?: ReaderModel }).model?.sheets ?? []).map((s) => s.name);
      const name = ws.name ?? '';
      const first = sheetNames[0] ?? name;
      if (wanted === undefined ? name !== first : name.trim().toLowerCase() !== wanted) continue;
      sheetName = name;
      let count = 0;
      for await (const r of ws) {
        count++;
        if (count > limits.maxRows) throw tooManyRows(limits.maxRows);
        if (count % PROGRESS_EVERY === 0) opts.onProgress?.(count);
        const raw: string[] = [];
        r.eachCell({ includeEmpty: false }, (cell, col) => {
          while (raw.length < col - 1) raw.push('');
          raw[col - 1] = cellText(cell.value, cell.numFmt);
        });
        const cells = takeRow(raw, r.number, limits, issues);
        if (cells) rows.push({ row: r.number, cells });
      }
      opts.onProgress?.(count);
      break;
    }
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    throw new ImportFileError('file_damaged', 'the file is damaged: the workbook cannot be read', { reason: e instanceof Error ? e.message : String(e) });
  } finally {
    source.destroy();
  }
  if (sheetName === null) {
    if (wanted !== undefined) throw new ImportFileError('sheet_not_found', `the workbook has no sheet "${opts.sheet ?? ''}"`, { sheet: opts.sheet ?? '', available: sheetNames.join(', ') });
    throw new ImportFileError('file_format', 'the workbook has no worksheet', { detected: 'xlsx' });
  }
  if (rows.length === 0 && issues.length === 0) throw new ImportFileError('file_empty', `the sheet "${sheetName}" is empty`, { sheet: sheetName });
  return { format: 'xlsx', encoding: null, delimiter: null, sheetName, sheetNames, rows, issues };
}

/** A number as a person would type it: no float noise, no exponent for barcodes. */
function plainNumber(n: number): string {
  const r = Number(n.toPrecision(15));
  return Number.isInteger(r) && Math.abs(r) < 1e21 ? r.toFixed(0) : String(r);
}

function dateText(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
}

/** A cell as the text the spreadsheet shows, near enough for import: formulas give their result. */
export function cellText(value: ExcelJS.CellValue, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numFmt?.includes('%') ? `${plainNumber(value * 100)}%` : plainNumber(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText(value.result ?? null, numFmt);
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as ExcelJS.CellValue);
  if ('error' in value) return value.error;
  return '';
}
