import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { failure, openTill, openTillOn, type Till } from './support.js';

/**
 * A stock count taken while the till goes on selling: what was counted is compared with the ledger
 * as it stood when the count began, so the sales made meanwhile are neither lost nor counted twice.
 */
const tills: Till[] = [];
afterEach(() => {
  for (const t of tills.splice(0)) t.close();
});

const level = (x: Till, id: number) => (x.t.backend.db.prepare('SELECT qty FROM stock_levels WHERE product_id = ?').pluck().get(id) as number | undefined) ?? 0;

async function sell(cashier: Till, code: string, times: number): Promise<void> {
  let total = 0;
  for (let i = 0; i < times; i++) total = (await cashier.c.call('checkout.scan', { code })).total;
  await cashier.c.call('checkout.complete', { payments: [{ method: 'card', amount: total }] });
}

describe('a stock count while sales go on', () => {
  it('the difference is taken against the book at the start: sales during the count are not counted twice', async () => {
    const clerk = openTill();
    tills.push(clerk);
    // The cashier's window on the same till: a second connection, selling while the clerk counts.
    const cashier = openTillOn(clerk);
    tills.push({ ...cashier, close: () => cashier.c.close() });
    await clerk.as('stock_clerk');
    await cashier.as('cashier');
    const milk = (await clerk.c.call('catalog.lookup', { code: DEMO_BARCODES.milk }))!.id;
    const bread = (await clerk.c.call('catalog.lookup', { code: DEMO_BARCODES.bread }))!.id;
    const water = (await clerk.c.call('catalog.lookup', { code: DEMO_BARCODES.water }))!.id;

    // The book: 10 milk, 20 bread, 4 water.
    const delivery = await clerk.c.call('receiving.create', {});
    for (const [id, qty] of [
      [milk, 10_000],
      [bread, 20_000],
      [water, 4_000],
    ] as const) {
      await clerk.c.call('stockDocs.setLine', { docId: delivery.id, productId: id, qty, cost: 1_000 });
    }
    await clerk.c.call('stockDocs.post', { docId: delivery.id });
    await sell(cashier, DEMO_BARCODES.bread, 1); // before the count: in the book it starts from (19)

    const count = await clerk.c.call('counts.create', { blind: true });
    // The shelf when counting began: 9 milk (one went missing), 19 bread, 4 water.
    for (let i = 0; i < 9; i++) await clerk.c.call('stockDocs.scan', { docId: count.id, code: DEMO_BARCODES.milk });
    // Two milk and three bread are sold while the clerk counts (milk after it was counted, bread before).
    await sell(cashier, DEMO_BARCODES.milk, 2);
    await sell(cashier, DEMO_BARCODES.bread, 3);
    // The clerk counted the bread shelf before those three went: 19.
    const view = await clerk.c.call('stockDocs.setLine', { docId: count.id, productId: bread, qty: 19_000 });
    // Blind: the book is not shown while counting.
    expect(view.lines.every((l) => l.expectedQty === null)).toBe(true);
    // Corrections are qty only.
    expect(await failure(clerk.c.call('stockDocs.setLine', { docId: count.id, productId: bread, cost: 100 }))).toMatchObject({ code: 'validation' });

    const posted = await clerk.c.call('stockDocs.post', { docId: count.id, zeroUncounted: false });
    expect(posted.state).toBe('posted');
    const lines = new Map(posted.lines.map((l) => [l.productId, l]));
    expect(lines.get(milk)).toMatchObject({ expectedQty: 10_000, qty: 9_000, status: 'short' });
    expect(lines.get(bread)).toMatchObject({ expectedQty: 19_000, qty: 19_000, status: 'ok' });
    // Milk: 10 − 2 sold − 1 missing = 7 (comparing with the stock at posting, 8, would have "found" one).
    expect(level(clerk, milk)).toBe(7_000);
    // Bread: 20 − 1 − 3 = 16, no adjustment.
    expect(level(clerk, bread)).toBe(16_000);
    // Water was not counted and not zeroed.
    expect(level(clerk, water)).toBe(4_000);
    const adjustments = clerk.t.backend.db.prepare(`SELECT product_id AS id, qty FROM stock_movements WHERE reason = 'count'`).all();
    expect(adjustments).toEqual([{ id: milk, qty: -1_000 }]);
    const event = clerk.t.backend.db.prepare(`SELECT type, payload FROM outbox WHERE channel = 'stock' ORDER BY seq DESC LIMIT 1`).get() as { type: string; payload: string };
    expect(event.type).toBe('count.posted');
    expect(JSON.parse(event.payload).lines).toEqual(expect.arrayContaining([{ productId: milk, book: 10_000, counted: 9_000, difference: -1_000 }]));
  });

  it('a full count with "count the rest as none" zeroes goods nobody counted; a new count then starts from the corrected book', async () => {
    const x = openTill();
    tills.push(x);
    await x.as('stock_clerk');
    const milk = (await x.c.call('catalog.lookup', { code: DEMO_BARCODES.milk }))!.id;
    const water = (await x.c.call('catalog.lookup', { code: DEMO_BARCODES.water }))!.id;
    const d = await x.c.call('receiving.create', {});
    await x.c.call('stockDocs.setLine', { docId: d.id, productId: milk, qty: 5_000, cost: 1_000 });
    await x.c.call('stockDocs.setLine', { docId: d.id, productId: water, qty: 3_000, cost: 1_000 });
    await x.c.call('stockDocs.post', { docId: d.id });

    const count = await x.c.call('counts.create', { blind: false });
    await x.c.call('stockDocs.scan', { docId: count.id, code: DEMO_BARCODES.milk });
    const posted = await x.c.call('stockDocs.post', { docId: count.id, zeroUncounted: true });
    expect(posted.lines.map((l) => [l.productId, l.expectedQty, l.qty])).toEqual(
      expect.arrayContaining([
        [milk, 5_000, 1_000],
        [water, 3_000, 0],
      ]),
    );
    expect(level(x, milk)).toBe(1_000);
    expect(level(x, water)).toBe(0);
    expect(await failure(x.c.call('stockDocs.scan', { docId: count.id, code: DEMO_BARCODES.milk }))).toMatchObject({ code: 'stock_doc_closed' });

    const next = await x.c.call('counts.create', { blind: false });
    await x.c.call('stockDocs.setLine', { docId: next.id, productId: milk, qty: 1_000 });
    const again = await x.c.call('stockDocs.post', { docId: next.id });
    expect(again.lines).toEqual([expect.objectContaining({ productId: milk, expectedQty: 1_000, qty: 1_000, status: 'ok' })]);
    expect(x.t.backend.db.prepare(`SELECT COUNT(*) FROM stock_movements WHERE ref_id = ?`).pluck().get(next.id)).toBe(0);
  });

  it('a count of one location zeroes only what is kept there and was not counted', async () => {
    const x = openTill();
    tills.push(x);
    await x.as('stock_clerk');
    const milk = (await x.c.call('catalog.lookup', { code: DEMO_BARCODES.milk }))!.id;
    const water = (await x.c.call('catalog.lookup', { code: DEMO_BARCODES.water }))!.id;
    const bread = (await x.c.call('catalog.lookup', { code: DEMO_BARCODES.bread }))!.id;
    const d = await x.c.call('receiving.create', {});
    for (const id of [milk, water, bread]) await x.c.call('stockDocs.setLine', { docId: d.id, productId: id, qty: 4_000, cost: 1_000 });
    await x.c.call('stockDocs.post', { docId: d.id });
    expect(await x.c.call('stock.setLocation', { productId: milk, location: 'Холодильник 1' })).toMatchObject({ location: 'Холодильник 1' });
    await x.c.call('stock.setLocation', { productId: bread, location: 'Холодильник 1' });
    await x.c.call('stock.setLocation', { productId: water, location: 'Склад' });
    expect((await x.c.call('stock.levels', { location: 'Холодильник 1' })).map((l) => l.productId).sort()).toEqual([milk, bread].sort());

    const count = await x.c.call('counts.create', { location: 'Холодильник 1', blind: true });
    expect(count.location).toBe('Холодильник 1');
    await x.c.call('stockDocs.setLine', { docId: count.id, productId: milk, qty: 3_000 });
    await x.c.call('stockDocs.post', { docId: count.id, zeroUncounted: true });
    expect([level(x, milk), level(x, bread), level(x, water)]).toEqual([3_000, 0, 4_000]);
  });
});
