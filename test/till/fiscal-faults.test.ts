import { afterEach, describe, expect, it } from 'vitest';
import type { ShtrihEmulator } from '../../src-drivers/emulators/fiscal/shtrih.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { en } from '../../src-renderer/i18n/en.js';
import { ru } from '../../src-renderer/i18n/ru.js';
import { failure, type Till } from './support.js';
import { idle, runCleanups, shtrihTill } from './fiscal-support.js';

afterEach(runCleanups);

interface Fault {
  name: string;
  /** Switch the fault on in the emulator. */
  on(e: ShtrihEmulator): void;
  /** And off again (what the shop does: loads paper, replaces the ФН, closes the shift…). */
  off(e: ShtrihEmulator, x: Till): Promise<void> | void;
  /** The error the receipt is left with. */
  code: string;
  /** Does selling stop until the cause is dealt with? */
  blocks: boolean;
  /** Alarms that rightly remain afterwards. */
  leaves?: string;
}

const DAY = 86_400_000;

/** The emulator's fault list (DEVICES.md §5), each with what the till must say and do. */
const FAULTS: Fault[] = [
  { name: 'no paper', on: (e) => e.paperOut(), off: (e) => e.loadPaper(), code: 'paper_out', blocks: false },
  { name: 'paper out in the middle of the receipt', on: (e) => e.paperOutAtLine(1), off: (e) => e.loadPaper(), code: 'paper_out', blocks: false },
  { name: 'still printing, for ever', on: (e) => e.printing(1_000), off: (e) => e.printing(0), code: 'busy', blocks: false },
  { name: 'the registrar is silent', on: (e) => void (e.faults.silent = true), off: (e) => void (e.faults.silent = false), code: 'offline', blocks: false },
  {
    name: 'a check left open',
    on: (e) => e.leaveCheckOpen(),
    off: () => undefined,
    // Not an error at all: the journal cancels a document nobody claims before sending.
    code: 'none',
    blocks: false,
  },
  {
    name: 'the ФН expired',
    on: (e) => void (e.fnExpired = true),
    off: (e) => void (e.fnExpired = false),
    code: 'fn_expired',
    blocks: true,
  },
  { name: 'the ФН is full', on: (e) => void (e.fnFull = true), off: (e) => void (e.fnFull = false), code: 'fn_full', blocks: true },
  {
    name: 'the registrar shift is over 24 hours',
    on: (e) => e.advanceClock(DAY + 60_000),
    off: async (_e, x) => {
      // The way out the message names: close the shift (the Z goes through the registrar), open a new one.
      const xr = await x.c.call('reports.x', {});
      await x.c.call('shift.close', { count: [{ value: 10_000, count: Math.floor(xr.cash.expected / 10_000) }, { value: 1, count: xr.cash.expected % 10_000 }] });
      await x.t.backend.fiscal.idle();
      await x.c.call('shift.open', { count: [] });
    },
    code: 'shift_expired',
    blocks: true,
    // The receipt the registrar refused in the old shift is registered in the new one: the old
    // shift's Z on the registrar lacks it, and the owner is told.
    leaves: 'z_mismatch',
  },
];

describe('every registrar fault: a translated message and a defined till state', () => {
  for (const f of FAULTS) {
    it(`${f.name}: ${f.code === 'none' ? 'handled without a fault' : `${f.code}, selling ${f.blocks ? 'stops' : 'continues'}`}`, async () => {
      const { x, shtrih } = await shtrihTill();
      // A first sale opens the registrar shift: the fault then hits a working register.
      await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
      await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 8_990 }] });
      await idle(x);

      f.on(shtrih);
      await x.c.call('checkout.scan', { code: DEMO_BARCODES.bread });
      const total = (await x.c.call('checkout.current', {}))!.total;
      const sale = await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: total }] });
      await x.t.backend.fiscal.idle();
      const state = await x.c.call('fiscal.receipt', { receiptId: sale.id });
      if (f.code === 'none') {
        expect(state.state).toBe('done');
        return;
      }
      expect(state).toMatchObject({ state: 'failed', errorCode: f.code });
      // Translated, in both languages, from the code the receipt carries.
      expect(en.fiscal.error[f.code as keyof typeof en.fiscal.error]).toBeTruthy();
      expect(ru.fiscal.error[f.code as keyof typeof ru.fiscal.error]).toBeTruthy();

      // The next sale: refused with the reason, or taken (and queued behind the first).
      await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
      const next = x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 8_990 }] });
      if (f.blocks) {
        expect(await failure(next)).toEqual({ code: 'fiscal_blocked', details: { reason: f.code } });
        expect(en.fiscal.blocked[f.code as keyof typeof en.fiscal.blocked]).toBeTruthy();
        expect(ru.fiscal.blocked[f.code as keyof typeof ru.fiscal.blocked]).toBeTruthy();
        await x.c.call('checkout.cancel', {}).catch(() => undefined);
      } else {
        expect((await next).state).toBe('completed');
      }

      // The cause dealt with: everything waiting is registered, once, and selling goes on.
      await f.off(shtrih, x);
      x.t.backend.fiscal.kick();
      await x.t.backend.fiscal.idle();
      expect(x.t.backend.repos.fiscalJournal.open().map((r) => r.errorCode)).toEqual(f.leaves ? [f.leaves] : []);
      expect(await x.c.call('fiscal.receipt', { receiptId: sale.id })).toMatchObject({ state: 'done' });
      const sales = shtrih.archive.filter((d) => d.kind === 'sale');
      expect(sales.filter((d) => d.total === sale.total)).toHaveLength(1);
      expect((await x.c.call('fiscal.status', {})).blocked).toBeNull();
    });
  }
});
