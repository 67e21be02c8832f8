import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseAmount, parseQuantity, parseUnit, parseVat, type VatTable } from '../../src-main/import/fields.js';
import { applyOverride, findHeader, guessMapping, mapRows, previewImport } from '../../src-main/import/mapping.js';
import { readTabular, type Sheet } from '../../src-main/import/tabular.js';

const VAT: VatTable = {
  rates: [
    { code: 'vat22', bp: 2200 },
    { code: 'vat20', bp: 2000 },
    { code: 'vat10', bp: 1000 },
    { code: 'vat0', bp: 0 },
    { code: 'none', bp: 0 },
  ],
  exemptCode: 'none',
};

function sheetOf(rows: string[][]): Sheet {
  return { format: 'csv', encoding: 'utf-8', delimiter: ';', sheetName: null, sheetNames: [], rows: rows.map((cells, i) => ({ row: i + 1, cells })), issues: [] };
}

describe('cell values', () => {
  it('reads prices as people write them, in kopecks', () => {
    const ok = (text: string): number | null => {
      const r = parseAmount(text);
      return r.ok ? r.value : null;
    };
    expect(ok('1 234,50')).toBe(123450);
    expect(ok('1234.5')).toBe(123450);
    expect(ok('1 234,50 ₽')).toBe(123450);
    expect(ok('1\u00a0234,50\u00a0руб.')).toBe(123450);
    expect(ok('99 р.')).toBe(9900);
    expect(ok('1.234,50')).toBe(123450);
    expect(ok('1,234.50')).toBe(123450);
    expect(ok('12,500')).toBe(1250);
    expect(ok('0,99')).toBe(99);
    expect(ok('129')).toBe(12900);
    expect(ok('1.23.4')).toBeNull();
    expect(ok('12,345')).toBeNull(); // three decimals: not a price, maybe thousands; refuse rather than guess
    expect(ok('abc')).toBeNull();
    expect(ok('')).toBeNull();
    expect(parseAmount('-5,00')).toEqual({ ok: false, error: 'negative' });
    expect(parseAmount('−5')).toEqual({ ok: false, error: 'negative' });
    expect(parseAmount('(5,00)')).toEqual({ ok: false, error: 'negative' });
    expect(parseAmount('#N/A')).toEqual({ ok: false, error: 'invalid' });
    expect(parseAmount('1000000000')).toEqual({ ok: false, error: 'invalid' });
  });

  it('reads quantities in thousandths', () => {
    expect(parseQuantity('12.5')).toEqual({ ok: true, value: 12_500 });
    expect(parseQuantity('1 000')).toEqual({ ok: true, value: 1_000_000 });
    expect(parseQuantity('0,125')).toEqual({ ok: true, value: 125 });
    expect(parseQuantity('-1')).toEqual({ ok: false, error: 'negative' });
  });

  it('matches VAT spellings to the store codes', () => {
    for (const t of ['22%', '22', 'НДС 22%', '22 %', 'ндс 22', 'Ставка НДС 22%', '0.22', 'vat22', 'VAT 22%']) expect([t, parseVat(t, VAT)]).toEqual([t, 'vat22']);
    expect(parseVat('10%', VAT)).toBe('vat10');
    expect(parseVat('0%', VAT)).toBe('vat0');
    for (const t of ['без НДС', 'Без налога', 'Без НДС', 'не облагается']) expect([t, parseVat(t, VAT)]).toEqual([t, 'none']);
    expect(parseVat('без НДС', { rates: VAT.rates })).toBeNull();
    expect(parseVat('18%', VAT)).toBeNull();
    expect(parseVat('20/120', VAT)).toBeNull();
  });

  it('knows the units', () => {
    expect(parseUnit('шт.')).toBe('pcs');
    expect(parseUnit('Штука')).toBe('pcs');
    expect(parseUnit('796')).toBe('pcs');
    expect(parseUnit('кг')).toBe('kg');
    expect(parseUnit('KGM')).toBe('kg');
    expect(parseUnit('л')).toBe('l');
    expect(parseUnit('м2')).toBeNull();
  });
});

describe('column mapping', () => {
  it('guesses Russian and English headers, cost before price', () => {
    expect(guessMapping(['Артикул', 'Наименование', 'Штрих-код', 'Закупочная цена', 'Цена, руб.', 'НДС', 'Ед. изм.', 'Категория', 'Кол-во'])).toEqual({
      sku: 0,
      name: 1,
      barcode: 2,
      cost: 3,
      price: 4,
      vat: 5,
      unit: 6,
      group: 7,
      qty: 8,
    });
    expect(guessMapping(['SKU', 'Name', 'EAN-13', 'Cost', 'Price', 'VAT', 'Unit', 'Group', 'Qty', 'Comment'])).toEqual({
      sku: 0,
      name: 1,
      barcode: 2,
      cost: 3,
      price: 4,
      vat: 5,
      unit: 6,
      group: 7,
      qty: 8,
    });
    expect(guessMapping(['Товар', 'Штрихкод', 'Розничная цена', 'Цена закупки'])).toEqual({ name: 0, barcode: 1, price: 2, cost: 3 });
  });

  it('finds the header under a title block', () => {
    const rows = sheetOf([['Прайс-лист ООО «Ромашка»'], ['на 01.03.2025'], ['Наименование', 'Штрихкод', 'Цена'], ['Молоко', '4607001234562', '69,90']]).rows;
    expect(findHeader(rows)).toEqual({ headerRow: 3, header: ['Наименование', 'Штрихкод', 'Цена'], mapping: { name: 0, barcode: 1, price: 2 } });
    expect(findHeader(sheetOf([['a', 'b'], ['c', 'd']]).rows).headerRow).toBeNull();
  });

  it('takes the person\'s corrections', () => {
    expect(applyOverride({ name: 0, price: 2 }, { price: 3, sku: 1, name: null })).toEqual({ price: 3, sku: 1 });
    expect(() => applyOverride({}, { price: -1 })).toThrow(RangeError);
  });
});

describe('row validation', () => {
  const header = ['Наименование', 'Штрихкод', 'Цена', 'НДС', 'Ед.', 'Кол-во', 'Артикул'];
  const sheet = sheetOf([
    header,
    ['Молоко 3,2%', '4607001234562', '69,90', '10%', 'шт', '24', 'A1'],
    ['', '4607001234579', '10', '22', '', '', 'A2'],
    ['Кефир', '4607001234562', '75', '22', '', '', 'A3'],
    ['Сметана', '4607001234586', '-5', '22', '', '', 'A4'],
    ['Творог', '4607001234593', 'сто', '22', '', '', 'A5'],
    ['Сыр', '4607001234609, 4607001234616', '1 234,50 ₽', 'без НДС', 'кг', '12,5', 'A6'],
    ['Ряженка', '123', '50', '22', 'м2', '-1', 'A1'],
  ]);
  const result = mapRows(sheet, { mapping: guessMapping(header), headerRow: 1, header, vat: VAT });

  it('accepts good rows in the till\'s units', () => {
    expect(result.rows).toEqual([
      { row: 2, name: 'Молоко 3,2%', sku: 'A1', barcodes: ['4607001234562'], price: 6990, cost: null, vatCode: 'vat10', unit: 'pcs', group: null, qty: 24_000 },
      { row: 7, name: 'Сыр', sku: 'A6', barcodes: ['4607001234609', '4607001234616'], price: 123_450, cost: null, vatCode: 'none', unit: 'kg', group: null, qty: 12_500 },
    ]);
    for (const r of result.rows) expect(Number.isInteger(r.price)).toBe(true);
    expect(result.total).toBe(7);
    expect(result.rejected).toBe(5);
  });

  it('refuses only bad rows, naming row, column and code', () => {
    expect(result.issues.map((i) => [i.row, i.column, i.code])).toEqual([
      [3, 1, 'name_missing'],
      [4, 2, 'barcode_duplicate'],
      [5, 3, 'price_negative'],
      [6, 3, 'price_invalid'],
      [8, 7, 'sku_duplicate'],
      [8, 2, 'barcode_invalid'],
      [8, 5, 'unit_unknown'],
      [8, 6, 'qty_negative'],
    ]);
    expect(result.issues[1]?.details).toEqual({ header: 'Штрихкод', value: '4607001234562', firstRow: 2 });
    expect(result.issues[3]?.details).toEqual({ header: 'Цена', value: 'сто' });
  });

  it('validates nothing until the name column is mapped', () => {
    const r = mapRows(sheet, { mapping: { price: 2 }, headerRow: 1, header, vat: VAT });
    expect(r.missingFields).toEqual(['name']);
    expect(r.rows).toEqual([]);
  });

  it('applies required fields and a default VAT code', () => {
    const s = sheetOf([['Name', 'Price'], ['Чай', ''], ['Кофе', '300']]);
    const r = mapRows(s, { mapping: { name: 0, price: 1 }, headerRow: 1, header: ['Name', 'Price'], vat: VAT, required: ['price'], defaultVatCode: 'vat22' });
    expect(r.issues.map((i) => [i.row, i.code])).toEqual([[2, 'price_missing']]);
    expect(r.rows).toEqual([{ row: 3, name: 'Кофе', sku: null, barcodes: [], price: 30_000, cost: null, vatCode: 'vat22', unit: null, group: null, qty: null }]);
  });
});

describe('preview of a generated XLSX price list', () => {
  it('names the two bad rows and takes the rest', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Прайс');
    ws.addRow(['Прайс-лист поставщика']);
    ws.addRow(['Артикул', 'Наименование', 'Штрихкод', 'Закупочная цена', 'Цена', 'НДС', 'Ед. изм.', 'Группа', 'Количество']);
    const good = [
      ['МЛК-001', 'Молоко 3,2% 1 л', '4607001234562', 55.5, 69.9, '10%', 'шт', 'Молочная продукция', 24],
      ['БАК-017', 'Крупа гречневая 900 г', 4607001234586, 101, 129.5, '22%', 'шт', 'Бакалея', 40],
      ['СЫР-005', 'Сыр «Российский» весовой', null, 560, '799,00', '10', 'кг', 'Сыры', 12.5],
      ['ЧАЙ-001', 'Чай чёрный 100 пак.', '4607001234616', 150, 249.99, 'без НДС', 'шт', 'Бакалея', 10],
    ];
    ws.addRow(good[0]!);
    ws.addRow(['БАК-020', 'Сахар-песок 1 кг', '4607001234563', 70, 89.9, '22%', 'шт', 'Бакалея', 100]); // check digit should be 2
    ws.addRow(good[1]!);
    ws.addRow(good[2]!);
    ws.addRow(['НАП-003', 'Лимонад 0,5 л', '4607001234593', 40, 59, '18%', 'шт', 'Напитки', 30]); // 18 % is no longer a rate
    ws.addRow(good[3]!);
    const sheet = await readTabular(new Uint8Array(await wb.xlsx.writeBuffer()));

    const preview = previewImport(sheet, { vat: VAT, limit: 3 });
    expect(preview.headerRow).toBe(2);
    expect(preview.mapping).toEqual({ sku: 0, name: 1, barcode: 2, cost: 3, price: 4, vat: 5, unit: 6, group: 7, qty: 8 });
    expect(preview.issues).toEqual([
      { code: 'barcode_check_digit', row: 4, column: 3, field: 'barcode', details: { header: 'Штрихкод', value: '4607001234563' } },
      { code: 'vat_unknown', row: 7, column: 6, field: 'vat', details: { header: 'НДС', value: '18%' } },
    ]);
    expect(preview.goodCount).toBe(4);
    expect(preview.rejected).toBe(2);
    expect(preview.total).toBe(6);
    expect(preview.rows.map((r) => r.row)).toEqual([3, 5, 6]);
    expect(preview.rows[0]).toEqual({
      row: 3,
      name: 'Молоко 3,2% 1 л',
      sku: 'МЛК-001',
      barcodes: ['4607001234562'],
      price: 6990,
      cost: 5550,
      vatCode: 'vat10',
      unit: 'pcs',
      group: 'Молочная продукция',
      qty: 24_000,
    });
    expect(preview.rows[2]).toMatchObject({ name: 'Сыр «Российский» весовой', barcodes: [], price: 79_900, unit: 'kg', qty: 12_500 });

    // The person says column "Цена" is not the price but "Закупочная цена" is: the rows follow.
    const swapped = previewImport(sheet, { vat: VAT, override: { price: 3, cost: null } });
    expect(swapped.rows[0]).toMatchObject({ price: 5550, cost: null });
  });
});
