import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { failure, openTill, type Till } from './support.js';

const tills: Till[] = [];
afterEach(() => {
  for (const t of tills.splice(0)) t.close();
});

describe('orders to suppliers', () => {
  it('an order for what is low, placed without moving stock; the delivery starts from it and counts against it', async () => {
    const x = openTill();
    tills.push(x);
    await x.as('stock_clerk');
    const water = (await x.c.call('catalog.lookup', { code: DEMO_BARCODES.water }))!.id;
    const milk = (await x.c.call('catalog.lookup', { code: DEMO_BARCODES.milk }))!.id;
    const supplier = await x.c.call('suppliers.create', { name: 'ООО «Родник»' });
    expect(await failure(x.c.call('orders.fromLowStock', { supplierId: supplier.id }))).toMatchObject({ code: 'stock_doc_empty' });

    // 5 bottles at 30,00; minimum 12 in sixes: order 24.
    const d = await x.c.call('receiving.create', {});
    await x.c.call('stockDocs.setLine', { docId: d.id, productId: water, qty: 5_000, cost: 3_000 });
    await x.c.call('stockDocs.post', { docId: d.id });
    await x.c.call('stock.setMinimum', { productId: water, minQty: 12_000, orderPack: 6_000 });
    const order = await x.c.call('orders.fromLowStock', { supplierId: supplier.id });
    expect(order).toMatchObject({ kind: 'order', state: 'draft', supplier: { name: 'ООО «Родник»' } });
    expect(order.lines).toEqual([expect.objectContaining({ productId: water, expectedQty: 24_000, qty: 0, cost: 3_000, status: 'ok' })]);
    // A scan adds to what is ordered; an order takes no counted quantity.
    const scanned = await x.c.call('stockDocs.scan', { docId: order.id, code: DEMO_BARCODES.milk });
    expect(scanned.lines.find((l) => l.productId === milk)).toMatchObject({ expectedQty: 1_000, qty: 0 });
    expect(await failure(x.c.call('stockDocs.setLine', { docId: order.id, productId: milk, qty: 2_000 }))).toMatchObject({ code: 'validation' });
    await x.c.call('stockDocs.setLine', { docId: order.id, productId: milk, expectedQty: 10_000, cost: 5_000 });

    // A delivery cannot start from an order not yet placed.
    expect(await failure(x.c.call('receiving.create', { orderId: order.id }))).toMatchObject({ code: 'validation' });
    const movements = x.rows('stock_movements');
    const placed = await x.c.call('stockDocs.post', { docId: order.id });
    expect(placed.state).toBe('posted');
    expect(placed.totals.expectedCost).toBe(24 * 3_000 + 10 * 5_000);
    expect(x.rows('stock_movements')).toBe(movements);
    expect(x.t.backend.db.prepare(`SELECT type FROM outbox WHERE channel = 'stock' ORDER BY seq DESC LIMIT 1`).pluck().get()).toBe('order.placed');

    const delivery = await x.c.call('receiving.create', { orderId: order.id, invoiceNo: 'Р-77' });
    expect(delivery).toMatchObject({ orderId: order.id, supplier: { id: supplier.id }, invoiceNo: 'Р-77' });
    expect(delivery.lines.map((l) => [l.productId, l.expectedQty, l.cost, l.status])).toEqual([
      [water, 24_000, 3_000, 'missing'],
      [milk, 10_000, 5_000, 'missing'],
    ]);
  });
});
