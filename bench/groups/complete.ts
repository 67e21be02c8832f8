import { newConnection } from '../../src-main/rpc/dispatcher.js';
import { inProcessClient } from '../../src-main/rpc/in-process.js';
import { DEMO_USERS } from '../../src-main/demo/seed.js';
import { loginAs, sampleBarcodes, type Group } from '../context.js';
import { CommitProbe } from '../host.js';
import { round, summarize, yieldToLoop } from '../stats.js';

const WARMUP = 200;
const SAMPLES = 2_000;
const LINES = 5;
/** Second pass, for the diagnosis only: the command alone, timed around the synchronous dispatcher call. */
const SYNC_SAMPLES = 1_000;

/**
 * `checkout.complete` of a 5-line receipt paid part by card, the rest in cash with change, through
 * the in-process dispatcher. Only the complete call is timed; the basket is built before and the
 * post-commit effects (receipt text, drawer) are worked off after, as between two customers.
 *
 * Also `complete_sync_*`: the same command timed around `dispatcher.handleText` alone (JSON in,
 * handler, commit, JSON out). The difference to the figures above is what runs between the
 * commit and the client seeing the reply on the in-process link (promise and microtask turns).
 *
 * And `commit_bare_*`: the disk's floor, a bare 5-row insert transaction with the store's pragmas
 * (WAL, synchronous=FULL) on a scratch file next to the store, timed right after every complete
 * of the first pass (bench/host.ts). complete_p99 − commit_bare_p99 is roughly the till's own share.
 */
export const completeGroup: Group = {
  name: 'complete',
  describe: 'checkout.complete of a 5-line receipt, card + cash',
  async run(ctx) {
    const backend = ctx.backend();
    const client = inProcessClient(backend.dispatcher);
    await loginAs(client);
    if (await client.call('checkout.current')) await client.call('checkout.cancel');
    const codes = sampleBarcodes(ctx.catalog.products, (WARMUP + SAMPLES) * LINES, 3);
    const times: number[] = [];
    const probe = new CommitProbe(ctx.workDir);
    const floor: number[] = [];
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      let total = 0;
      for (let l = 0; l < LINES; l++) total = (await client.call('checkout.scan', { code: codes[i * LINES + l] as string })).total;
      const card = Math.max(1, Math.floor(total / 2));
      const due = total - card;
      const cash = Math.ceil((due + 1) / 10_000) * 10_000; // a banknote or two, with change
      await yieldToLoop();
      const t0 = performance.now();
      const sale = await client.call('checkout.complete', {
        payments: [
          { method: 'card', amount: card },
          { method: 'cash', amount: cash },
        ],
      });
      const dt = performance.now() - t0;
      if (sale.state !== 'completed' || sale.payments.length !== 2) throw new Error('the sale did not complete with two payments');
      if (i >= WARMUP) times.push(dt);
      // Between customers (untimed), as at a till: the receipt prints and the till, quiet, checkpoints
      // its WAL. The second pass below gives it no pause (complete_sync_*).
      await backend.effects.idle();
      await backend.checkpoint();
      await yieldToLoop();
      const floorMs = probe.run();
      if (i >= WARMUP) floor.push(floorMs);
    }
    probe.close();
    client.close();

    // The command alone: same receipts, one synchronous dispatcher call each.
    const conn = newConnection();
    const demo = DEMO_USERS.find((u) => u.role === 'cashier') as (typeof DEMO_USERS)[number];
    const userId = backend.db.prepare('SELECT id FROM users WHERE name = ?').pluck().get(demo.name) as number;
    let id = 0;
    const call = (method: string, params: unknown): { ok: boolean; result?: { total: number }; error?: unknown } =>
      JSON.parse(backend.dispatcher.handleText(JSON.stringify({ id: ++id, method, params }), conn)) as never;
    if (!call('session.login', { userId, pin: demo.pin }).ok) throw new Error('login failed');
    const more = sampleBarcodes(ctx.catalog.products, SYNC_SAMPLES * LINES, 13);
    const sync: number[] = [];
    for (let i = 0; i < SYNC_SAMPLES; i++) {
      let total = 0;
      for (let l = 0; l < LINES; l++) total = call('checkout.scan', { code: more[i * LINES + l] as string }).result?.total ?? 0;
      const card = Math.max(1, Math.floor(total / 2));
      const cash = Math.ceil((total - card + 1) / 10_000) * 10_000;
      await yieldToLoop();
      const t0 = performance.now();
      const r = call('checkout.complete', {
        payments: [
          { method: 'card', amount: card },
          { method: 'cash', amount: cash },
        ],
      });
      const dt = performance.now() - t0;
      if (!r.ok) throw new Error(`complete failed: ${JSON.stringify(r.error)}`);
      sync.push(dt);
      await backend.effects.idle();
      await yieldToLoop();
    }
    call('session.logout', {});
    const s = summarize(times);
    const d = summarize(sync);
    const f = summarize(floor);
    return {
      complete_p50_ms: round(s.p50),
      complete_p99_ms: round(s.p99),
      complete_samples: s.n,
      complete_sync_p50_ms: round(d.p50),
      complete_sync_p99_ms: round(d.p99),
      commit_bare_p50_ms: round(f.p50),
      commit_bare_p99_ms: round(f.p99),
    };
  },
};
