import { parse } from 'csv-parse/sync';
import { isValidGtin } from '../src-common/barcode.js';
import { CatalogItemSchema, type CatalogItem } from '../src-common/sync/protocol.js';

/** Column names the import understands (header row, any case), in English and Russian. */
const COLUMNS: Record<string, keyof Row> = {
  sku: 'sku',
  артикул: 'sku',
  name: 'name',
  наименование: 'name',
  name_alt: 'nameAlt',
  barcodes: 'barcodes',
  barcode: 'barcodes',
  штрихкод: 'barcodes',
  штрихкоды: 'barcodes',
  price: 'price',
  цена: 'price',
  vat: 'vat',
  ндс: 'vat',
  unit: 'unit',
  ед: 'unit',
  kind: 'kind',
  тип: 'kind',
  category: 'category',
  категория: 'category',
  plu: 'plu',
  item_code: 'itemCode',
  marked: 'marked',
  маркировка: 'marked',
};

interface Row {
  sku?: string;
  name?: string;
  nameAlt?: string;
  barcodes?: string;
  price?: string;
  vat?: string;
  unit?: string;
  kind?: string;
  category?: string;
  plu?: string;
  itemCode?: string;
  marked?: string;
}

const VAT: Record<string, string> = { '22': 'vat22', '20': 'vat20', '10': 'vat10', '7': 'vat7', '5': 'vat5', '0': 'vat0', none: 'none', 'без ндс': 'none' };
const UNIT: Record<string, CatalogItem['unit']> = { pcs: 'pcs', шт: 'pcs', kg: 'kg', кг: 'kg', l: 'l', л: 'l' };

export interface CsvImport {
  items: CatalogItem[];
  /** Rows refused, by their line in the file (1 = the header), with the reason. Only these are left out. */
  rejected: { line: number; reason: string }[];
}

/** "89,90" / "89.90" / "1 299,00" roubles → kopecks; null when it is not a money amount. */
function kopecks(text: string): number | null {
  const t = text.replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d{1,2})?$/.test(t)) return null;
  return Math.round(Number(t) * 100);
}

/**
 * A supplier's or the chain's product list as CSV (`;` or `,`), a header row naming the columns.
 * Every row is checked on its own (barcode check digits, VAT rate, price, unit): a bad row is
 * refused with its line and reason, the others are imported.
 */
export function parseCatalogCsv(text: string, knownTaxCodes: ReadonlySet<string>): CsvImport {
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const records = parse(text.replace(/^\uFEFF/, ''), { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  const [header, ...body] = records;
  const rejected: CsvImport['rejected'] = [];
  if (!header) return { items: [], rejected: [{ line: 1, reason: 'the file is empty' }] };
  const columns = header.map((h) => COLUMNS[h.toLowerCase()]);
  for (const need of ['sku', 'name', 'price'] as const) {
    if (!columns.includes(need)) return { items: [], rejected: [{ line: 1, reason: `the header has no "${need}" column` }] };
  }
  const items: CatalogItem[] = [];
  body.forEach((cells, i) => {
    const line = i + 2;
    const row: Row = {};
    cells.forEach((c, k) => {
      const key = columns[k];
      if (key) row[key] = c;
    });
    const price = kopecks(row.price ?? '');
    if (price === null) return rejected.push({ line, reason: `the price "${row.price ?? ''}" is not an amount` });
    if (price < 0) return rejected.push({ line, reason: 'the price is negative' });
    const vatText = (row.vat ?? '22').toLowerCase().replace('%', '').trim();
    const taxCode = VAT[vatText] ?? (knownTaxCodes.has(vatText) ? vatText : null);
    if (!taxCode || !knownTaxCodes.has(taxCode)) return rejected.push({ line, reason: `unknown VAT rate "${row.vat ?? ''}"` });
    const unit = UNIT[(row.unit ?? 'pcs').toLowerCase()];
    if (!unit) return rejected.push({ line, reason: `unknown unit "${row.unit ?? ''}"` });
    const barcodes: CatalogItem['barcodes'] = [];
    for (const part of (row.barcodes ?? '').split(/[|\s]+/).filter(Boolean)) {
      const [code = '', pack] = part.split(':');
      if (!isValidGtin(code)) return rejected.push({ line, reason: `the barcode ${code} has a wrong check digit or length` });
      const packQty = pack === undefined ? 1 : Number(pack);
      if (!Number.isInteger(packQty) || packQty < 1) return rejected.push({ line, reason: `the pack quantity "${pack}" is not a whole number` });
      barcodes.push({ code, packQty: packQty * 1000 });
    }
    const parsed = CatalogItemSchema.safeParse({
      sku: row.sku,
      name: row.name,
      nameAlt: row.nameAlt || null,
      kind: (row.kind || (unit === 'pcs' ? 'goods' : 'weighed')).toLowerCase(),
      unit,
      taxCode,
      price,
      category: row.category || null,
      plu: row.plu ? Number(row.plu) : null,
      itemCode: row.itemCode || null,
      marked: /^(1|yes|да|true)$/i.test(row.marked ?? ''),
      barcodes,
    });
    if (!parsed.success) return rejected.push({ line, reason: parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') });
    items.push(parsed.data);
    return undefined;
  });
  return { items, rejected };
}
