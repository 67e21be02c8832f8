import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RpcClient } from '../../src-common/rpc/client.js';
import { RpcError } from '../../src-common/rpc/client.js';
import type { ReceiptView } from '../../src-common/rpc/schemas.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { DEMO_USERS } from '../../src-main/demo/seed.js';
import { makeBackend, type TestBackend } from '../support/backend.js';

export interface TransportHarness {
  /** A new client connection to the backend (a new window / socket). */
  connect(t: TestBackend): Promise<RpcClient>;
  close?(): Promise<void>;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RpcError) return e.code;
    throw e;
  }
  throw new Error('expected the call to fail');
}

async function loginAs(c: RpcClient, role: string): Promise<void> {
  const users = await c.call('session.users');
  const demo = DEMO_USERS.find((u) => u.role === role)!;
  const user = users.find((u) => u.name === demo.name)!;
  await c.call('session.login', { userId: user.id, pin: demo.pin });
}

function rowCount(t: TestBackend, table: string): number {
  return t.backend.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
}

/**
 * The same contract suite runs over every transport: what the renderer relies on must not
 * depend on how the bytes travel.
 */
export function contractSuite(name: string, harness: () => TransportHarness): void {
  describe(`RPC contract over ${name}`, () => {
    let t: TestBackend;
    let h: TransportHarness;
    let c: RpcClient;

    beforeEach(async () => {
      t = makeBackend();
      h = harness();
      c = await h.connect(t);
    });
    afterEach(async () => {
      c.close();
      await h.close?.();
      t.dispose();
    });

    it('refuses checkout before login and lists users publicly', async () => {
      expect(await codeOf(c.call('checkout.scan', { code: DEMO_BARCODES.milk }))).toBe('unauthenticated');
      const users = await c.call('session.users');
      expect(users.map((u) => u.name)).toEqual(DEMO_USERS.map((u) => u.name));
      expect(JSON.stringify(users)).not.toMatch(/pin/i);
    });

    it('counts wrong PINs and locks out after five', async () => {
      const users = await c.call('session.users');
      const cashier = users.find((u) => u.role === 'cashier')!;
      for (let i = 0; i < 4; i++) expect(await codeOf(c.call('session.login', { userId: cashier.id, pin: '0000' }))).toBe('pin_invalid');
      expect(await codeOf(c.call('session.login', { userId: cashier.id, pin: '0000' }))).toBe('locked_out');
      // Even the right PIN is refused while locked.
      expect(await codeOf(c.call('session.login', { userId: cashier.id, pin: '1111' }))).toBe('locked_out');
      t.clock.advance(31_000);
      await expect(c.call('session.login', { userId: cashier.id, pin: '1111' })).resolves.toMatchObject({ role: 'cashier' });
    });

    it('sells a basket by barcode, weighed barcode and pack barcode with exact totals', async () => {
      await loginAs(c, 'cashier');
      await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
      await c.call('checkout.scan', { code: DEMO_BARCODES.apples1234g });
      const r = await c.call('checkout.scan', { code: DEMO_BARCODES.water6 });
      expect(r.lines.map((l) => [l.qty, l.gross])).toEqual([
        [1000, 8990],
        [1234, 19732], // 159.90 × 1.234 = 197.3166 → 197.32
        [6000, 27000],
      ]);
      const discounted = await c.call('checkout.setReceiptDiscount', { discount: { kind: 'percent', bp: 1000 } });
      expect(discounted.subtotal).toBe(55722);
      expect(discounted.discountTotal).toBe(5572);
      expect(discounted.total).toBe(50150);
      expect(discounted.lines.reduce((a, l) => a + l.amount, 0)).toBe(discounted.total);

      const sale = await c.call('checkout.complete', {
        payments: [
          { method: 'card', amount: 10000 },
          { method: 'cash', amount: 100000 },
        ],
      });
      expect(sale).toMatchObject({ state: 'completed', number: 1, total: 50150, change: 59850 });
      expect(sale.payments).toEqual([
        { method: 'card', amount: 10000, tendered: 10000, change: 0 },
        { method: 'cash', amount: 40150, tendered: 100000, change: 59850 },
      ]);
      expect(await c.call('checkout.current')).toBeNull();
      // One transaction wrote everything the sale implies.
      expect(rowCount(t, 'stock_movements')).toBe(3);
      expect(rowCount(t, 'outbox')).toBe(1);
      expect(rowCount(t, 'payments')).toBe(2);
      const outbox = t.backend.db.prepare('SELECT seq, type, payload FROM outbox').get() as { seq: number; type: string; payload: string };
      expect(outbox.seq).toBe(1);
      expect(outbox.type).toBe('sale.completed');
      expect((JSON.parse(outbox.payload) as { receipt: ReceiptView }).receipt.total).toBe(50150);
    });

    it('pushes cart.changed events after commit, in sequence', async () => {
      await loginAs(c, 'cashier');
      const seen: number[] = [];
      c.on('cart.changed', (_p, seq) => seen.push(seq));
      await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
      await c.call('checkout.scan', { code: DEMO_BARCODES.bread });
      await expect.poll(() => seen.length).toBe(2);
      expect(seen[1]! > seen[0]!).toBe(true);
      // A failed command publishes nothing.
      await codeOf(c.call('checkout.scan', { code: '0000000000000' }));
      await new Promise((r) => setTimeout(r, 20));
      expect(seen.length).toBe(2);
    });

    it('keeps the open basket across a restart', async () => {
      await loginAs(c, 'cashier');
      await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
      const before = await c.call('checkout.scan', { code: DEMO_BARCODES.apples1234g });
      c.close();
      await h.close?.();
      t.restart();
      c = await h.connect(t);
      await loginAs(c, 'cashier');
      expect(await c.call('checkout.current')).toEqual(before);
    });

    it('answers bad input with clear codes and stores nothing', async () => {
      await loginAs(c, 'cashier');
      expect(await codeOf(c.call('checkout.scan', { code: '4600000000999' }))).toBe('unknown_barcode');
      expect(await codeOf(c.call('checkout.scan', { code: 'x'.repeat(500) }))).toBe('input_too_long');
      expect(await codeOf(c.call('catalog.search', { text: 'м'.repeat(101) }))).toBe('input_too_long');
      expect(rowCount(t, 'receipts')).toBe(0);
      const r = await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
      const lineId = r.lines[0]!.id;
      expect(await codeOf(c.call('checkout.setQty', { lineId, qty: 0 }))).toBe('invalid_quantity');
      expect(await codeOf(c.call('checkout.setQty', { lineId, qty: 1500 }))).toBe('invalid_quantity'); // 1.5 pieces
      expect(await codeOf(c.call('checkout.setQty', { lineId, qty: 2.5 }))).toBe('validation');
      expect(await codeOf(c.call('checkout.setLineDiscount', { lineId, discount: { kind: 'amount', amount: 9000 } }))).toBe('invalid_discount');
      expect(await codeOf(c.call('checkout.complete', { payments: [{ method: 'cash', amount: 8000 }] }))).toBe('tender_short');
      expect(await codeOf(c.call('checkout.complete', { payments: [{ method: 'card', amount: 9000 }] }))).toBe('tender_invalid');
      // Unknown method and malformed params.
      expect(await codeOf((c.call as (m: string, p: unknown) => Promise<unknown>)('checkout.nope', {}))).toBe('unknown_method');
      expect(await codeOf((c.call as (m: string, p: unknown) => Promise<unknown>)('checkout.scan', { code: 42 }))).toBe('validation');
      // Nothing half-written: the receipt is still open with its one line, nothing sold.
      const current = await c.call('checkout.current');
      expect(current?.lines.map((l) => l.qty)).toEqual([1000]);
      expect(rowCount(t, 'outbox')).toBe(0);
      expect(rowCount(t, 'stock_movements')).toBe(0);
    });

    it('enforces roles in the backend: a cashier cannot override a price without a manager', async () => {
      await loginAs(c, 'cashier');
      const r = await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
      expect(await codeOf(c.call('checkout.overridePrice', { lineId: r.lines[0]!.id, price: 100 }))).toBe('approval_required');
      await c.call('session.logout');
      await loginAs(c, 'senior_cashier');
      // A different cashier has a different basket; the price override works for a senior cashier.
      const r2 = await c.call('checkout.scan', { code: DEMO_BARCODES.bread });
      const o = await c.call('checkout.overridePrice', { lineId: r2.lines[0]!.id, price: 5000 });
      expect(o.lines[0]).toMatchObject({ price: 5000, basePrice: 5490, priceOverridden: true, amount: 5000 });
    });

    it('completes a fully discounted receipt with no payment, and no other without one', async () => {
      await loginAs(c, 'senior_cashier'); // a 100 % discount is over a cashier's limit
      await c.call('checkout.scan', { code: DEMO_BARCODES.bread });
      expect(await codeOf(c.call('checkout.complete', { payments: [] }))).toBe('tender_short');
      const free = await c.call('checkout.setReceiptDiscount', { discount: { kind: 'percent', bp: 10_000 } });
      expect(free.total).toBe(0);
      const sale = await c.call('checkout.complete', { payments: [] });
      expect(sale).toMatchObject({ state: 'completed', total: 0, payments: [], change: 0 });
    });

    it('parks and resumes several receipts', async () => {
      await loginAs(c, 'cashier');
      const a = await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
      await c.call('checkout.park');
      const b = await c.call('checkout.scan', { code: DEMO_BARCODES.bread });
      await c.call('checkout.park');
      const parked = await c.call('checkout.parked');
      expect(parked.map((p) => p.id)).toEqual([a.id, b.id]);
      expect(parked.map((p) => p.total)).toEqual([8990, 5490]);
      const resumed = await c.call('checkout.resume', { receiptId: a.id });
      expect(resumed.lines[0]!.name).toMatch(/Молоко/);
      expect((await c.call('checkout.parked')).map((p) => p.id)).toEqual([b.id]);
      expect(await codeOf(c.call('checkout.cancel'))).toBe('approval_required'); // a cashier cancels only with a manager
      await c.call('checkout.park');
      await c.call('session.logout');
      await loginAs(c, 'manager');
      await c.call('checkout.resume', { receiptId: a.id });
      await c.call('checkout.cancel');
      expect((await c.call('checkout.parked')).map((p) => p.id)).toEqual([b.id]);
      expect(await c.call('checkout.current')).toBeNull();
    });

    it('adds by PLU and by search, merges repeated piece scans', async () => {
      await loginAs(c, 'cashier');
      const found = await c.call('catalog.search', { text: 'молок' });
      expect(found[0]!.name).toMatch(/^Молоко/);
      const byEnglish = await c.call('catalog.search', { text: 'gala app' });
      expect(byEnglish[0]!.name).toBe('Яблоки Гала');
      await c.call('checkout.addProduct', { productId: found[0]!.id });
      await c.call('checkout.scan', { code: found[0]!.barcode! });
      let r = await c.call('checkout.addByPlu', { plu: 10 });
      expect(r.lines.map((l) => l.qty)).toEqual([2000, 1000]);
      r = await c.call('checkout.scan', { code: '2' }); // PLU 2, bananas, by the scan path
      expect(r.lines[2]).toMatchObject({ name: 'Бананы', unit: 'kg', qty: 1000 });
    });
  });
}

export { codeOf, loginAs };
