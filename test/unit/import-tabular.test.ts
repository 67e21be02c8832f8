import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ImportFileError } from '../../src-main/import/errors.js';
import { readTabular, readTabularFile, type ReadOptions, type Sheet } from '../../src-main/import/tabular.js';

/** Windows-1251 has no encoder in the platform: invert the decoder's table. */
function cp1251(text: string): Uint8Array {
  const table = new Map<string, number>();
  const decoded = new TextDecoder('windows-1251').decode(Uint8Array.from({ length: 256 }, (_, i) => i));
  [...decoded].forEach((ch, i) => table.set(ch, i));
  return Uint8Array.from([...text].map((ch) => {
    const b = table.get(ch);
    if (b === undefined) throw new Error(`no cp1251 byte for ${ch}`);
    return b;
  }));
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const withBom = (bytes: Uint8Array): Uint8Array => Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes]);

async function fileError(bytes: Uint8Array, opts?: ReadOptions): Promise<ImportFileError> {
  try {
    await readTabular(bytes, opts);
  } catch (e) {
    if (e instanceof ImportFileError) return e;
    throw e;
  }
  throw new Error('the file was read without an error');
}

const cells = (sheet: Sheet): string[][] => sheet.rows.map((r) => r.cells);

describe('CSV', () => {
  it('reads UTF-8 with a BOM, ; delimited, Cyrillic names and quoted fields', async () => {
    const text = 'Наименование;Штрихкод;Цена\r\nМолоко «Домик в деревне» 3,2%;4607001234562;"69,90"\r\n"Сыр ""Российский""; весовой";;799,00\r\n';
    const sheet = await readTabular(withBom(utf8(text)), { fileName: 'прайс.csv' });
    expect(sheet.format).toBe('csv');
    expect(sheet.encoding).toBe('utf-8');
    expect(sheet.delimiter).toBe(';');
    expect(cells(sheet)).toEqual([
      ['Наименование', 'Штрихкод', 'Цена'],
      ['Молоко «Домик в деревне» 3,2%', '4607001234562', '69,90'],
      ['Сыр "Российский"; весовой', '', '799,00'],
    ]);
    expect(sheet.rows.map((r) => r.row)).toEqual([1, 2, 3]);
  });

  it('reads UTF-8 without a BOM, comma delimited, skipping blank lines', async () => {
    const sheet = await readTabular(utf8('Name,Barcode,Price\n\nГречка 900 г,4607001234586,"129,50"\n'));
    expect(sheet.delimiter).toBe(',');
    expect(cells(sheet)).toEqual([
      ['Name', 'Barcode', 'Price'],
      ['Гречка 900 г', '4607001234586', '129,50'],
    ]);
    expect(sheet.rows[1]?.row).toBe(3);
  });

  it('reads Windows-1251, tab delimited, with the Cyrillic intact', async () => {
    const text = 'Артикул\tНаименование\tЦена\r\nБАК-017\tКрупа гречневая ядрица\t129,50\r\nМЛК-001\tМолоко пастеризованное\t69,90\r\n';
    const sheet = await readTabular(cp1251(text));
    expect(sheet.encoding).toBe('windows-1251');
    expect(sheet.delimiter).toBe('\t');
    expect(cells(sheet)[1]).toEqual(['БАК-017', 'Крупа гречневая ядрица', '129,50']);
    expect(cells(sheet)[2]?.[1]).toBe('Молоко пастеризованное');
  });

  it('follows an Excel "sep=" line and keeps row numbers as in the file', async () => {
    const sheet = await readTabular(utf8('sep=,\nName;x,Price\nЧай; чёрный,100\n'));
    expect(sheet.delimiter).toBe(',');
    expect(sheet.rows).toEqual([
      { row: 2, cells: ['Name;x', 'Price'] },
      { row: 3, cells: ['Чай; чёрный', '100'] },
    ]);
  });

  it('refuses UTF-16, with or without a byte-order mark', async () => {
    const text = 'Наименование;Цена\r\nМолоко;69,90\r\n';
    const le = Buffer.from(text, 'utf16le');
    const e1 = await fileError(Uint8Array.from([0xff, 0xfe, ...le]));
    expect(e1.code).toBe('file_encoding');
    expect(e1.details.detected).toBe('utf-16');
    const e2 = await fileError(new Uint8Array(le));
    expect(e2.code).toBe('file_encoding');
  });

  it('refuses a binary file and an old .xls', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0]);
    expect((await fileError(png)).code).toBe('file_format');
    const xls = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Uint8Array(504)]);
    const e = await fileError(xls);
    expect(e.code).toBe('file_format');
    expect(e.details.detected).toBe('xls');
  });

  it('refuses an empty file, and a text file named .xlsx as damaged', async () => {
    expect((await fileError(new Uint8Array())).code).toBe('file_empty');
    expect((await fileError(utf8(' \r\n\r\n'))).code).toBe('file_empty');
    expect((await fileError(utf8('a;b\n1;2\n'), { fileName: 'price.xlsx' })).code).toBe('file_damaged');
  });

  it('refuses the row of a 10 MB cell and reads the rest', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const text = `Наименование;Цена\nМолоко;69,90\n"${big}";1\nКефир;75,00\n${big};2\n`;
    const sheet = await readTabular(utf8(text));
    expect(cells(sheet)).toEqual([
      ['Наименование', 'Цена'],
      ['Молоко', '69,90'],
      ['Кефир', '75,00'],
    ]);
    expect(sheet.issues).toEqual([
      { code: 'cell_too_long', row: 3, column: 1, field: null, details: { length: big.length, limit: 10_000 } },
      { code: 'cell_too_long', row: 5, column: 1, field: null, details: { length: big.length, limit: 10_000 } },
    ]);
  });

  it('keeps stray quotes inside a field as text', async () => {
    const sheet = await readTabular(utf8('Наименование;Цена\n"Молоко" пастер.;69,90\nКефир;75,00\n'));
    expect(sheet.issues).toEqual([]);
    expect(cells(sheet)[1]).toEqual(['"Молоко" пастер.', '69,90']);
  });

  it('reports a quote never closed as a malformed row where the record starts', async () => {
    const sheet = await readTabular(utf8('Наименование;Цена\nКефир;75,00\n"Молоко;69,90\nСметана;99,00\n'));
    expect(sheet.issues).toEqual([{ code: 'row_malformed', row: 3, column: null, field: null, details: { reason: 'CSV_QUOTE_NOT_CLOSED' } }]);
    expect(cells(sheet)).toEqual([
      ['Наименование', 'Цена'],
      ['Кефир', '75,00'],
    ]);
  });

  it('enforces the byte and row caps with a typed error', async () => {
    const text = 'Наименование;Цена\n' + Array.from({ length: 50 }, (_, i) => `Товар ${i};${i}`).join('\n');
    const rows = await fileError(utf8(text), { limits: { maxRows: 20 } });
    expect(rows.code).toBe('file_too_large');
    expect(rows.details.limit).toBe(20);
    const bytes = await fileError(utf8(text), { limits: { maxBytes: 100 } });
    expect(bytes.code).toBe('file_too_large');
  });

  it('reports progress up to the number of rows read', async () => {
    const text = 'Наименование;Цена\n' + Array.from({ length: 12_000 }, (_, i) => `Товар ${i};${i}`).join('\n');
    const seen: number[] = [];
    await readTabular(utf8(text), { onProgress: (n) => seen.push(n) });
    expect(seen).toEqual([5000, 10_000, 12_001]);
  });
});

async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('XLSX', () => {
  const priceList = (): Promise<Uint8Array> =>
    workbook((wb) => {
      const notes = wb.addWorksheet('Описание');
      notes.addRow(['Прайс-лист ООО «Ромашка»']);
      const ws = wb.addWorksheet('Прайс');
      ws.addRow(['Прайс-лист на 01.03.2025']);
      ws.addRow([]);
      ws.addRow(['Артикул', 'Наименование', 'Штрихкод', 'Цена', 'НДС', 'Дата']);
      ws.addRow(['МЛК-001', 'Молоко 3,2%', 4607001234562, 69.9, 0.1, new Date(Date.UTC(2025, 2, 1))]);
      ws.addRow(['БАК-017', { richText: [{ text: 'Крупа ' }, { text: 'гречневая', font: { bold: true } }] }, '4607001234586', { formula: '100+29.5', result: 129.5 }, '22%', null]);
      ws.getCell('E4').numFmt = '0%';
    });

  it('reads the first tab by default and a named one on request', async () => {
    const bytes = await priceList();
    const first = await readTabular(bytes);
    expect(first.format).toBe('xlsx');
    expect(first.sheetName).toBe('Описание');
    expect(first.sheetNames).toEqual(['Описание', 'Прайс']);
    expect(cells(first)).toEqual([['Прайс-лист ООО «Ромашка»']]);

    const sheet = await readTabular(bytes, { sheet: 'прайс' });
    expect(sheet.sheetName).toBe('Прайс');
    expect(sheet.rows.map((r) => r.row)).toEqual([1, 3, 4, 5]);
    expect(cells(sheet)).toEqual([
      ['Прайс-лист на 01.03.2025'],
      ['Артикул', 'Наименование', 'Штрихкод', 'Цена', 'НДС', 'Дата'],
      // A barcode stored as a number has no exponent, a percent cell reads as a percentage, a date as ISO.
      ['МЛК-001', 'Молоко 3,2%', '4607001234562', '69.9', '10%', '2025-03-01'],
      // Rich text is joined, a formula gives its result.
      ['БАК-017', 'Крупа гречневая', '4607001234586', '129.5', '22%'],
    ]);
  });

  it('names the sheets that exist when the chosen one does not', async () => {
    const e = await fileError(await priceList(), { sheet: 'Остатки' });
    expect(e.code).toBe('sheet_not_found');
    expect(e.details.available).toBe('Описание, Прайс');
  });

  it('says a truncated workbook is damaged instead of crashing', async () => {
    const bytes = await priceList();
    const e = await fileError(bytes.subarray(0, Math.floor(bytes.length / 2)), { fileName: 'price.xlsx' });
    expect(e.code).toBe('file_damaged');
    expect(e.message).toMatch(/damaged/);
  });

  it('says a workbook with a corrupt body is damaged', async () => {
    const bytes = new Uint8Array(await priceList());
    // Keep the directory at the end intact, scramble the compressed data after the first entry's header.
    for (let i = 200; i < bytes.length - 2000; i += 7) bytes[i] = (bytes[i] ?? 0) ^ 0x5a;
    const e = await fileError(bytes);
    expect(e.code).toBe('file_damaged');
  });

  it('refuses a row with an over-long cell and keeps the others', async () => {
    const bytes = await workbook((wb) => {
      const ws = wb.addWorksheet('Лист1');
      ws.addRow(['Наименование', 'Цена']);
      ws.addRow(['я'.repeat(20_000), 1]);
      ws.addRow(['Кефир', 75]);
    });
    const sheet = await readTabular(bytes);
    expect(cells(sheet)).toEqual([
      ['Наименование', 'Цена'],
      ['Кефир', '75'],
    ]);
    expect(sheet.issues).toEqual([{ code: 'cell_too_long', row: 2, column: 1, field: null, details: { length: 20_000, limit: 10_000 } }]);
  });

  it('enforces the row cap on a workbook', async () => {
    const bytes = await workbook((wb) => {
      const ws = wb.addWorksheet('Лист1');
      for (let i = 0; i < 30; i++) ws.addRow([`Товар ${i}`, i]);
    });
    expect((await fileError(bytes, { limits: { maxRows: 10 } })).code).toBe('file_too_large');
  });

  it('refuses a workbook that declares more unpacked data than the limit (a zip bomb)', async () => {
    const bytes = await priceList();
    const e = await fileError(bytes, { limits: { maxUnpackedBytes: 2000 } });
    expect(e.code).toBe('file_too_large');
  });
});

describe('reading from a path', () => {
  it('checks the size before reading the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lavka-import-'));
    try {
      const path = join(dir, 'прайс.csv');
      writeFileSync(path, 'Наименование;Цена\nМолоко;69,90\n');
      expect(cells(await readTabularFile(path))).toEqual([
        ['Наименование', 'Цена'],
        ['Молоко', '69,90'],
      ]);
      await expect(readTabularFile(path, { limits: { maxBytes: 10 } })).rejects.toMatchObject({ code: 'file_too_large', details: { limit: 10 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('XLSX entry order', () => {
  it('a workbook written worksheets-first (as Excel writes it) is read without the streaming reader ever buffering in temporary files', async () => {
    const { createRequire } = await import('node:module');
    const tmp = createRequire(import.meta.url)('tmp') as { file: (...a: unknown[]) => void };
    const spy = vi.spyOn(tmp, 'file');
    try {
      const ExcelJS = (await import('exceljs')).default;
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('Лист1');
      ws.addRow(['Наименование', 'Цена']);
      ws.addRow(['Кефир', 75]);
      const written = new Uint8Array(await wb.xlsx.writeBuffer());
      const { readZipDirectory, reorderForStreaming } = await import('../../src-main/import/zip.js');
      const names = readZipDirectory(written, 1e9).names;
      expect(names.indexOf('xl/worksheets/sheet1.xml')).toBeLessThan(names.indexOf('xl/sharedStrings.xml'));
      const reordered = readZipDirectory(reorderForStreaming(written), 1e9).names;
      expect(reordered.indexOf('xl/sharedStrings.xml')).toBeLessThan(reordered.indexOf('xl/worksheets/sheet1.xml'));
      const sheet = await readTabular(written);
      expect(sheet.rows.map((r) => r.cells)).toEqual([
        ['Наименование', 'Цена'],
        ['Кефир', '75'],
      ]);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
