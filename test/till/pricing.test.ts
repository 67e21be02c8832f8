import { afterEach, describe, expect, it } from 'vitest';
import type { EpochMs } from '../../src-common/units.js';
import { applyDuePrices } from '../../src-main/app/pricing.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { failure, openTill, type Till } from './support.js';

const tills: Till[] = [];
afterEach(() => {
  for (const t of tills.splice(0)) t.close();
});

async function manager(): Promise<Till> {
  const x = openTill();
  tills.push(x);
  await x.as('manager');
  return x;
}

describe('retail pricing', () => {
  it('markup rules propose prices from a delivery\'s cost (the most specific rule wins); a manager applies them, a clerk may not', async () => {
    const x = await manager();
    const milk = (await x.c.call('catalog.lookup', { code: DEMO_BARCODES.milk }))!;
    const bread = (await x.c.call('catalog.lookup', { code: DEMO_BARCODES.bread }))!;
    const dairy = x.t.backend.db.prepare('SELECT category_id FROM products WHERE id = ?').pluck().get(milk.id) as number;
    const supplier = await x.c.call('suppliers.create', { name: 'ООО «Молочный двор»' });
    // 25 % on the dairy category; 40 % on this supplier's goods, to ,90 endings; 50 % on its dairy.
    await x.c.call('pricing.setRule', { categoryId: dairy, markupBp: 2_500, rounding: 1 });
    await x.c.call('pricing.setRule', { supplierId: supplier.id, markupBp: 4_000, rounding: 100, ending: 10 });
    const rulesNow = await x.c.call('pricing.setRule', { supplierId: supplier.id, categoryId: dairy, markupBp: 5_000, rounding: 100, ending: 10 });
    expect(rulesNow).toHaveLength(3);
    expect(await failure(x.c.call('pricing.setRule', { markupBp: 1_000 }))).toMatchObject({ code: 'validation' });
    expect(await failure(x.c.call('pricing.setRule', { supplierId: supplier.id, markupBp: 1_000, rounding: 100, ending: 100 }))).toMatchObject({ code: 'validation' });

    const doc = await x.c.call('receiving.create', { supplierId: supplier.id });
    await x.c.call('stockDocs.setLine', { docId: doc.id, productId: milk.id, qty: 10_000, cost: 4_100 });
    let view = await x.c.call('stockDocs.setLine', { docId: doc.id, productId: bread.id, qty: 10_000, cost: 2_000 });
    const byId = () => new Map(view.lines.map((l) => [l.productId, l]));
    // Milk (this supplier's dairy, 50 %): 61,50 → 61,90. Bread (the supplier's 40 %): 28,00 → 28,90.
    expect(byId().get(milk.id)?.proposedPrice).toBe(6_190);
    expect(byId().get(bread.id)?.proposedPrice).toBe(2_890);
    // From no supplier, only the category rule: milk at 25 %, exactly 51,25.
    const other = await x.c.call('receiving.create', {});
    const o = await x.c.call('stockDocs.setLine', { docId: other.id, productId: milk.id, qty: 1_000, cost: 4_100 });
    expect(o.lines[0]?.proposedPrice).toBe(5_125);

    await x.as('stock_clerk');
    expect(await failure(x.c.call('stockDocs.applyProposedPrices', { docId: doc.id }))).toMatchObject({ code: 'forbidden' });
    await x.as('manager');
    view = await x.c.call('stockDocs.applyProposedPrices', { docId: doc.id });
    expect([byId().get(milk.id)?.newPrice, byId().get(bread.id)?.newPrice]).toEqual([6_190, 2_890]);
    await x.c.call('stockDocs.post', { docId: doc.id });
    expect((await x.c.call('catalog.lookup', { code: DEMO_BARCODES.milk }))?.price).toBe(6_190);
  });

  it('a delivery\'s new prices from a later moment wait in the schedule, take effect between baskets, and can be cancelled before', async () => {
    const x = await manager();
    const milk = (await x.c.call('catalog.lookup', { code: DEMO_BARCODES.milk }))!;
    const bread = (await x.c.call('catalog.lookup', { code: DEMO_BARCODES.bread }))!;
    const now = x.t.clock.now();
    const from = now + 10 * 60_000;
    const doc = await x.c.call('receiving.create', { pricesFrom: from });
    await x.c.call('stockDocs.setLine', { docId: doc.id, productId: milk.id, qty: 5_000, cost: 5_000, newPrice: 9_990 });
    await x.c.call('stockDocs.setLine', { docId: doc.id, productId: bread.id, qty: 5_000, cost: 2_000, newPrice: 3_990 });
    const posted = await x.c.call('stockDocs.post', { docId: doc.id });
    expect(posted.pricesFrom).toBe(from);
    // Not yet: the old price still sells, nothing waits for tags.
    expect((await x.c.call('catalog.lookup', { code: DEMO_BARCODES.milk }))?.price).toBe(milk.price);
    expect(x.rows('price_changes')).toBe(0);
    const scheduled = await x.c.call('pricing.scheduled', {});
    expect(scheduled.map((s) => [s.productId, s.newPrice, s.effectiveAt])).toEqual([
      [milk.id, 9_990, from],
      [bread.id, 3_990, from],
    ]);
    // The bread's change is called off.
    await x.c.call('pricing.cancelScheduled', { id: scheduled[1]!.id });

    const { db, repos } = x.t.backend;
    expect(applyDuePrices(db, repos, (from - 1) as EpochMs)).toBe(0);
    // At the moment, a basket is being rung up: the price waits for it.
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.water });
    expect(applyDuePrices(db, repos, (from + 1) as EpochMs)).toBe(0);
    await x.c.call('checkout.cancel', {});
    expect(applyDuePrices(db, repos, (from + 1) as EpochMs)).toBe(1);
    expect((await x.c.call('catalog.lookup', { code: DEMO_BARCODES.milk }))?.price).toBe(9_990);
    expect((await x.c.call('catalog.lookup', { code: DEMO_BARCODES.bread }))?.price).toBe(bread.price);
    expect(db.prepare('SELECT product_id, new_price, source_id FROM price_changes').all()).toEqual([{ product_id: milk.id, new_price: 9_990, source_id: doc.id }]);
    expect(await x.c.call('pricing.scheduled', {})).toEqual([]);
    expect(applyDuePrices(db, repos, (from + 2) as EpochMs)).toBe(0);
  });
});
