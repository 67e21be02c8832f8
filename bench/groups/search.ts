import { inProcessClient } from '../../src-main/rpc/in-process.js';
import { cashierQueries, loginAs, type Group } from '../context.js';
import { round, summarize, yieldToLoop } from '../stats.js';

const WARMUP = 300;
const SAMPLES = 3_000;

/** `catalog.search` with what cashiers type: 2–8 letter prefixes of 1–2 words, Russian and English. */
export const searchGroup: Group = {
  name: 'search',
  describe: 'catalog.search with cashier prefixes via the in-process dispatcher',
  async run(ctx) {
    const backend = ctx.backend();
    const client = inProcessClient(backend.dispatcher);
    await loginAs(client);
    const queries = cashierQueries(ctx.catalog.products, WARMUP + SAMPLES, 2);
    const times: number[] = [];
    let empty = 0;
    for (let i = 0; i < queries.length; i++) {
      const text = queries[i] as string;
      const t0 = performance.now();
      const found = await client.call('catalog.search', { text, limit: 20 });
      const dt = performance.now() - t0;
      if (i >= WARMUP) {
        times.push(dt);
        if (found.length === 0) empty++;
      }
      if (i % 50 === 0) await yieldToLoop();
    }
    client.close();
    // Every query is a prefix of a real product name, so an empty answer is a bug, not a miss.
    if (empty > 0) throw new Error(`${empty} searches found nothing`);
    const s = summarize(times);
    return { search_p50_ms: round(s.p50), search_p95_ms: round(s.p95), search_p99_ms: round(s.p99), search_samples: s.n };
  },
};
