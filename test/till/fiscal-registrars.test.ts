import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { idle, REGISTRARS, runCleanups } from './fiscal-support.js';

afterEach(runCleanups);

describe.each(REGISTRARS)('fiscal mode with $name', ({ start }) => {
  it('sale, return, cash in and out, then Z: one document each, and the registrar Z equals the till Z', async () => {
    const { x, archive, before } = await start();
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.apples1234g });
    const sale = await x.c.call('checkout.complete', { payments: [{ method: 'cash', amount: 50_000 }] });
    await idle(x);
    const saleDoc = archive().find((d) => d.kind === 'sale')!;
    expect(saleDoc).toMatchObject({ total: sale.total });
    expect(await x.c.call('fiscal.receipt', { receiptId: sale.id })).toMatchObject({ state: 'done', documentNumber: saleDoc.number, fiscalSign: saleDoc.fiscalSign });

    await x.c.call('checkout.scan', { code: DEMO_BARCODES.bread });
    const bread = (await x.c.call('checkout.current', {}))!.total;
    await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: bread }] });
    await idle(x);

    await x.c.call('shift.cashIn', { amount: 200_000, reason: 'размен' });
    await idle(x);
    const src = await x.c.call('returns.source', { receiptId: sale.id });
    const milk = src.lines.find((l) => l.name.length > 0 && l.sold === 1_000)!;
    const ret = await x.c.call('returns.complete', { originalId: sale.id, lines: [{ lineId: milk.lineId, qty: 1_000 }] });
    await idle(x);
    expect(archive().find((d) => d.kind === 'return')).toMatchObject({ total: ret.total });
    await x.c.call('shift.cashOut', { amount: 50_000, reason: 'инкассация' });
    await idle(x);

    const shift = (await x.c.call('shift.current', {}))!;
    const xr = await x.c.call('reports.x', {});
    // The registrar's X, through the journal: its totals so far equal the till's X.
    expect(await x.c.call('fiscal.xReport', {})).toEqual({ queued: true });
    await idle(x);
    const xRow = x.t.backend.repos.fiscalJournal.forRef(shift.id).find((r) => r.op === 'x_report')!;
    expect(xRow.result).toMatchObject({ sales: { count: xr.sales.count, total: xr.sales.amount }, returns: { count: xr.returns.count, total: xr.returns.amount } });
    const z = await x.c.call('shift.close', { count: [{ value: 10_000, count: Math.floor(xr.cash.expected / 10_000) }, { value: 1, count: xr.cash.expected % 10_000 }] });
    await idle(x);
    const zRow = x.t.backend.repos.fiscalJournal.forRef(shift.id).find((r) => r.op === 'close_shift')!;
    expect(zRow.state).toBe('done');
    const registrarZ = zRow.result as { sales: { count: number; total: number }; returns: { count: number; total: number }; cashIn: number; cashOut: number };
    expect(registrarZ.sales).toEqual({ count: z.sales.count, total: z.sales.amount });
    expect(registrarZ.returns).toEqual({ count: z.returns.count, total: z.returns.amount });
    expect([registrarZ.cashIn, registrarZ.cashOut]).toEqual([z.cash.cashIn, z.cash.cashOut]);
    expect((await x.c.call('fiscal.status', {})).attention).toEqual([]);
    // Exactly the documents the till asked for, in order: an automatic shift opening, two sales, a return, the Z.
    expect(archive().map((d) => d.kind)).toEqual([...before, 'open_shift', 'sale', 'sale', 'return', 'close_shift']);
  });

  it('power lost after the registrar committed the sale: the till asks the archive and registers nothing twice', async () => {
    const { x, archive, losePowerAfterCommit, powerBack } = await start();
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 8_990 }] });
    await idle(x);
    losePowerAfterCommit();
    await x.c.call('checkout.scan', { code: DEMO_BARCODES.bread });
    const bread = (await x.c.call('checkout.current', {}))!.total;
    const sale = await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: bread }] });
    await x.t.backend.fiscal.idle();
    expect(await x.c.call('fiscal.receipt', { receiptId: sale.id })).toMatchObject({ state: 'failed', errorCode: 'timeout' });
    powerBack();
    x.t.backend.fiscal.kick();
    await idle(x);
    expect(await x.c.call('fiscal.receipt', { receiptId: sale.id })).toMatchObject({ state: 'done' });
    expect(archive().filter((d) => d.kind === 'sale').map((d) => d.total)).toEqual([8_990, sale.total]);
  });
});
