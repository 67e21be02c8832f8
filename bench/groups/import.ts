import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CATEGORIES, generateProduct } from '../../src-main/demo/catalog-generator.js';
import { writeXlsxFile, type ExportCell } from '../../src-main/import/export.js';
import { previewImport } from '../../src-main/import/mapping.js';
import { readTabularFile } from '../../src-main/import/tabular.js';
import type { Group } from '../context.js';
import { round } from '../stats.js';

const ROWS = 100_000;
/** Every this many rows a barcode with a wrong check digit, so the error path is timed too. */
const BAD_EVERY = 1000;
const VAT_TEXT: Record<string, string> = { vat22: '22%', vat20: '20%', vat10: '10%', vat0: '0%', none: 'без НДС' };
const UNIT_TEXT: Record<string, string> = { pcs: 'шт', kg: 'кг', l: 'л' };
const VAT = {
  rates: [
    { code: 'vat22', bp: 2200 },
    { code: 'vat20', bp: 2000 },
    { code: 'vat10', bp: 1000 },
    { code: 'vat0', bp: 0 },
    { code: 'none', bp: 0 },
  ],
  exemptCode: 'none',
};

function* priceList(): Generator<ExportCell[]> {
  for (let i = 0; i < ROWS; i++) {
    const p = generateProduct(i);
    let barcode = p.barcodes[0]?.code ?? '';
    if (barcode && i % BAD_EVERY === 0) barcode = barcode.slice(0, -1) + String((Number(barcode.slice(-1)) + 1) % 10);
    yield [
      `G${String(i).padStart(7, '0')}`,
      p.name,
      barcode,
      Math.round(p.price * 0.7),
      p.price,
      VAT_TEXT[p.taxCode] ?? p.taxCode,
      UNIT_TEXT[p.unit] ?? p.unit,
      CATEGORIES[p.categoryId - 1]?.ru ?? '',
      ((i * 7919) % 500) * 1000,
    ];
  }
}

/**
 * A supplier's 100,000-row XLSX price list (the generated catalog's products with Russian headers,
 * nine columns, one bad barcode per 1,000 rows), written untimed into the run's scratch directory;
 * then timed: read it (streaming XLSX), find the header, guess the mapping and validate every row.
 *   import_100k_s       the whole import up to the preview (target ≤ 15 s)
 *   import_100k_read_s  of which reading the workbook into cells
 *   import_100k_map_s   of which header, mapping and validation
 *   import_100k_file_mb the size of the file
 */
export const importGroup: Group = {
  name: 'import',
  describe: 'read, map and validate a generated 100,000-row XLSX price list',
  async run(ctx) {
    const dir = join(ctx.workDir, 'import');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'price-100k.xlsx');
    const columns = ['Артикул', 'Наименование', 'Штрихкод', 'Закупочная цена', 'Цена', 'НДС', 'Ед. изм.', 'Категория', 'Количество'];
    const kinds = ['text', 'text', 'text', 'money', 'money', 'text', 'text', 'text', 'qty'] as const;
    const t0 = performance.now();
    await writeXlsxFile({ sheetName: 'Прайс', columns: columns.map((header, i) => ({ header, kind: kinds[i] })), rows: priceList() }, file);
    ctx.log(`import: wrote ${file} (${(statSync(file).size / 1024 / 1024).toFixed(1)} MB) in ${Math.round(performance.now() - t0)} ms (not timed)`);

    const start = performance.now();
    const sheet = await readTabularFile(file);
    const read = performance.now();
    const preview = previewImport(sheet, { vat: VAT, limit: 20 });
    const end = performance.now();

    let bad = 0;
    for (let i = 0; i < ROWS; i += BAD_EVERY) if (generateProduct(i).barcodes.length > 0) bad++;
    if (preview.total !== ROWS) throw new Error(`${preview.total} data rows read, ${ROWS} written`);
    if (preview.issues.filter((i) => i.code === 'barcode_check_digit').length !== bad) throw new Error(`${preview.rejected} rows refused, ${bad} bad barcodes written: ${JSON.stringify(preview.issues.slice(0, 3))}`);
    if (preview.issues.some((i) => i.code !== 'barcode_check_digit' && i.code !== 'barcode_duplicate')) throw new Error(`unexpected issue ${JSON.stringify(preview.issues.find((i) => i.code !== 'barcode_check_digit'))}`);
    return {
      import_100k_s: round((end - start) / 1000),
      import_100k_read_s: round((read - start) / 1000),
      import_100k_map_s: round((end - read) / 1000),
      import_100k_file_mb: round(statSync(file).size / 1024 / 1024),
      import_100k_rows_ok: preview.goodCount,
    };
  },
};
