import { directCaller, type Figures, type Group } from '../context.js';
import { round, summarize, yieldToLoop } from '../stats.js';

const LINES = 2_000;
const DELIVERIES = 7;

/**
 * Posting a supplier delivery of 2,000 lines (`stockDocs.post` through the in-process dispatcher,
 * synchronous=FULL): per line a stock movement, the stock level (trigger), the weighted-average
 * cost, and for every tenth line a new retail price with its price-tag row; then the outbox event
 * and the audit entry, all in one transaction. The drafts are filled through `stockDocs.setLine`
 * beforehand (synchronous=OFF for the fill only). Seven deliveries of different products:
 *   post_2000_lines_ms       the median post
 *   post_2000_lines_max_ms   the slowest of the seven
 */
export const stockPostGroup: Group = {
  name: 'stock_post',
  describe: 'stockDocs.post on a 2,000-line delivery (stock, average cost, prices, outbox, audit)',
  async run(ctx): Promise<Figures | { skipped: string }> {
    const backend = ctx.backend();
    const { db } = backend;
    const call = directCaller(backend, 'manager');
    const products = db.prepare(`SELECT id, unit, price FROM products WHERE kind <> 'service' ORDER BY id LIMIT ?`).all(LINES * DELIVERIES) as { id: number; unit: string; price: number }[];
    if (products.length < LINES * DELIVERIES) return { skipped: `the catalog has ${products.length} products, ${LINES * DELIVERIES} needed` };

    const times: number[] = [];
    for (let d = 0; d < DELIVERIES; d++) {
      const doc = call<{ id: string }>('receiving.create', { invoiceNo: `BENCH-${d + 1}` });
      db.pragma('synchronous = OFF');
      try {
        for (let i = 0; i < LINES; i++) {
          const p = products[d * LINES + i] as { id: number; unit: string; price: number };
          const qty = p.unit === 'pcs' ? (1 + (i % 24)) * 1000 : 500 + ((i * 37) % 5_000);
          call('stockDocs.setLine', {
            docId: doc.id,
            productId: p.id,
            expectedQty: qty,
            qty,
            cost: Math.max(1, Math.round(p.price * 0.7)),
            ...(i % 10 === 0 ? { newPrice: p.price + 100 } : {}),
          });
        }
      } finally {
        db.pragma('synchronous = FULL');
      }
      await yieldToLoop();
      const t0 = performance.now();
      const posted = call<{ state: string; lines: unknown[] }>('stockDocs.post', { docId: doc.id });
      times.push(performance.now() - t0);
      if (posted.state !== 'posted' || posted.lines.length !== LINES) throw new Error('the delivery did not post whole');
    }
    call('session.logout', {});
    const s = summarize(times);
    return { post_2000_lines_ms: round(s.p50), post_2000_lines_max_ms: round(s.max) };
  },
};
