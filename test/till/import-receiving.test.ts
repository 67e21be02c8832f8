import { afterEach, describe, expect, it } from 'vitest';
import { IMPORT_CHUNK_BYTES } from '../../src-common/rpc/schemas.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { supplierXlsx } from '../support/xlsx.js';
import { failure, openTill, type Till } from './support.js';

/**
 * A supplier's XLSX price list into a delivery, through the real RPC: uploaded in pieces, read in
 * the background, previewed (bad rows named), applied in one transaction.
 */
const tills: Till[] = [];
afterEach(() => {
  for (const t of tills.splice(0)) t.close();
});

async function upload(x: Till, name: string, bytes: Buffer): Promise<string> {
  const begun = await x.c.call('imports.begin', { name, size: bytes.length });
  for (let offset = 0; offset < bytes.length; offset += IMPORT_CHUNK_BYTES) {
    await x.c.call('imports.chunk', { importId: begun.id, offset, data: bytes.subarray(offset, offset + IMPORT_CHUNK_BYTES).toString('base64') });
  }
  await x.c.call('imports.finish', { importId: begun.id });
  for (let i = 0; i < 500; i++) {
    const s = await x.c.call('imports.status', { importId: begun.id });
    if (s.state === 'ready' || s.state === 'failed') return begun.id;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the file was never read');
}

const HEADER = ['Штрихкод', 'Наименование', 'Ед.', 'Кол-во', 'Цена закупки', 'Цена розничная', 'НДС'];

describe('a supplier file into a delivery', () => {
  it('the preview names the two bad rows; the rest become the invoice lines (a new product made from its row); then counted and posted', async () => {
    const x = openTill();
    tills.push(x);
    await x.as('manager');
    const file = await supplierXlsx(HEADER, [
      [DEMO_BARCODES.milk, 'Молоко «Лавка» 3,2% 1 л', 'шт', 12, '56,40', '94,90', '10%'],
      [DEMO_BARCODES.bread, 'Хлеб', 'шт', 10, '31,00', '', '10%'],
      ['4607001234563', 'Сыр с неверным штрихкодом', 'шт', 3, '300,00', '', '10%'], // bad check digit
      ['4607001234562', 'Сыр «Российский» 200 г', 'шт', 4, '300,00', '449,90', '10%'],
      [DEMO_BARCODES.chocolate, 'Шоколад', 'шт', 5, '80,00', '', '18%'], // no such VAT rate
    ]);
    const importId = await upload(x, 'прайс.xlsx', file);
    const preview = await x.c.call('imports.preview', { importId });
    expect(preview.status.state).toBe('ready');
    expect(preview).toMatchObject({ total: 5, goodCount: 3, rejected: 2, headerRow: 2 });
    expect(preview.issues.map((i) => [i.row, i.code])).toEqual([
      [5, 'barcode_check_digit'],
      [7, 'vat_unknown'],
    ]);
    expect(preview.rows.map((r) => r.name)).toEqual(['Молоко «Лавка» 3,2% 1 л', 'Хлеб', 'Сыр «Российский» 200 г']);

    const doc = await x.c.call('receiving.create', { invoiceNo: 'МД-1190' });
    const applied = await x.c.call('imports.toReceiving', { importId, docId: doc.id });
    expect(applied).toMatchObject({ lines: 3, created: 1, rejected: 2 });
    const lines = new Map(applied.doc.lines.map((l) => [l.name, l]));
    expect(lines.get('Молоко «Лавка» 3,2% 1 л')).toMatchObject({ expectedQty: 12_000, qty: 0, cost: 5_640, newPrice: 9_490, status: 'missing' });
    expect(lines.get('Хлеб')).toBeUndefined();
    expect(lines.get('Сыр «Российский» 200 г')).toMatchObject({ expectedQty: 4_000, cost: 30_000, price: 44_990, newPrice: null });
    expect(applied.doc.totals.expectedCost).toBe(12 * 5_640 + 10 * 3_100 + 4 * 30_000);

    // Counted: 11 milk (one short), the cheese, and water nobody invoiced.
    for (let i = 0; i < 11; i++) await x.c.call('stockDocs.scan', { docId: doc.id, code: DEMO_BARCODES.milk });
    for (let i = 0; i < 4; i++) await x.c.call('stockDocs.scan', { docId: doc.id, code: '4607001234562' });
    for (let i = 0; i < 10; i++) await x.c.call('stockDocs.scan', { docId: doc.id, code: DEMO_BARCODES.bread });
    const counted = await x.c.call('stockDocs.scan', { docId: doc.id, code: DEMO_BARCODES.water });
    expect(counted.totals).toMatchObject({ short: 1, unexpected: 1, missing: 0 });
    const posted = await x.c.call('stockDocs.post', { docId: doc.id });
    expect(posted.state).toBe('posted');
    expect((await x.c.call('catalog.lookup', { code: DEMO_BARCODES.milk }))?.price).toBe(9_490);
  });

  it('an unreadable file is refused with its reason and nothing is written; a file for a posted delivery is refused', async () => {
    const x = openTill();
    tills.push(x);
    await x.as('stock_clerk');
    const good = await supplierXlsx(HEADER, [[DEMO_BARCODES.milk, 'Молоко', 'шт', 1, '50,00', '', '10%']]);
    const truncated = await upload(x, 'обрезан.xlsx', good.subarray(0, Math.floor(good.length / 2)));
    expect((await x.c.call('imports.status', { importId: truncated })).error?.code).toBe('file_damaged');
    expect(await failure(x.c.call('imports.preview', { importId: truncated }))).toMatchObject({ code: 'import_failed', details: { reason: 'file_damaged' } });
    const utf16 = await upload(x, 'utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Штрихкод;Наименование\n', 'utf16le')]));
    expect((await x.c.call('imports.status', { importId: utf16 })).error?.code).toBe('file_encoding');
    expect(await failure(x.c.call('imports.begin', { name: 'huge.xlsx', size: 60 * 1024 * 1024 }))).toMatchObject({ code: 'import_failed', details: { reason: 'file_too_large' } });
    // Pieces out of order are refused, never stitched wrong.
    const begun = await x.c.call('imports.begin', { name: 'x.csv', size: 10 });
    expect(await failure(x.c.call('imports.chunk', { importId: begun.id, offset: 5, data: Buffer.from('12345').toString('base64') }))).toMatchObject({
      code: 'import_failed',
      details: { reason: 'file_damaged' },
    });

    const ok = await upload(x, 'ok.xlsx', good);
    const doc = await x.c.call('receiving.create', {});
    await x.c.call('stockDocs.scan', { docId: doc.id, code: DEMO_BARCODES.bread });
    await x.c.call('stockDocs.post', { docId: doc.id });
    const before = x.rows('stock_doc_lines');
    expect(await failure(x.c.call('imports.toReceiving', { importId: ok, docId: doc.id }))).toMatchObject({ code: 'stock_doc_closed' });
    expect(x.rows('stock_doc_lines')).toBe(before);
    // Another user cannot use this upload.
    await x.as('manager');
    expect(await failure(x.c.call('imports.preview', { importId: ok }))).toMatchObject({ code: 'import_failed', details: { reason: 'upload_missing' } });
  });
});
