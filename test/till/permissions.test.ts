import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { failure, openTill, type Till } from './support.js';

let till: Till;
afterEach(() => till?.close());

/**
 * Every gated command, called by a cashier straight through the RPC (no UI in the way): refused
 * by the backend, and nothing it would have written is in the store.
 */
describe('roles are enforced in the backend', () => {
  it('a cashier cannot perform any gated command without a manager, and nothing is written', async () => {
    till = openTill();
    const { c } = till;
    await till.as('cashier');
    const sale = await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    const line = (await c.call('checkout.scan', { code: DEMO_BARCODES.bread })).lines[1]!;
    const milk = sale.lines[0]!;
    const before = ['line_voids', 'cash_movements', 'receipts', 'receipt_lines', 'approvals', 'stock_movements', 'outbox'].map(
      (t) => [t, till.rows(t)],
    );
    const gated: [string, Promise<unknown>][] = [
      ['void a line', c.call('checkout.removeLine', { lineId: line.id })],
      ['reduce a quantity', c.call('checkout.setQty', { lineId: milk.id, qty: 1000 })],
      ['cancel the receipt', c.call('checkout.cancel')],
      ['override a price', c.call('checkout.overridePrice', { lineId: line.id, price: 1 })],
      ['discount a line beyond the limit', c.call('checkout.setLineDiscount', { lineId: line.id, discount: { kind: 'percent', bp: 5000 } })],
      ['discount the receipt beyond the limit', c.call('checkout.setReceiptDiscount', { discount: { kind: 'amount', amount: 5000 } })],
      ['return without a receipt', c.call('returns.completeWithoutReceipt', { lines: [{ productId: milk.productId, qty: 1000 }], method: 'cash', reason: 'no receipt' })],
      ['take cash out', c.call('shift.cashOut', { amount: 50_000, reason: 'bank' })],
      ['open the drawer with no sale', c.call('shift.noSale')],
    ];
    for (const [what, call] of gated) {
      const f = await failure(call);
      expect([what, f.code]).toEqual([what, 'approval_required']);
      expect(typeof f.details.binding).toBe('string');
    }
    const adminOnly: [string, Promise<unknown>][] = [
      ['create a user', c.call('users.save', { name: 'Кто-то', role: 'owner', active: true, pin: '4444' })],
      ['edit the permission matrix', c.call('roles.set', { role: 'cashier', permission: 'cash_out', granted: true })],
      ['read the audit log', c.call('audit.list', {})],
      ['verify the audit chain', c.call('audit.verify')],
      ['list users', c.call('users.list')],
    ];
    for (const [what, call] of adminOnly) expect([what, (await failure(call)).code]).toEqual([what, 'forbidden']);
    const after = ['line_voids', 'cash_movements', 'receipts', 'receipt_lines', 'approvals', 'stock_movements', 'outbox'].map(
      (t) => [t, till.rows(t)],
    );
    expect(after).toEqual(before);
    // Within the limit and within the role, the same cashier goes ahead.
    await expect(c.call('checkout.setReceiptDiscount', { discount: { kind: 'percent', bp: 1000 } })).resolves.toMatchObject({ discountTotal: expect.any(Number) });
    await expect(c.call('shift.cashIn', { amount: 10_000, reason: 'размен' })).resolves.toMatchObject({ kind: 'in', amount: 10_000 });
  });

  it('a stock clerk cannot sell at all, and the matrix is data the owner edits', async () => {
    till = openTill();
    const { c } = till;
    await till.as('stock_clerk');
    expect((await failure(c.call('checkout.scan', { code: DEMO_BARCODES.milk }))).code).toBe('forbidden');
    await till.as('manager');
    expect((await failure(c.call('roles.set', { role: 'stock_clerk', permission: 'sale', granted: true }))).code).toBe('forbidden');
    await till.as('owner');
    await c.call('roles.set', { role: 'stock_clerk', permission: 'sale', granted: true });
    expect((await c.call('roles.matrix')).find((r) => r.role === 'stock_clerk')!.permissions).toContain('sale');
    expect((await failure(c.call('roles.set', { role: 'owner', permission: 'roles_manage', granted: false }))).code).toBe('user_invalid');
    await till.as('stock_clerk');
    await expect(c.call('checkout.scan', { code: DEMO_BARCODES.milk })).resolves.toMatchObject({ total: 8990 });
    // The change is audited, and survives a restart (it is in the store, not in code).
    const audited = till.t.backend.db.prepare(`SELECT subject, details FROM audit_log WHERE action = 'settings.change'`).all();
    expect(audited).toEqual([{ subject: 'role:stock_clerk', details: '{"granted":true,"permission":"sale"}' }]);
    const b = till.t.restart();
    expect(b.repos.permissions.can('stock_clerk', 'sale')).toBe(true);
  });
});

describe('manager override', () => {
  it('an approval is bound to one action, used once, and only within 60 s', async () => {
    till = openTill();
    const { c, t } = till;
    await till.as('cashier');
    const need = await failure(c.call('shift.cashOut', { amount: 50_000, reason: 'инкассация' }));
    expect(need).toMatchObject({ code: 'approval_required', details: { action: 'cash_out' } });
    const binding = need.details.binding as string;

    const id = await till.approve('cash_out', binding);
    // Not for a different amount...
    expect((await failure(c.call('shift.cashOut', { amount: 60_000, reason: 'инкассация', approvalId: id }))).details).toMatchObject({ reason: 'mismatch' });
    // ...but for the one it names, once.
    const out = await c.call('shift.cashOut', { amount: 50_000, reason: 'инкассация', approvalId: id });
    expect(out).toMatchObject({ kind: 'out', amount: 50_000, approvedBy: 'Мария Иванова' });
    expect((await failure(c.call('shift.cashOut', { amount: 50_000, reason: 'инкассация', approvalId: id }))).details).toMatchObject({ reason: 'used' });
    // Nor for another action.
    expect((await failure(c.call('shift.noSale', { approvalId: id }))).details).toMatchObject({ reason: 'mismatch' });

    // 59 s after it was given it still works; at 60 s it has expired.
    const fresh = await till.approve('cash_out', binding);
    t.clock.advance(59_999);
    await expect(c.call('shift.cashOut', { amount: 50_000, reason: 'инкассация', approvalId: fresh })).resolves.toMatchObject({ amount: 50_000 });
    const stale = await till.approve('cash_out', binding);
    t.clock.advance(60_000);
    expect((await failure(c.call('shift.cashOut', { amount: 50_000, reason: 'инкассация', approvalId: stale }))).details).toMatchObject({ reason: 'expired' });
    expect(t.backend.repos.approvals.byId(stale)!.used_at).toBeNull();

    // An approval given to one cashier cannot be spent by another.
    const forAnna = await till.approve('no_sale', (await failure(c.call('shift.noSale'))).details.binding as string);
    await c.call('session.logout');
    await till.as('senior_cashier');
    const seniorNoSale = await failure(c.call('shift.noSale', { approvalId: forAnna }));
    expect(seniorNoSale.details).toMatchObject({ reason: 'mismatch' });

    const log = t.backend.db.prepare(`SELECT action FROM audit_log WHERE action LIKE 'override.%' ORDER BY seq`).pluck().all();
    expect(log.filter((a) => a === 'override.grant')).toHaveLength(4);
    expect(log.filter((a) => a === 'override.use')).toHaveLength(2);
  });

  it('only someone whose role holds the permission can approve, never the cashier themselves', async () => {
    till = openTill();
    const { c } = till;
    await till.as('cashier');
    const { binding } = (await failure(c.call('shift.noSale'))).details as { binding: string };
    expect((await failure(till.approve('no_sale', binding, 'senior_cashier'))).code).toBe('forbidden');
    expect((await failure(till.approve('no_sale', binding, 'cashier'))).code).toBe('approval_invalid');
    expect(till.rows('approvals')).toBe(0);
  });

  it("wrong approval PINs lock the manager out: the sixth is refused even when right, until the back-off ends", async () => {
    till = openTill();
    const { c, t } = till;
    await till.as('cashier');
    const { binding } = (await failure(c.call('shift.noSale'))).details as { binding: string };
    const manager = till.userId('manager');
    const tryPin = (pin: string) => failure(c.call('approvals.grant', { action: 'no_sale', binding, userId: manager, pin }));
    for (let i = 0; i < 4; i++) expect((await tryPin('0000')).code).toBe('pin_invalid');
    expect((await tryPin('0000')).code).toBe('locked_out');
    expect((await tryPin('3333')).code).toBe('locked_out');
    t.clock.advance(29_000);
    expect((await tryPin('3333')).code).toBe('locked_out');
    t.clock.advance(1_001);
    await expect(c.call('approvals.grant', { action: 'no_sale', binding, userId: manager, pin: '3333' })).resolves.toMatchObject({ approver: 'Мария Иванова' });
    // The same lockout guards the login screen: the manager's failures were counted there too.
    expect(t.backend.db.prepare(`SELECT COUNT(*) FROM audit_log WHERE action = 'approval.failed'`).pluck().get()).toBe(5);
  });

  it('locks an idle session in the backend, whatever the window does', async () => {
    till = openTill();
    const { c, t } = till;
    await till.as('cashier');
    await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    t.clock.advance(10 * 60_000 + 1);
    expect(await failure(c.call('checkout.scan', { code: DEMO_BARCODES.milk }))).toMatchObject({ code: 'unauthenticated', details: { reason: 'idle' } });
    await till.as('cashier');
    expect((await c.call('checkout.current'))!.lines).toHaveLength(1); // the basket waited
  });
});
