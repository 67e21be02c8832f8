import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IMPORT_CHUNK_BYTES } from '../../src-common/rpc/schemas.js';
import type { RpcClient } from '../../src-common/rpc/client.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { supplierXlsx } from '../support/xlsx.js';
import { failure, openTill, type Till } from './support.js';

/** Catalogs into the till: a 1C CommerceML exchange and a price list, through the real RPC and SQLite. */
const tills: Till[] = [];
afterEach(() => {
  for (const t of tills.splice(0)) t.close();
});
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'commerceml');

async function upload(c: RpcClient, name: string, bytes: Buffer): Promise<string> {
  const begun = await c.call('imports.begin', { name, size: bytes.length });
  for (let offset = 0; offset < bytes.length; offset += IMPORT_CHUNK_BYTES) {
    await c.call('imports.chunk', { importId: begun.id, offset, data: bytes.subarray(offset, offset + IMPORT_CHUNK_BYTES).toString('base64') });
  }
  await c.call('imports.finish', { importId: begun.id });
  return begun.id;
}

async function ready(c: RpcClient, importId: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const s = await c.call('imports.status', { importId });
    if (s.state === 'ready' || s.state === 'failed') return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('never read');
}

describe('catalog imports', () => {
  it('a CommerceML 2 exchange (Cyrillic names, several barcodes per product, the retail price type) becomes the catalog', async () => {
    const x = openTill();
    tills.push(x);
    await x.as('manager');
    const importId = await upload(x.c, 'import.xml', readFileSync(join(FIXTURES, 'import.xml')));
    const offersId = await upload(x.c, 'offers.xml', readFileSync(join(FIXTURES, 'offers.xml')));
    // No price type named: the retail one is taken (the person may choose another).
    await x.c.call('imports.commerceml', { importId, offersId });
    await ready(x.c, importId);
    const preview = await x.c.call('imports.commercemlPreview', { importId });
    expect(preview.priceTypes.map((p) => p.name)).toEqual(['Оптовая', 'Розничная']);
    expect(preview.priceType?.name).toBe('Розничная');
    expect(preview.goodCount).toBeGreaterThan(0);

    const before = x.rows('products');
    const result = await x.c.call('imports.toCatalog', { importId });
    expect(result.created + result.updated).toBe(preview.goodCount);
    expect(x.rows('products')).toBe(before + result.created);
    const milk = await x.c.call('catalog.lookup', { code: '4607001234562' });
    expect(milk).toMatchObject({ name: 'Молоко «Домик в деревне» 3,2% 1 л', price: 6_990, category: 'Молоко', vat: { bp: 1000 } });
    // Every barcode an item carries finds the same product.
    for (const p of preview.products.filter((p) => p.barcodes.length > 1)) {
      const ids = await Promise.all(p.barcodes.map(async (b) => (await x.c.call('catalog.lookup', { code: b }))?.id));
      expect(new Set(ids).size, p.name).toBe(1);
      expect(ids[0]).toBeDefined();
    }
    // Importing the same exchange again changes nothing new.
    const again = await x.c.call('imports.toCatalog', { importId });
    expect(again).toMatchObject({ created: 0, priceChanges: 0 });
  });

  it('a price list updates known goods (a new price recorded for its tags) and makes new ones; a clerk\'s import leaves prices alone', async () => {
    const x = openTill();
    tills.push(x);
    await x.as('stock_clerk');
    const file = await supplierXlsx(['Штрихкод', 'Наименование', 'Цена', 'НДС', 'Группа'], [
      [DEMO_BARCODES.milk, 'Молоко «Лавка» 3,2% 1 л', '99,90', '10%', 'Молочное'],
      ['4607001234562', 'Сыр «Российский» 200 г', '449,90', '10%', 'Сыры'],
      ['4607001234569', 'Плохой штрихкод', '1,00', '10%', ''],
    ]);
    const clerkImport = await upload(x.c, 'цены.xlsx', file);
    await ready(x.c, clerkImport);
    const milkBefore = (await x.c.call('catalog.lookup', { code: DEMO_BARCODES.milk }))!.price;
    expect(await x.c.call('imports.toCatalog', { importId: clerkImport })).toEqual({ created: 1, updated: 1, priceChanges: 0, rejected: 1 });
    expect((await x.c.call('catalog.lookup', { code: DEMO_BARCODES.milk }))?.price).toBe(milkBefore);
    expect((await x.c.call('catalog.lookup', { code: '4607001234562' }))?.price).toBe(0);

    await x.as('manager');
    const managerImport = await upload(x.c, 'цены.xlsx', file);
    await ready(x.c, managerImport);
    expect(await x.c.call('imports.toCatalog', { importId: managerImport })).toEqual({ created: 0, updated: 2, priceChanges: 2, rejected: 1 });
    expect((await x.c.call('catalog.lookup', { code: DEMO_BARCODES.milk }))?.price).toBe(9_990);
    expect(x.t.backend.db.prepare('SELECT COUNT(*) FROM price_changes WHERE tags_printed_at IS NULL').pluck().get()).toBe(2);
    // A price list is not a CommerceML exchange.
    expect(await failure(x.c.call('imports.commercemlPreview', { importId: managerImport }))).toMatchObject({ code: 'import_failed', details: { reason: 'file_format' } });
  });
});
