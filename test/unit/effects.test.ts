import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { inProcessClient } from '../../src-main/rpc/in-process.js';
import { verifyAuditChain } from '../../src-main/db/repos/ledger.js';
import { loginAs } from '../contract/suite.js';
import { makeBackend, type TestBackend } from '../support/backend.js';

let t: TestBackend;
afterEach(() => t?.dispose());

async function sellOne(t: TestBackend): Promise<string> {
  const c = inProcessClient(t.backend.dispatcher);
  await loginAs(c, 'cashier');
  await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
  const sale = await c.call('checkout.complete', { payments: [{ method: 'cash', amount: 10000 }] });
  c.close();
  return sale.id;
}

describe('post-commit effects', () => {
  it('a failing printer leaves the sale completed and the effect failed and visible, then retried', async () => {
    let printerUp = false;
    t = makeBackend({
      effects: {
        print_receipt: () => {
          if (!printerUp) throw new Error('paper out');
          return { state: 'done', result: 'printed' };
        },
      },
    });
    const id = await sellOne(t);
    await t.backend.effects.idle();
    const state = (): Record<string, string> =>
      Object.fromEntries(t.backend.repos.effects.forReceipt(id).map((e) => [e.kind, `${e.state}:${e.lastError ?? ''}`]));
    expect(state()).toEqual({ print_receipt: 'failed:paper out', open_drawer: 'skipped:no cash drawer configured' });
    expect(t.backend.repos.receipts.header(id)?.state).toBe('completed');
    printerUp = true;
    t.backend.effects.kick();
    await t.backend.effects.idle();
    expect(state().print_receipt).toBe('done:');
  });

  it('an effect pending at a crash is finished on the next start', async () => {
    // A consumer that never settles stands for a process killed mid-print.
    t = makeBackend({ effects: { print_receipt: () => new Promise(() => {}) } });
    const id = await sellOne(t);
    expect(t.backend.repos.effects.forReceipt(id).find((e) => e.kind === 'print_receipt')?.state).toBe('pending');
    // Start again with the real on-screen printer.
    const restarted = t.restart({ effects: {} });
    await restarted.effects.idle();
    const printed = restarted.repos.effects.resultOf(id, 'print_receipt');
    expect(printed).toMatch(/ИТОГО\s+89,90/);
  });
});

describe('the sale transaction', () => {
  it('keeps the outbox contiguous, receipt numbers gapless and the audit chain intact', async () => {
    t = makeBackend();
    const c = inProcessClient(t.backend.dispatcher);
    await loginAs(c, 'cashier');
    for (let i = 0; i < 5; i++) {
      await c.call('checkout.scan', { code: DEMO_BARCODES.bread });
      // A refused completion in between must not consume a number or a sequence.
      await expect(c.call('checkout.complete', { payments: [{ method: 'cash', amount: 1 }] })).rejects.toMatchObject({ code: 'tender_short' });
      await c.call('checkout.complete', { payments: [{ method: 'card', amount: 5490 }] });
    }
    const db = t.backend.db;
    expect(db.prepare('SELECT seq FROM outbox ORDER BY seq').pluck().all()).toEqual([1, 2, 3, 4, 5]);
    expect(db.prepare("SELECT number FROM receipts WHERE state = 'completed' ORDER BY number").pluck().all()).toEqual([1, 2, 3, 4, 5]);
    expect(db.prepare('SELECT SUM(qty) FROM stock_movements WHERE product_id = 2').pluck().get()).toBe(-5000);
    expect(verifyAuditChain(db)).toBeNull();
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('reports a read-only store as a clear error and sells nothing', async () => {
    t = makeBackend();
    const c = inProcessClient(t.backend.dispatcher);
    await loginAs(c, 'cashier');
    await c.call('checkout.scan', { code: DEMO_BARCODES.bread });
    t.backend.db.pragma('query_only = ON');
    await expect(c.call('checkout.complete', { payments: [{ method: 'card', amount: 5490 }] })).rejects.toMatchObject({ code: 'storage_readonly' });
    t.backend.db.pragma('query_only = OFF');
    expect(t.backend.db.prepare("SELECT COUNT(*) FROM receipts WHERE state = 'completed'").pluck().get()).toBe(0);
    expect(t.backend.db.prepare('SELECT COUNT(*) FROM effects').pluck().get()).toBe(0);
    // Once the disk is writable again the same basket completes.
    await expect(c.call('checkout.complete', { payments: [{ method: 'card', amount: 5490 }] })).resolves.toMatchObject({ number: 1 });
  });
});
