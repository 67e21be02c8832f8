import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import type { RpcClient } from '../../src-common/rpc/client.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { openTill, type Till } from './support.js';

const tills: Till[] = [];
afterEach(() => {
  for (const t of tills.splice(0)) t.close();
});

/** Fetch an export piece by piece, as the screen does. */
async function download(c: RpcClient, params: { what: 'stock_levels' | 'stock_doc'; docId?: string; format: 'csv' | 'xlsx' }): Promise<{ name: string; bytes: Buffer }> {
  const started = await c.call('exports.create', params);
  const parts: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < 1000; i++) {
    const piece = await c.call('exports.chunk', { exportId: started.id, offset });
    if (piece.state === 'failed') throw new Error(piece.error ?? 'failed');
    if (piece.state === 'building') {
      await new Promise((r) => setTimeout(r, 10));
      continue;
    }
    const bytes = Buffer.from(piece.data, 'base64');
    parts.push(bytes);
    offset += bytes.length;
    if (piece.done) return { name: started.name, bytes: Buffer.concat(parts) };
  }
  throw new Error('never finished');
}

describe('exports of stock', () => {
  it('stock levels as CSV for Russian Excel and as XLSX; a name that looks like a formula stays text in both', async () => {
    const x = openTill();
    tills.push(x);
    await x.as('manager');
    const evil = await x.c.call('catalog.createProduct', { name: '=HYPERLINK("http://evil.example","Скидка")', taxCode: 'vat22', barcode: '4607001234562', price: 10_000 });
    const doc = await x.c.call('receiving.create', {});
    await x.c.call('stockDocs.setLine', { docId: doc.id, productId: evil.id, qty: 3_000, cost: 5_000 });
    await x.c.call('stockDocs.scan', { docId: doc.id, code: DEMO_BARCODES.milk });
    await x.c.call('stockDocs.post', { docId: doc.id });

    const csv = await download(x.c, { what: 'stock_levels', format: 'csv' });
    expect(csv.name).toBe('остатки.csv');
    const text = csv.bytes.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).split(/\r?\n/);
    expect(lines[0]).toBe('Штрихкод;Наименование;Категория;Ед.;Остаток;Средняя закупка;Цена;Минимум');
    const evilLine = lines.find((l) => l.includes('HYPERLINK'))!;
    expect(evilLine).toContain(`"'=HYPERLINK(""http://evil.example"",""Скидка"")"`);
    expect(evilLine).toContain(';3;50,00;100,00;');

    const xlsx = await download(x.c, { what: 'stock_doc', docId: doc.id, format: 'xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const names: unknown[] = [];
    ws.eachRow((row) => names.push(row.getCell(2).value));
    expect(names).toContain('=HYPERLINK("http://evil.example","Скидка")');
    ws.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
  });
});
