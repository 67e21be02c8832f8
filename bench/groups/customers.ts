import { inProcessClient } from '../../src-main/rpc/in-process.js';
import { loginAs, type Figures, type Group } from '../context.js';
import { round, summarize, yieldToLoop } from '../stats.js';
import { BENCH_CUSTOMERS, benchCard as card, seedCustomers } from '../loyalty-seed.js';

const CUSTOMERS = BENCH_CUSTOMERS;
const WARMUP = 1_000;
const SAMPLES = 10_000;

/**
 * Finding a customer at the till (`customers.find` through the in-process RPC client, as the
 * checkout does) among 1,000,000 customers, by a phone as the cashier types it (`8 916 …`) and by a
 * card number (a scan), on random customers:
 *   customer_lookup_p99_ms          the slower of the two p99s (the target's figure)
 *   customer_lookup_phone_p99_ms, customer_lookup_card_p99_ms
 * The customers are inserted straight into the store first (not timed).
 */
export const customersGroup: Group = {
  name: 'customers',
  describe: 'customers.find by phone and by card among 1,000,000 customers',
  async run(ctx): Promise<Figures | { skipped: string }> {
    const backend = ctx.backend();
    const { db } = backend;
    seedCustomers(db);
    const client = inProcessClient(backend.dispatcher);
    await loginAs(client);
    let seed = 7;
    const next = () => (seed = (seed * 48_271) % 2_147_483_647) % CUSTOMERS;
    const byPhone: number[] = [];
    const byCard: number[] = [];
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const a = next();
      const typed = `8 916 ${String(a).padStart(7, '0').replace(/^(\d{3})(\d{2})(\d{2})$/, '$1-$2-$3')}`;
      const t0 = performance.now();
      const p = await client.call('customers.find', { text: typed });
      const t1 = performance.now();
      const b = next();
      const c = await client.call('customers.find', { text: card(b) });
      const t2 = performance.now();
      if (p[0]?.id !== `bench-${a}` || c[0]?.id !== `bench-${b}`) throw new Error(`lookup missed customer ${a} or ${b}`);
      if (i >= WARMUP) {
        byPhone.push(t1 - t0);
        byCard.push(t2 - t1);
      }
      if (i % 1000 === 0) await yieldToLoop();
    }
    client.close();
    const phoneP99 = summarize(byPhone).p99;
    const cardP99 = summarize(byCard).p99;
    return { customer_lookup_p99_ms: round(Math.max(phoneP99, cardP99)), customer_lookup_phone_p99_ms: round(phoneP99), customer_lookup_card_p99_ms: round(cardP99) };
  },
};
