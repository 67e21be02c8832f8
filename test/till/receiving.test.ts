import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { waitFor } from '../support/wait.js';
import { failure, openTill, type Till } from './support.js';

/**
 * Receiving a supplier's delivery through the RPC, against a real SQLite store: scanned and counted
 * against the invoice, posted in one transaction (stock, average cost, retail prices, outbox,
 * audit), and never changed after.
 */
const tills: Till[] = [];
afterEach(() => {
  for (const t of tills.splice(0)) t.close();
});

async function till(): Promise<Till> {
  const x = openTill();
  tills.push(x);
  await x.as('stock_clerk');
  return x;
}

async function productId(x: Till, barcode: string): Promise<number> {
  return (await x.c.call('catalog.lookup', { code: barcode }))!.id;
}
const level = (x: Till, id: number) => x.t.backend.db.prepare('SELECT qty, avg_cost AS avgCost FROM stock_levels WHERE product_id = ?').get(id) as { qty: number; avgCost: number | null } | undefined;

async function receive(x: Till, lines: { barcode: string; qty: number; cost: number }[]): Promise<string> {
  const doc = await x.c.call('receiving.create', {});
  for (const l of lines) await x.c.call('stockDocs.setLine', { docId: doc.id, productId: await productId(x, l.barcode), qty: l.qty, cost: l.cost });
  await x.c.call('stockDocs.post', { docId: doc.id });
  return doc.id;
}

describe('receiving a delivery', () => {
  it('counted against the invoice: short, missing, unexpected and weighed lines; posted, stock and average cost are right, new prices take effect', async () => {
    const x = await till();
    const milk = await productId(x, DEMO_BARCODES.milk);
    const water = await productId(x, DEMO_BARCODES.water);
    const chocolate = await productId(x, DEMO_BARCODES.chocolate);
    const coffee = await productId(x, DEMO_BARCODES.coffee);

    // Ten litres of milk came earlier at 50,00; two are sold since.
    await receive(x, [{ barcode: DEMO_BARCODES.milk, qty: 10_000, cost: 5_000 }]);
    expect(level(x, milk)).toEqual({ qty: 10_000, avgCost: 5_000 });
    await x.as('cashier');
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    const sale = await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: sale.total }] });
    expect(level(x, milk)?.qty).toBe(8_000);

    await x.as('stock_clerk');
    const supplier = await x.c.call('suppliers.create', { name: 'ООО «Молочный двор»', inn: '7707083893' });
    expect(await failure(x.c.call('suppliers.create', { name: 'ИП Петров', inn: '7707083894' }))).toMatchObject({ code: 'supplier_invalid', details: { field: 'inn' } });
    expect(await failure(x.c.call('suppliers.create', { name: 'ООО «Молочный двор»' }))).toMatchObject({ code: 'supplier_invalid', details: { reason: 'duplicate' } });
    const doc = await x.c.call('receiving.create', { supplierId: supplier.id, invoiceNo: 'МД-1187', invoiceDate: '2026-12-02' });
    expect(doc).toMatchObject({ state: 'draft', supplier: { name: 'ООО «Молочный двор»' }, invoiceNo: 'МД-1187', lines: [] });

    // The invoice: 10 milk at 56,00, 6 water at 30,00, 5 chocolate at 80,00.
    for (const [id, qty, cost] of [
      [milk, 10_000, 5_600],
      [water, 6_000, 3_000],
      [chocolate, 5_000, 8_000],
    ] as const) {
      await x.c.call('stockDocs.setLine', { docId: doc.id, productId: id, expectedQty: qty, cost });
    }
    // Counting: nine milk, one six-pack of water, a coffee nobody ordered, 1.234 kg of apples.
    for (let i = 0; i < 9; i++) await x.c.call('stockDocs.scan', { docId: doc.id, code: DEMO_BARCODES.milk });
    await x.c.call('stockDocs.scan', { docId: doc.id, code: DEMO_BARCODES.water6 });
    await x.c.call('stockDocs.scan', { docId: doc.id, code: DEMO_BARCODES.coffee });
    let view = await x.c.call('stockDocs.scan', { docId: doc.id, code: DEMO_BARCODES.apples1234g });
    expect(await failure(x.c.call('stockDocs.scan', { docId: doc.id, code: '4600000099990' }))).toMatchObject({ code: 'unknown_barcode' });
    const apples = view.lines.find((l) => l.unit === 'kg')!;
    await x.c.call('stockDocs.setLine', { docId: doc.id, productId: apples.productId, cost: 12_000 });
    // Piece goods are counted whole.
    expect(await failure(x.c.call('stockDocs.setLine', { docId: doc.id, productId: coffee, qty: 1_500 }))).toMatchObject({ code: 'invalid_quantity' });

    view = await x.c.call('stockDocs.get', { id: doc.id });
    const byId = new Map(view.lines.map((l) => [l.productId, l]));
    expect(byId.get(milk)).toMatchObject({ expectedQty: 10_000, qty: 9_000, status: 'short' });
    expect(byId.get(water)).toMatchObject({ expectedQty: 6_000, qty: 6_000, status: 'ok' });
    expect(byId.get(chocolate)).toMatchObject({ expectedQty: 5_000, qty: 0, status: 'missing' });
    expect(byId.get(coffee)).toMatchObject({ expectedQty: null, qty: 1_000, status: 'unexpected' });
    expect(byId.get(apples.productId)).toMatchObject({ qty: 1_234, status: 'unexpected' });
    // At cost: invoice 10×56 + 6×30 + 5×80 = 1 140,00; received 9×56 + 6×30 + 1.234×120 = 832,08.
    expect(view.totals).toMatchObject({ expectedCost: 114_000, receivedCost: 83_208, lines: 5, short: 1, missing: 1, unexpected: 2, over: 0 });

    // A clerk may not set retail prices; a manager may.
    expect(await failure(x.c.call('stockDocs.setLine', { docId: doc.id, productId: milk, newPrice: 9_490 }))).toMatchObject({ code: 'forbidden', details: { permission: 'prices_manage' } });
    await x.as('manager');
    await x.c.call('stockDocs.setLine', { docId: doc.id, productId: milk, newPrice: 9_490 });
    const outboxBefore = x.rows('outbox');
    const posted = await x.c.call('stockDocs.post', { docId: doc.id });
    expect(posted).toMatchObject({ state: 'posted', postedBy: 'Мария Иванова' });

    // Milk: 8 on hand at 50,00 and 9 at 56,00 → 17 at 53,18 (904,00 / 17 = 53,176…).
    expect(level(x, milk)).toEqual({ qty: 17_000, avgCost: 5_318 });
    expect(level(x, water)).toMatchObject({ qty: 6_000, avgCost: 3_000 });
    expect(level(x, chocolate)?.qty ?? 0).toBe(0);
    expect(level(x, apples.productId)).toMatchObject({ qty: 1_234, avgCost: 12_000 });
    // Received without a cost: counted, no average invented.
    expect(level(x, coffee)).toMatchObject({ qty: 1_000, avgCost: null });
    // The stock levels agree with the ledger of movements.
    const ledger = x.t.backend.db.prepare('SELECT product_id AS id, SUM(qty) AS qty FROM stock_movements GROUP BY product_id').all() as { id: number; qty: number }[];
    for (const m of ledger) expect(level(x, m.id)?.qty).toBe(m.qty);

    expect((await x.c.call('catalog.lookup', { code: DEMO_BARCODES.milk }))?.price).toBe(9_490);
    expect(x.t.backend.db.prepare('SELECT new_price, source_id, tags_printed_at FROM price_changes WHERE product_id = ?').get(milk)).toEqual({ new_price: 9_490, source_id: doc.id, tags_printed_at: null });
    expect(x.rows('outbox')).toBe(outboxBefore + 1);
    const event = x.t.backend.db.prepare(`SELECT channel, type, payload FROM outbox ORDER BY seq DESC LIMIT 1`).get() as { channel: string; type: string; payload: string };
    expect(event).toMatchObject({ channel: 'stock', type: 'receiving.posted' });
    expect(JSON.parse(event.payload)).toMatchObject({ doc: { id: doc.id, invoiceNo: 'МД-1187' }, totals: { receivedCost: 83_208 } });
    expect(x.t.backend.db.prepare(`SELECT COUNT(*) FROM audit_log WHERE action = 'receiving.post' AND subject = ?`).pluck().get(doc.id)).toBe(1);

    const levels = await x.c.call('stock.levels', { text: 'молоко' });
    expect(levels.find((l) => l.productId === milk)).toMatchObject({ qty: 17_000, avgCost: 5_318, price: 9_490 });
  });

  it('a posted document is never changed: the commands refuse it, and so does the database itself', async () => {
    const x = await till();
    const id = await receive(x, [{ barcode: DEMO_BARCODES.bread, qty: 5_000, cost: 2_500 }]);
    const bread = await productId(x, DEMO_BARCODES.bread);
    expect(await failure(x.c.call('stockDocs.scan', { docId: id, code: DEMO_BARCODES.bread }))).toMatchObject({ code: 'stock_doc_closed', details: { state: 'posted' } });
    expect(await failure(x.c.call('stockDocs.setLine', { docId: id, productId: bread, qty: 1_000 }))).toMatchObject({ code: 'stock_doc_closed' });
    expect(await failure(x.c.call('stockDocs.post', { docId: id }))).toMatchObject({ code: 'stock_doc_closed' });
    expect(await failure(x.c.call('stockDocs.cancel', { docId: id }))).toMatchObject({ code: 'stock_doc_closed' });
    const db = x.t.backend.db;
    expect(() => db.prepare('UPDATE stock_doc_lines SET qty = 1 WHERE doc_id = ?').run(id)).toThrow(/never changed/);
    expect(() => db.prepare('DELETE FROM stock_doc_lines WHERE doc_id = ?').run(id)).toThrow(/never changed/);
    expect(() => db.prepare(`UPDATE stock_docs SET state = 'draft' WHERE id = ?`).run(id)).toThrow(/never changed/);
    expect(() => db.prepare('UPDATE stock_movements SET qty = 0').run()).toThrow(/never changed/);
    expect(() => db.prepare('DELETE FROM stock_movements').run()).toThrow(/never deleted/);
    expect(level(x, bread)?.qty).toBe(5_000);
  });

  it('posting is all or nothing: a failure at the last write leaves stock, costs, prices and the draft as they were', async () => {
    const x = await till();
    await x.as('manager');
    const milk = await productId(x, DEMO_BARCODES.milk);
    const price = (await x.c.call('catalog.lookup', { code: DEMO_BARCODES.milk }))!.price;
    const doc = await x.c.call('receiving.create', {});
    await x.c.call('stockDocs.setLine', { docId: doc.id, productId: milk, qty: 4_000, cost: 6_100, newPrice: price + 1_000 });
    const counts = () => ['stock_movements', 'price_changes', 'outbox', 'audit_log'].map((t) => x.rows(t));
    const before = counts();
    // The disk refuses the outbox row, the last thing posting writes.
    x.t.backend.db.exec(`CREATE TEMP TRIGGER refuse_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    await expect(x.c.call('stockDocs.post', { docId: doc.id })).rejects.toBeTruthy();
    x.t.backend.db.exec('DROP TRIGGER refuse_outbox');
    expect(counts()).toEqual(before);
    expect(level(x, milk)?.qty ?? 0).toBe(0);
    expect(level(x, milk)?.avgCost ?? null).toBeNull();
    expect((await x.c.call('catalog.lookup', { code: DEMO_BARCODES.milk }))?.price).toBe(price);
    expect((await x.c.call('stockDocs.get', { id: doc.id })).state).toBe('draft');
    // And it posts once the disk is back.
    expect((await x.c.call('stockDocs.post', { docId: doc.id })).state).toBe('posted');
    expect(level(x, milk)).toEqual({ qty: 4_000, avgCost: 6_100 });
  });

  it('refuses an empty delivery and anyone without the stock permission; a cancelled draft changes nothing', async () => {
    const x = await till();
    const doc = await x.c.call('receiving.create', { invoiceNo: 'Б/Н' });
    expect(await failure(x.c.call('stockDocs.post', { docId: doc.id }))).toMatchObject({ code: 'stock_doc_empty' });
    await x.c.call('stockDocs.scan', { docId: doc.id, code: DEMO_BARCODES.bread });
    const cancelled = await x.c.call('stockDocs.cancel', { docId: doc.id });
    expect(cancelled.state).toBe('cancelled');
    expect(x.rows('stock_movements')).toBe(0);
    expect(await failure(x.c.call('receiving.create', { supplierId: 999 }))).toMatchObject({ code: 'not_found' });

    await x.as('cashier');
    const before = x.rows('stock_docs');
    expect(await failure(x.c.call('receiving.create', {}))).toMatchObject({ code: 'forbidden', details: { permission: 'stock' } });
    expect(await failure(x.c.call('stock.levels', {}))).toMatchObject({ code: 'forbidden' });
    expect(x.rows('stock_docs')).toBe(before);
  });

  it('an unknown barcode on a delivery becomes a product on the spot; without a price it is stocked but never sold until a manager prices it', async () => {
    const x = await till();
    const doc = await x.c.call('receiving.create', {});
    const code = '4607001234562';
    expect(await failure(x.c.call('stockDocs.scan', { docId: doc.id, code }))).toMatchObject({ code: 'unknown_barcode' });
    const before = x.rows('products');
    // Refused whole: a bad check digit, a barcode another product has, an unknown VAT rate, a price from a clerk.
    expect(await failure(x.c.call('catalog.createProduct', { name: 'Сыр', taxCode: 'vat10', barcode: '4607001234565' }))).toMatchObject({ code: 'product_invalid', details: { reason: 'check_digit' } });
    expect(await failure(x.c.call('catalog.createProduct', { name: 'Сыр', taxCode: 'vat10', barcode: DEMO_BARCODES.milk }))).toMatchObject({ code: 'product_invalid', details: { reason: 'taken' } });
    expect(await failure(x.c.call('catalog.createProduct', { name: 'Сыр', taxCode: 'vat18', barcode: code }))).toMatchObject({ code: 'product_invalid', details: { reason: 'unknown_vat' } });
    expect(await failure(x.c.call('catalog.createProduct', { name: 'Сыр', taxCode: 'vat10', barcode: code, price: 45_000 }))).toMatchObject({ code: 'forbidden' });
    expect(x.rows('products')).toBe(before);

    const made = await x.c.call('catalog.createProduct', { name: 'Сыр «Российский» 200 г', taxCode: 'vat10', barcode: code, category: 'Сыры' });
    expect(made).toMatchObject({ name: 'Сыр «Российский» 200 г', price: 0, category: 'Сыры', vat: { code: 'vat10', bp: 1000 }, barcode: code });
    const counted = await x.c.call('stockDocs.scan', { docId: doc.id, code });
    expect(counted.lines).toEqual([expect.objectContaining({ productId: made.id, qty: 1_000, status: 'unexpected' })]);
    await x.c.call('stockDocs.post', { docId: doc.id });

    await x.as('cashier');
    expect(await failure(x.c.call('checkout.scan', { code }))).toMatchObject({ code: 'invalid_price', details: { reason: 'no_price' } });
    // Priced by a manager on the next delivery, it sells.
    await x.as('manager');
    const next = await x.c.call('receiving.create', {});
    await x.c.call('stockDocs.setLine', { docId: next.id, productId: made.id, qty: 1_000, cost: 30_000, newPrice: 45_000 });
    await x.c.call('stockDocs.post', { docId: next.id });
    await x.as('cashier');
    expect((await x.c.call('checkout.scan', { code })).lines.at(-1)).toMatchObject({ name: 'Сыр «Российский» 200 г', price: 45_000 });
  });

  it('low stock: a minimum and the supplier pack give the reorder suggestion; the low filter lists it', async () => {
    const x = await till();
    const water = (await x.c.call('catalog.lookup', { code: DEMO_BARCODES.water }))!.id;
    await receive(x, [{ barcode: DEMO_BARCODES.water, qty: 5_000, cost: 3_000 }]);
    const set = await x.c.call('stock.setMinimum', { productId: water, minQty: 12_000, orderPack: 6_000 });
    // 5 on hand, minimum 12: back up to 24 is 19, in sixes: 24.
    expect(set).toMatchObject({ qty: 5_000, minQty: 12_000, orderPack: 6_000, low: true, reorder: 24_000 });
    expect((await x.c.call('stock.levels', { lowOnly: true })).map((l) => l.productId)).toEqual([water]);
    await x.as('cashier');
    expect(await failure(x.c.call('stock.setMinimum', { productId: water, minQty: 1_000 }))).toMatchObject({ code: 'forbidden' });
  });
});

describe('weighed goods on a delivery', () => {
  it('take their weight from the till\'s scale; a piece product is not weighed', async () => {
    const x = openTill({ demo: { products: 50, emulatedDevices: true } });
    tills.push(x);
    // 2.345 kg of apples on the demo's emulated scale (the devices screen's control, an owner's).
    await x.as('owner');
    await x.c.call('devices.emulatorLoad', { deviceId: 'demo-scale', grams: 2_345 });
    await x.as('stock_clerk');
    const apples = x.t.backend.db.prepare(`SELECT id FROM products WHERE unit = 'kg' ORDER BY id LIMIT 1`).pluck().get() as number;
    const bread = (await x.c.call('catalog.lookup', { code: DEMO_BARCODES.bread }))!.id;
    const doc = await x.c.call('receiving.create', {});
    const weighed = await waitFor(
      () => x.c.call('stockDocs.weigh', { docId: doc.id, productId: apples }).catch(() => null),
      (v) => v !== null,
      'a stable weight from the demo scale',
    );
    expect(weighed!.lines).toEqual([expect.objectContaining({ productId: apples, qty: 2_345 })]);
    expect(await failure(x.c.call('stockDocs.weigh', { docId: doc.id, productId: bread }))).toMatchObject({ code: 'invalid_quantity' });
  });
});
