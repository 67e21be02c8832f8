import { inProcessClient } from '../../src-main/rpc/in-process.js';
import { loginAs, sampleBarcodes, type Figures, type Group } from '../context.js';
import { round, summarize, yieldToLoop } from '../stats.js';
import { BENCH_CUSTOMERS, benchCard as card, seedLoyalty } from '../loyalty-seed.js';

const CUSTOMERS = BENCH_CUSTOMERS;
/** Ledger entries already in the store (a year of a busy till), spread over the customers. */
const LEDGER = 1_000_000;
const WARMUP = 200;
/** Pairs: one receipt without a customer, one with, alternating (the disk and the cache drift alike for both). */
const PAIRS = 2_000;
const LINES = 5;

/**
 * What loyalty adds to completing a sale: `checkout.complete` of 5-line receipts, alternately
 * without a customer and with one (a random one of 1,000,000, their card scanned before, earning
 * points and spending one), in a store that already holds 1,000,000 ledger entries. Only the
 * complete call is timed, as in the `complete` group.
 *   loyalty_complete_overhead_ms   p99 with a customer − p99 without (the target's figure; 0 when
 *                                  the difference is below zero, i.e. lost in the disk's tail noise)
 *   loyalty_complete_overhead_p50_ms  the same at the median, where the noise is small
 *   loyalty_complete_p99_ms, loyalty_plain_complete_p99_ms, and the p50s
 */
export const loyaltyGroup: Group = {
  name: 'loyalty',
  describe: 'checkout.complete with and without a loyalty customer, 1,000,000 customers and ledger entries',
  async run(ctx): Promise<Figures | { skipped: string }> {
    const backend = ctx.backend();
    const { db } = backend;
    seedLoyalty(db, LEDGER);
    const client = inProcessClient(backend.dispatcher);
    await loginAs(client);
    if (await client.call('checkout.current')) await client.call('checkout.cancel');
    const codes = sampleBarcodes(ctx.catalog.products, (WARMUP + PAIRS) * 2 * LINES, 23);
    let seed = 11;
    const nextCustomer = () => (seed = (seed * 48_271) % 2_147_483_647) % CUSTOMERS;
    const plain: number[] = [];
    const loyal: number[] = [];
    for (let i = 0; i < (WARMUP + PAIRS) * 2; i++) {
      const withCustomer = i % 2 === 1;
      if (withCustomer) await client.call('checkout.scan', { code: card(nextCustomer()) });
      let total = 0;
      for (let l = 0; l < LINES; l++) total = (await client.call('checkout.scan', { code: codes[i * LINES + l] as string })).total;
      if (withCustomer) total = (await client.call('checkout.redeemPoints', { points: 1 })).total;
      await yieldToLoop();
      const t0 = performance.now();
      const sale = await client.call('checkout.complete', { payments: [{ method: 'card', amount: total }] });
      const dt = performance.now() - t0;
      if (sale.state !== 'completed' || (withCustomer && sale.loyalty?.pointsSpent !== 1)) throw new Error('the sale did not complete as expected');
      if (i >= WARMUP * 2) (withCustomer ? loyal : plain).push(dt);
      // Between customers (untimed), as at a till: the receipt prints and the WAL is checkpointed.
      await backend.effects.idle();
      await backend.checkpoint();
      await yieldToLoop();
    }
    client.close();
    const p = summarize(plain);
    const l = summarize(loyal);
    return {
      loyalty_complete_overhead_ms: round(Math.max(0, l.p99 - p.p99)),
      loyalty_complete_overhead_p50_ms: round(l.p50 - p.p50),
      loyalty_complete_p50_ms: round(l.p50),
      loyalty_complete_p99_ms: round(l.p99),
      loyalty_plain_complete_p50_ms: round(p.p50),
      loyalty_plain_complete_p99_ms: round(p.p99),
    };
  },
};
