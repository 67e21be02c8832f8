import ExcelJS from 'exceljs';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isFormulaLike, toCsv, toXlsx, type ExportTable } from '../../src-main/import/export.js';
import { readTabular } from '../../src-main/import/tabular.js';

/** One entry of a zip, found through its central directory (enough for a test). */
function unzipEntry(zip: Uint8Array, name: string): string {
  const b = Buffer.from(zip);
  const eocd = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = b.readUInt32LE(eocd + 16);
  for (let k = 0; k < b.readUInt16LE(eocd + 10); k++) {
    const size = b.readUInt32LE(at + 20);
    const nameLen = b.readUInt16LE(at + 28);
    const local = b.readUInt32LE(at + 42);
    if (b.toString('utf8', at + 46, at + 46 + nameLen) === name) {
      const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
      const data = b.subarray(start, start + size);
      return (b.readUInt16LE(at + 10) === 0 ? data : inflateRawSync(data)).toString('utf8');
    }
    at += 46 + nameLen + b.readUInt16LE(at + 30) + b.readUInt16LE(at + 32);
  }
  throw new Error(`${name} is not in the archive`);
}

const HOSTILE = '=HYPERLINK("http://x","y")';

const stock = (): ExportTable => ({
  sheetName: 'Остатки',
  columns: [
    { header: 'Наименование' },
    { header: 'Штрихкод' },
    { header: 'Цена', kind: 'money' },
    { header: 'Остаток', kind: 'qty' },
    { header: 'Строк', kind: 'integer' },
  ],
  rows: [
    ['Молоко 3,2%', '4607001234562', 6990, 24_000, 1],
    [HOSTILE, '4607001234579', 123_450, 12_500, 2],
    ['+7 (900) 000-00-00', null, -1050, 0, 3],
    ['@SUM(A1)', '', 5, 1, 4],
    ['\tтаб', undefined, 0, 125, 5],
  ],
});

describe('formula injection', () => {
  it('flags what a spreadsheet would evaluate', () => {
    for (const t of ['=1+1', '+1', '-1', '@A1', '\t=1', '\r=1', '＝1+1']) expect([t, isFormulaLike(t)]).toEqual([t, true]);
    for (const t of ['Молоко', '1=1', ' x', '']) expect([t, isFormulaLike(t)]).toEqual([t, false]);
  });
});

describe('CSV export', () => {
  it('writes UTF-8 with a BOM, ; and decimal commas, text that cannot become a formula', async () => {
    const bytes = toCsv(stock());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.subarray(3));
    expect(text.split('\r\n')).toEqual([
      'Наименование;Штрихкод;Цена;Остаток;Строк',
      'Молоко 3,2%;4607001234562;69,90;24;1',
      `"'=HYPERLINK(""http://x"",""y"")";4607001234579;1234,50;12,5;2`,
      "'+7 (900) 000-00-00;;-10,50;0;3",
      "'@SUM(A1);;0,05;0,001;4",
      "'\tтаб;;0,00;0,125;5",
      '',
    ]);
  });

  it('comes back as the same text, prefixed, when read back', async () => {
    const sheet = await readTabular(toCsv(stock()));
    expect(sheet.delimiter).toBe(';');
    expect(sheet.rows[2]?.cells[0]).toBe(`'${HOSTILE}`);
    expect(sheet.rows[1]?.cells).toEqual(['Молоко 3,2%', '4607001234562', '69,90', '24', '1']);
  });

  it('can write , and decimal points instead', () => {
    const text = new TextDecoder().decode(toCsv({ columns: [{ header: 'a', kind: 'money' }, { header: 'b' }], rows: [[150, 'x,y']] }, { delimiter: ',', bom: false }));
    expect(text).toBe('a,b\r\n1.50,"x,y"\r\n');
  });

  it('refuses a fractional amount in a money column', () => {
    expect(() => toCsv({ columns: [{ header: 'Цена', kind: 'money' }], rows: [[69.9]] })).toThrow(TypeError);
  });
});

describe('XLSX export', () => {
  it('writes the hostile name as a string cell, never a formula', async () => {
    const bytes = await toXlsx(stock());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Остатки');
    expect(ws).toBeDefined();
    const cell = ws!.getCell('A3');
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe(HOSTILE);
    expect(cell.formula).toBeUndefined();
    for (const ref of ['A4', 'A5', 'A6']) expect(ws!.getCell(ref).type).toBe(ExcelJS.ValueType.String);
    // Money and quantities are numbers with a format, the header is bold.
    expect(ws!.getCell('C3').value).toBe(1234.5);
    expect(ws!.getCell('C3').numFmt).toBe('#,##0.00');
    expect(ws!.getCell('D3').value).toBe(12.5);
    expect(ws!.getCell('A1').font?.bold).toBe(true);
  });

  it('has no formula element in the sheet XML at all', async () => {
    const sheetXml = unzipEntry(await toXlsx(stock()), 'xl/worksheets/sheet1.xml');
    expect(sheetXml).toContain('<c r="A3"');
    expect(sheetXml).not.toMatch(/<f[ >]/);
    expect(sheetXml).toMatch(/<c r="A3"[^>]*t="s"/);
    expect(unzipEntry(await toXlsx(stock()), 'xl/sharedStrings.xml')).toContain('=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)');
  });

  it('reads back through the importer as text', async () => {
    const sheet = await readTabular(await toXlsx(stock()));
    expect(sheet.sheetName).toBe('Остатки');
    expect(sheet.rows.map((r) => r.cells)).toEqual([
      ['Наименование', 'Штрихкод', 'Цена', 'Остаток', 'Строк'],
      ['Молоко 3,2%', '4607001234562', '69.9', '24', '1'],
      [HOSTILE, '4607001234579', '1234.5', '12.5', '2'],
      ['+7 (900) 000-00-00', '', '-10.5', '0', '3'],
      ['@SUM(A1)', '', '0.05', '0.001', '4'],
      ['таб', '', '0', '0.125', '5'],
    ]);
  });
});
