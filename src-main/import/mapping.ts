/**
 * The column-mapping step of a tabular import: find the header row, guess which column is which
 * from its name (Russian or English), let the person correct it, then turn every row into a typed
 * candidate or into issues. Pure: the sheet comes from tabular.ts, the VAT table from the store.
 */
import type { Minor, Qty } from '../../src-common/units.js';
import { IMPORT_FIELDS, issue, MISSING_CODE, type ImportField, type ImportIssue, type RowIssueCode } from './errors.js';
import { checkBarcode, normalizeLabel, parseAmount, parseQuantity, parseUnit, parseVat, splitBarcodes, type Unit, type VatTable } from './fields.js';
import type { Sheet, SheetRow } from './tabular.js';

/** Field → 0-based column index. */
export type ColumnMapping = Partial<Record<ImportField, number>>;
/** What the person changed: a column for a field, or null to leave the field out. */
export type MappingOverride = Partial<Record<ImportField, number | null>>;

/**
 * Header spellings, most specific first: "Закупочная цена" is a cost before it is a price, and
 * "Код" alone is too vague to claim. Matched against the normalized header (lower case, ё → е,
 * punctuation as spaces) as a whole word sequence.
 */
const HEADER_RULES: [ImportField, RegExp][] = [
  ['cost', /^(закупочная цена|цена закупки|цена закупочная|закупка|закуп|себестоимость|цена поставщика|входная цена|cost|cost price|purchase price|buy price|supplier price|unit cost)( .*)?$/],
  ['barcode', /^(штрих ?код[ыа]?|шк|ean ?(13|8)?|gtin|barcodes?|bar code|upc)( .*)?$/],
  ['sku', /^(артикул|арт|код товара|код номенклатуры|sku|article|art no|item code|item no|product code|vendor code)( .*)?$/],
  ['vat', /^(ставка ндс|ндс|ставка налога|vat|vat rate|tax|tax rate|nds)( .*)?$/],
  ['unit', /^(ед изм|единица измерения|единица|ед|базовая единица|unit|units|uom|unit of measure)( .*)?$/],
  ['group', /^(категория|группа|группа товаров|раздел|category|group|product group|department)( .*)?$/],
  ['qty', /^(количество|кол во|колво|кол|остаток|остатки|в наличии|qty|quantity|stock|count)( .*)?$/],
  ['price', /^(цена|розничная цена|цена продажи|цена розничная|розница|price|retail price|sale price|selling price|rrp)( .*)?$/],
  ['name', /^(наименование|название|товар|номенклатура|наименование товара|name|product|product name|item|item name|title)( .*)?$/],
];

function fieldOfHeader(text: string): ImportField | null {
  const t = normalizeLabel(text);
  if (t === '') return null;
  for (const [field, re] of HEADER_RULES) if (re.test(t)) return field;
  return null;
}

/** Each field to the first column whose header names it; a column serves one field. */
export function guessMapping(header: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  header.forEach((h, i) => {
    const field = fieldOfHeader(h);
    if (field && mapping[field] === undefined) mapping[field] = i;
  });
  return mapping;
}

export interface HeaderGuess {
  /** Spreadsheet row number of the header, or null when no row looks like one (data from the first row). */
  headerRow: number | null;
  header: string[];
  mapping: ColumnMapping;
}

/**
 * Price lists often start with a title, the supplier's address and a date: the header is the row
 * among the first `scan` that names the most fields (at least two, or one when it is the only text).
 */
export function findHeader(rows: readonly SheetRow[], scan = 20): HeaderGuess {
  let best: HeaderGuess | null = null;
  let bestScore = 0;
  for (const r of rows.slice(0, scan)) {
    const mapping = guessMapping(r.cells);
    const score = Object.keys(mapping).length;
    if (score > bestScore) {
      best = { headerRow: r.row, header: r.cells, mapping };
      bestScore = score;
    }
  }
  if (best && (bestScore >= 2 || rows.length === 1 || best.headerRow === rows[0]?.row)) return best;
  return { headerRow: null, header: [], mapping: {} };
}

export function applyOverride(mapping: ColumnMapping, override: MappingOverride = {}): ColumnMapping {
  const out: ColumnMapping = { ...mapping };
  for (const field of IMPORT_FIELDS) {
    if (!(field in override)) continue;
    const col = override[field];
    if (col === null || col === undefined) delete out[field];
    else {
      if (!Number.isInteger(col) || col < 0) throw new RangeError(`column for ${field} must be a non-negative integer, got ${col}`);
      out[field] = col;
    }
  }
  return out;
}

/** A row that passed every check, in the till's units. Absent columns give null. */
export interface CandidateRow {
  row: number;
  name: string;
  sku: string | null;
  barcodes: string[];
  /** Kopecks. */
  price: Minor | null;
  cost: Minor | null;
  vatCode: string | null;
  unit: Unit | null;
  group: string | null;
  /** Thousandths (1000 per piece, grams for kg, ml for l). */
  qty: Qty | null;
}

export interface MapOptions {
  vat: VatTable;
  /** Fields a row must have; `name` always. */
  required?: readonly ImportField[];
  /** VAT code for rows with an empty VAT cell (or no VAT column). */
  defaultVatCode?: string | null;
}

export interface MapInput extends MapOptions {
  mapping: ColumnMapping;
  /** Spreadsheet row number of the header (rows up to it are skipped), null when there is none. */
  headerRow: number | null;
  header: readonly string[];
}

export interface MapResult {
  rows: CandidateRow[];
  /** Every refused row's issues (a row may have several), the reader's issues first. */
  issues: ImportIssue[];
  /** Data rows looked at, and how many of them were refused. */
  total: number;
  rejected: number;
  /** Required fields with no column: nothing is validated until they are mapped. */
  missingFields: ImportField[];
}

/** Limits of the catalog (CatalogItemSchema), so a candidate never fails later. */
const MAX_NAME = 200;
const MAX_SKU = 64;
const MAX_GROUP = 100;
const MAX_BARCODES = 50;

/**
 * Validate every data row. Only rows with an issue are left out. A barcode (or SKU) seen before in
 * the file refuses the later row, naming the first one in `details.firstRow`, whether or not that
 * first row was itself accepted: the person sees every conflict in one pass.
 */
export function mapRows(sheet: Pick<Sheet, 'rows' | 'issues'>, input: MapInput): MapResult {
  const required = new Set<ImportField>(['name', ...(input.required ?? [])]);
  const missingFields = [...required].filter((f) => input.mapping[f] === undefined);
  const readerIssues = sheet.issues.filter((i) => input.headerRow === null || i.row > input.headerRow);
  if (missingFields.length > 0) return { rows: [], issues: readerIssues, total: 0, rejected: 0, missingFields };

  const issues: ImportIssue[] = [...readerIssues];
  const rows: CandidateRow[] = [];
  const barcodeRow = new Map<string, number>();
  const skuRow = new Map<string, number>();
  let total = 0;
  let rejected = readerIssues.length;
  const m = input.mapping;

  for (const r of sheet.rows) {
    if (input.headerRow !== null && r.row <= input.headerRow) continue;
    total++;
    const found: ImportIssue[] = [];
    const cell = (f: ImportField): string => {
      const c = m[f];
      return c === undefined ? '' : (r.cells[c] ?? '');
    };
    const fail = (code: RowIssueCode, f: ImportField, details: Record<string, string | number | null> = {}): void => {
      const c = m[f];
      found.push(issue(code, r.row, c === undefined ? null : c + 1, f, { header: c === undefined ? null : (input.header[c] ?? null), ...details }));
    };
    for (const f of required) if (cell(f) === '') fail(MISSING_CODE[f], f);

    const name = cell('name');
    if (name.length > MAX_NAME) fail('name_too_long', 'name', { limit: MAX_NAME });

    const skuText = cell('sku');
    if (skuText.length > MAX_SKU) fail('sku_too_long', 'sku', { value: skuText.slice(0, 80), limit: MAX_SKU });
    else if (skuText !== '') {
      const first = skuRow.get(skuText);
      if (first !== undefined) fail('sku_duplicate', 'sku', { value: skuText, firstRow: first });
      else skuRow.set(skuText, r.row);
    }

    const barcodes: string[] = [];
    for (const code of splitBarcodes(cell('barcode'))) {
      const bad = checkBarcode(code);
      if (bad) {
        fail(bad, 'barcode', { value: code.slice(0, 40) });
        continue;
      }
      const first = barcodeRow.get(code);
      if (first !== undefined && first !== r.row) fail('barcode_duplicate', 'barcode', { value: code, firstRow: first });
      else if (first === undefined) {
        barcodeRow.set(code, r.row);
        barcodes.push(code);
      }
    }
    if (barcodes.length > MAX_BARCODES) fail('too_many_barcodes', 'barcode', { count: barcodes.length, limit: MAX_BARCODES });

    const money = (f: 'price' | 'cost'): Minor | null => {
      const text = cell(f);
      if (text === '') return null;
      const p = parseAmount(text);
      if (p.ok) return p.value;
      fail(p.error === 'negative' ? (f === 'price' ? 'price_negative' : 'cost_negative') : f === 'price' ? 'price_invalid' : 'cost_invalid', f, { value: text.slice(0, 40) });
      return null;
    };
    const price = money('price');
    const cost = money('cost');

    const vatText = cell('vat');
    let vatCode: string | null = input.defaultVatCode ?? null;
    if (vatText !== '') {
      vatCode = parseVat(vatText, input.vat);
      if (vatCode === null) fail('vat_unknown', 'vat', { value: vatText.slice(0, 40) });
    }

    const unitText = cell('unit');
    const unit = unitText === '' ? null : parseUnit(unitText);
    if (unitText !== '' && unit === null) fail('unit_unknown', 'unit', { value: unitText.slice(0, 40) });

    const group = cell('group');
    if (group.length > MAX_GROUP) fail('group_too_long', 'group', { limit: MAX_GROUP });

    const qtyText = cell('qty');
    let qty: Qty | null = null;
    if (qtyText !== '') {
      const q = parseQuantity(qtyText);
      if (q.ok) qty = q.value;
      else fail(q.error === 'negative' ? 'qty_negative' : 'qty_invalid', 'qty', { value: qtyText.slice(0, 40) });
    }

    if (found.length > 0) {
      issues.push(...found);
      rejected++;
      continue;
    }
    rows.push({ row: r.row, name, sku: skuText || null, barcodes, price, cost, vatCode, unit, group: group || null, qty });
  }
  return { rows, issues, total: total + readerIssues.length, rejected, missingFields };
}

export interface PreviewOptions extends MapOptions {
  /** Good rows to return (all issues are returned regardless). */
  limit?: number;
  /** The header row the person chose (null: the file has none); guessed when absent. */
  headerRow?: number | null;
  override?: MappingOverride;
}

export interface Preview {
  headerRow: number | null;
  header: string[];
  mapping: ColumnMapping;
  /** Columns no field is mapped to (0-based), for the mapping screen. */
  unmappedColumns: number[];
  missingFields: ImportField[];
  /** The first `limit` good rows. */
  rows: CandidateRow[];
  goodCount: number;
  issues: ImportIssue[];
  rejected: number;
  total: number;
}

/** Everything the mapping screen shows: the guessed (or chosen) header and mapping, a sample of good rows and every issue. */
export function previewImport(sheet: Sheet, opts: PreviewOptions): Preview {
  const guess = findHeader(sheet.rows);
  let headerRow = guess.headerRow;
  let header = guess.header;
  let guessed = guess.mapping;
  if (opts.headerRow !== undefined && opts.headerRow !== guess.headerRow) {
    headerRow = opts.headerRow;
    header = headerRow === null ? [] : (sheet.rows.find((r) => r.row === headerRow)?.cells ?? []);
    guessed = guessMapping(header);
  }
  const mapping = applyOverride(guessed, opts.override);
  const result = mapRows(sheet, { ...opts, mapping, headerRow, header });
  const width = Math.max(header.length, ...sheet.rows.slice(0, 50).map((r) => r.cells.length));
  const used = new Set(Object.values(mapping));
  const unmappedColumns = Array.from({ length: width }, (_, i) => i).filter((i) => !used.has(i));
  return {
    headerRow,
    header,
    mapping,
    unmappedColumns,
    missingFields: result.missingFields,
    rows: result.rows.slice(0, opts.limit ?? 50),
    goodCount: result.rows.length,
    issues: result.issues,
    rejected: result.rejected,
    total: result.total,
  };
}
