import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { failure, openTill, type Till } from './support.js';

const tills: Till[] = [];
afterEach(() => {
  for (const t of tills.splice(0)) t.close();
});

describe('writing goods off', () => {
  it('damaged goods leave stock at their average cost, with the reason, in one transaction; the value is kept with the document', async () => {
    const x = openTill();
    tills.push(x);
    await x.as('stock_clerk');
    const milk = (await x.c.call('catalog.lookup', { code: DEMO_BARCODES.milk }))!.id;
    const delivery = await x.c.call('receiving.create', {});
    await x.c.call('stockDocs.setLine', { docId: delivery.id, productId: milk, qty: 10_000, cost: 5_000 });
    await x.c.call('stockDocs.post', { docId: delivery.id });

    expect(await failure(x.c.call('writeoffs.create', { reason: 'other' }))).toMatchObject({ code: 'validation' });
    const w = await x.c.call('writeoffs.create', { reason: 'damage', note: 'упала коробка' });
    expect(w).toMatchObject({ kind: 'writeoff', reason: 'damage', state: 'draft' });
    await x.c.call('stockDocs.scan', { docId: w.id, code: DEMO_BARCODES.milk });
    await x.c.call('stockDocs.scan', { docId: w.id, code: DEMO_BARCODES.milk });
    expect(await failure(x.c.call('stockDocs.setLine', { docId: w.id, productId: milk, cost: 1 }))).toMatchObject({ code: 'validation' });
    const posted = await x.c.call('stockDocs.post', { docId: w.id });
    expect(posted.lines).toEqual([expect.objectContaining({ productId: milk, qty: 2_000, cost: 5_000 })]);
    expect(posted.totals.receivedCost).toBe(10_000);
    expect(x.t.backend.db.prepare('SELECT qty FROM stock_levels WHERE product_id = ?').pluck().get(milk)).toBe(8_000);
    expect(x.t.backend.db.prepare(`SELECT qty, reason FROM stock_movements WHERE ref_id = ?`).all(w.id)).toEqual([{ qty: -2_000, reason: 'writeoff' }]);
    const event = x.t.backend.db.prepare(`SELECT type, payload FROM outbox WHERE channel = 'stock' ORDER BY seq DESC LIMIT 1`).get() as { type: string; payload: string };
    expect(event.type).toBe('writeoff.posted');
    expect(JSON.parse(event.payload)).toMatchObject({ doc: { reason: 'damage', note: 'упала коробка' }, lines: [{ productId: milk, qty: 2_000, avgCost: 5_000 }] });
  });
});
