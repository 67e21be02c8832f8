import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BARCODES, demoMarkingCode } from '../../src-main/demo/catalog-generator.js';
import { atolTill, cleanups, runCleanups } from './fiscal-support.js';
import { failure, openTill, type Till } from './support.js';

afterEach(runCleanups);

const GS = '\u001d';
const GTIN = '0' + DEMO_BARCODES.markedWater;

/** Fiscal mode with the ATOL emulator: the registrar checks every code and the documents carry them. */
async function fiscalTill() {
  const r = await atolTill();
  await r.x.as('cashier');
  return r;
}

async function plainTill(): Promise<Till> {
  const x = openTill();
  cleanups.push(() => x.close());
  await x.as('cashier');
  return x;
}

/** Scan as the screen does: a code the registrar is still checking is sent again once it has answered. */
async function scan(x: Till, code: string) {
  try {
    return await x.c.call('checkout.scan', { code });
  } catch (e) {
    if ((e as { code?: string }).code !== 'marking_pending') throw e;
    await new Promise<void>((resolve) => {
      const off = x.c.on('marking.checked', () => {
        off();
        resolve();
      });
    });
    return x.c.call('checkout.scan', { code });
  }
}

describe('marked goods (Честный знак)', () => {
  it('cannot be sold by its EAN, nor twice by one code, nor as two units on one code', async () => {
    const x = await plainTill();
    expect(await failure(x.c.call('checkout.scan', { code: DEMO_BARCODES.markedWater }))).toMatchObject({ code: 'marking_required', details: { name: expect.stringContaining('Вода') } });
    const r = await x.c.call('checkout.scan', { code: demoMarkingCode(1) });
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]!.barcode).toBe(demoMarkingCode(1));
    expect((await failure(x.c.call('checkout.scan', { code: demoMarkingCode(1) }))).code).toBe('marking_duplicate');
    expect((await failure(x.c.call('checkout.setQty', { lineId: r.lines[0]!.id, qty: 2_000 }))).code).toBe('marking_duplicate');
    const two = await x.c.call('checkout.scan', { code: demoMarkingCode(2) });
    expect(two.lines.map((l) => l.qty)).toEqual([1_000, 1_000]);
  });

  it('malformed codes get the reason: a wrong GTIN check digit, separators lost where it matters, a crypto tail cut short', async () => {
    const x = await plainTill();
    const badGtin = `01${GTIN.slice(0, 13)}${(Number(GTIN[13]) + 1) % 10}215Lavka0000001${GS}93Ab01`;
    expect(await failure(x.c.call('checkout.scan', { code: badGtin }))).toMatchObject({ code: 'marking_invalid', details: { reason: 'gtin_check_digit' } });
    // Without GS, a serial holding "93" cannot be told from the crypto tail that follows it.
    const lostGs = `01${GTIN}21ABC93DEF93Ab01`;
    expect(await failure(x.c.call('checkout.scan', { code: lostGs }))).toMatchObject({ code: 'marking_invalid', details: { reason: 'missing_separator' } });
    const truncated = `01${GTIN}215Lavka0000001${GS}93Ab`;
    expect(await failure(x.c.call('checkout.scan', { code: truncated }))).toMatchObject({ code: 'marking_invalid', details: { reason: 'crypto_truncated' } });
    const noTail = `01${GTIN}215Lavka0000001`;
    expect(await failure(x.c.call('checkout.scan', { code: noTail }))).toMatchObject({ code: 'marking_invalid', details: { reason: 'crypto_missing' } });
    expect(await x.c.call('checkout.current', {})).toBeNull();
  });

  it('in fiscal mode the registrar checks each code first; a refused code is never sold', async () => {
    const { x, atol } = await fiscalTill();
    expect((await failure(x.c.call('checkout.scan', { code: demoMarkingCode(7) }))).code).toBe('marking_pending');
    const r = await scan(x, demoMarkingCode(7));
    expect(r.lines).toHaveLength(1);
    atol.model.marking.rejected.add(demoMarkingCode(8));
    await expect(scan(x, demoMarkingCode(8))).rejects.toMatchObject({ code: 'marking_rejected' });
    expect((await x.c.call('checkout.current', {}))!.lines).toHaveLength(1);
  });

  it('the code goes into the fiscal document, and a return requires and sends the same code', async () => {
    const { x, atol } = await fiscalTill();
    await scan(x, demoMarkingCode(11));
    await scan(x, DEMO_BARCODES.milk);
    const total = (await x.c.call('checkout.current', {}))!.total;
    const sale = await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: total }] });
    await x.t.backend.fiscal.idle();
    expect(atol.model.archive.find((d) => d.kind === 'sale')!.markingCodes).toEqual([demoMarkingCode(11)]);

    const src = await x.c.call('returns.source', { receiptId: sale.id });
    const water = src.lines.find((l) => l.marked)!;
    expect(src.lines.filter((l) => l.marked)).toHaveLength(1);
    const back = (markingCode?: string) => x.c.call('returns.complete', { originalId: sale.id, lines: [{ lineId: water.lineId, qty: 1_000, ...(markingCode ? { markingCode } : {}) }] });
    expect((await failure(back())).code).toBe('marking_required');
    expect(await failure(back(demoMarkingCode(12)))).toMatchObject({ code: 'marking_invalid', details: { reason: 'not_this_unit' } });
    const ret = await back(demoMarkingCode(11));
    await x.t.backend.fiscal.idle();
    expect(x.t.backend.repos.fiscalJournal.open()).toEqual([]);
    const doc = atol.model.archive.find((d) => d.kind === 'return')!;
    expect(doc).toMatchObject({ total: ret.total, markingCodes: [demoMarkingCode(11)] });
  });
});
