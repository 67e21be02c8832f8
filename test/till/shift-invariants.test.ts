import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import type { ReceiptView } from '../../src-common/rpc/schemas.js';
import { countFor as countIn } from '../support/drawer.js';
import { failure, openTill } from './support.js';

const CODES = [DEMO_BARCODES.milk, DEMO_BARCODES.bread, DEMO_BARCODES.water6, DEMO_BARCODES.apples1234g, DEMO_BARCODES.chocolate, DEMO_BARCODES.coffee];

type Op =
  | { kind: 'sale'; items: number[]; discountBp: number; tender: 'cash' | 'card' | 'mixed' }
  | { kind: 'return'; pick: number; share: number }
  | { kind: 'cash'; dir: 'in' | 'out'; amount: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('sale' as const), items: fc.array(fc.nat(CODES.length - 1), { minLength: 1, maxLength: 5 }), discountBp: fc.constantFrom(0, 0, 300, 1000), tender: fc.constantFrom('cash' as const, 'card' as const, 'mixed' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('return' as const), pick: fc.nat(), share: fc.double({ min: 0.1, max: 1, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cash' as const), dir: fc.constantFrom('in' as const, 'out' as const), amount: fc.integer({ min: 1, max: 300 }).map((r) => r * 100) }) },
);

/**
 * RELIABILITY.md I3, against the harness's own record of what the till answered: per shift,
 * Σ payments = Σ receipt totals, and the expected drawer cash = float + cash sales − cash refunds
 * ± cash movements. Random shifts of sales (with discounts and every tender), partial returns and
 * cash movements; then the store passes integrity and foreign-key checks.
 */
describe('shift invariants (I3)', () => {
  it('the X and Z reports agree with what the cashier was told, kopeck for kopeck', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 25 }), async (ops) => {
        const till = openTill({ demo: { products: 20 } });
        try {
          const { c } = till;
          await till.as('manager');
          const float = (await c.call('shift.current'))!.openingFloat;
          const sales: ReceiptView[] = [];
          const record = { sales: 0, returns: 0, cashIn: 0, cashOut: 0, cashSales: 0, cashRefunds: 0, cardSales: 0, cardRefunds: 0 };
          for (const o of ops) {
            if (o.kind === 'sale') {
              let r: ReceiptView | null = null;
              for (const i of o.items) r = await c.call('checkout.scan', { code: CODES[i]! });
              if (o.discountBp) r = await c.call('checkout.setReceiptDiscount', { discount: { kind: 'percent', bp: o.discountBp } });
              const total = r!.total;
              const payments =
                o.tender === 'cash'
                  ? [{ method: 'cash' as const, amount: Math.ceil((total + 1) / 5000) * 5000 }]
                  : o.tender === 'card'
                    ? [{ method: 'card' as const, amount: total }]
                    : [{ method: 'card' as const, amount: Math.floor(total / 3) }, { method: 'cash' as const, amount: total - Math.floor(total / 3) + 700 }];
              const sale = await c.call('checkout.complete', { payments });
              sales.push(sale);
              record.sales += sale.total;
              for (const p of sale.payments) record[p.method === 'cash' ? 'cashSales' : 'cardSales'] += p.amount;
            } else if (o.kind === 'return' && sales.length > 0) {
              const sale = sales[o.pick % sales.length]!;
              const src = await c.call('returns.source', { receiptId: sale.id });
              const lines = src.lines
                .filter((l) => l.returnable > 0)
                .map((l) => ({ lineId: l.lineId, qty: l.unit === 'pcs' ? Math.max(1000, Math.floor((l.returnable * o.share) / 1000) * 1000) : Math.max(1, Math.floor(l.returnable * o.share)) }));
              if (lines.length === 0) continue;
              const ret = await c.call('returns.complete', { originalId: sale.id, lines });
              record.returns += ret.total;
              for (const p of ret.payments) record[p.method === 'cash' ? 'cashRefunds' : 'cardRefunds'] += p.amount;
            } else if (o.kind === 'cash') {
              if (o.dir === 'in') {
                await c.call('shift.cashIn', { amount: o.amount, reason: 'размен' });
                record.cashIn += o.amount;
              } else {
                const x = await c.call('reports.x');
                if (o.amount > x.cash.expected) {
                  expect((await failure(c.call('shift.cashOut', { amount: o.amount, reason: 'сдача в банк' }))).code).toBe('cash_insufficient');
                  continue;
                }
                await c.call('shift.cashOut', { amount: o.amount, reason: 'сдача в банк' });
                record.cashOut += o.amount;
              }
            }
          }
          const expected = float + record.cashSales - record.cashRefunds + record.cashIn - record.cashOut;
          const x = await c.call('reports.x');
          expect(x.sales.amount).toBe(record.sales);
          expect(x.returns.amount).toBe(record.returns);
          const paid = x.payments.reduce((a, p) => a + p.sales, 0);
          const refunded = x.payments.reduce((a, p) => a + p.refunds, 0);
          expect([paid, refunded]).toEqual([x.sales.amount, x.returns.amount]);
          expect(x.payments.find((p) => p.method === 'card')).toMatchObject({ sales: record.cardSales, refunds: record.cardRefunds });
          expect(x.cash.expected).toBe(expected);
          const z = await c.call('shift.close', { count: countInRub(expected) });
          expect(z.cash).toMatchObject({ expected, counted: expected, difference: 0 });
          expect(z.net).toBe(record.sales - record.returns);
          const db = till.t.backend.db;
          expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
          expect(db.pragma('foreign_key_check')).toEqual([]);
        } finally {
          till.close();
        }
      }),
      { numRuns: 6, seed: 20261202 },
    );
  }, 120_000);
});

const RUB = [500_000, 200_000, 100_000, 50_000, 20_000, 10_000, 5_000, 1_000, 500, 200, 100, 50, 10, 5, 1];
const countInRub = (amount: number) => countIn(amount, RUB);
