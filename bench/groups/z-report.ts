import { inProcessClient } from '../../src-main/rpc/in-process.js';
import { directCaller, loginAs, sampleBarcodes, type Group } from '../context.js';
import { round, summarize, yieldToLoop } from '../stats.js';

const RECEIPTS = 5_000;
const LINES = 5;
const REHEARSALS = 9;

/**
 * The Z report (`shift.close`) of a shift holding 5,000 sales of 5 lines each (25,000 lines),
 * paid in cash, by card or both, some with a receipt discount, a cash-in and a cash-out among them.
 *
 * The shift is filled through the real commands (scan, discount, complete) on the in-process
 * dispatcher, with synchronous=OFF for the fill only (the figures are about the report, not about
 * 30,000 fsyncs). Then, with synchronous=FULL back on:
 *   x_report_5k_p50_ms          reports.x on that shift (the same sums, nothing written), median of 9
 *   z_report_5k_rehearsal_p50_ms shift.close inside a transaction that is rolled back, median of 9
 *   z_report_5k_ms              the real shift.close, committed: what the owner waits for at closing
 */
export const zReportGroup: Group = {
  name: 'z_report',
  describe: 'shift.close (Z report) on a shift of 5,000 receipts / 25,000 lines',
  async run(ctx) {
    const backend = ctx.backend();
    const { db, dispatcher } = backend;
    const client = inProcessClient(dispatcher);
    await loginAs(client);
    if (await client.call('checkout.current')) await client.call('checkout.cancel');
    // A shift of our own: close whatever earlier groups sold in, open a fresh one.
    await client.call('shift.close', { count: [], reason: 'benchmark: a fresh shift for the Z report' });
    client.close();

    const call = directCaller(backend, 'manager');
    call('shift.open', { count: [{ value: 500_000, count: 2 }] });

    const codes = sampleBarcodes(ctx.catalog.products, RECEIPTS * LINES, 21);
    db.pragma('synchronous = OFF');
    try {
      for (let i = 0; i < RECEIPTS; i++) {
        let total = 0;
        for (let l = 0; l < LINES; l++) total = call<{ total: number }>('checkout.scan', { code: codes[i * LINES + l] as string }).total;
        if (i % 7 === 0) total = call<{ total: number }>('checkout.setReceiptDiscount', { discount: { kind: 'percent', bp: 500 } }).total;
        const kind = i % 10;
        const payments =
          kind < 6
            ? [{ method: 'cash', amount: Math.ceil((total + 1) / 10_000) * 10_000 }]
            : kind < 9
              ? [{ method: 'card', amount: total }]
              : [
                  { method: 'card', amount: Math.floor(total / 2) },
                  { method: 'cash', amount: total - Math.floor(total / 2) },
                ];
        call('checkout.complete', { payments });
        if (i === RECEIPTS / 2) {
          call('shift.cashIn', { amount: 100_000, reason: 'размен' });
          call('shift.cashOut', { amount: 500_000, reason: 'инкассация' });
        }
        if (i % 250 === 0) {
          await backend.effects.idle();
          await yieldToLoop();
        }
      }
      await backend.effects.idle();
    } finally {
      db.pragma('synchronous = FULL');
    }
    const lines = db.prepare(`SELECT COUNT(*) FROM receipt_lines l JOIN receipts r ON r.id = l.receipt_id JOIN shifts s ON s.id = r.shift_id
      WHERE s.state = 'open'`).pluck().get() as number;
    if (lines !== RECEIPTS * LINES) throw new Error(`the shift holds ${lines} lines, not ${RECEIPTS * LINES}`);

    const x: number[] = [];
    for (let i = 0; i < REHEARSALS; i++) {
      await yieldToLoop();
      const t0 = performance.now();
      const r = call<{ sales: { count: number } }>('reports.x', {});
      x.push(performance.now() - t0);
      if (r.sales.count !== RECEIPTS) throw new Error(`X report counts ${r.sales.count} sales`);
    }
    const { expected } = call<{ cash: { expected: number } }>('reports.x', {}).cash;
    // The drawer counted exactly, largest notes first.
    const count: { value: number; count: number }[] = [];
    let left = expected;
    for (const value of call<{ denominations: number[] }>('system.info', {}).denominations) {
      count.push({ value, count: Math.floor(left / value) });
      left %= value;
    }
    const rehearsal: number[] = [];
    for (let i = 0; i < REHEARSALS; i++) {
      await yieldToLoop();
      db.exec('BEGIN');
      try {
        const t0 = performance.now();
        call('shift.close', { count });
        rehearsal.push(performance.now() - t0);
      } finally {
        db.exec('ROLLBACK');
      }
    }
    await yieldToLoop();
    const t0 = performance.now();
    const z = call<{ sales: { count: number }; cash: { difference: number } }>('shift.close', { count });
    const real = performance.now() - t0;
    if (z.sales.count !== RECEIPTS || z.cash.difference !== 0) throw new Error('the Z report does not add up');
    // Leave a shift open for whatever runs next.
    call('shift.open', { count: [] });
    call('session.logout', {});
    return {
      z_report_5k_ms: round(real),
      z_report_5k_rehearsal_p50_ms: round(summarize(rehearsal).p50),
      x_report_5k_p50_ms: round(summarize(x).p50),
    };
  },
};
