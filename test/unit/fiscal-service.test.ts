import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src-common/clock.js';
import type { EpochMs } from '../../src-common/units.js';
import { mulberry32 } from '../../src-common/prng.js';
import type { FiscalReceipt } from '../../src-drivers/fiscal/registrar.js';
import { loadMigrations, migrate } from '../../src-main/db/migrate.js';
import { openDatabase, type Db } from '../../src-main/db/open.js';
import { FiscalJournalRepo } from '../../src-main/db/repos/fiscal-journal.js';
import { FiscalService, type FiscalPayload } from '../../src-main/fiscal/service.js';
import { MIGRATIONS_DIR } from '../support/backend.js';
import { FakeRegistrar } from '../support/fake-registrar.js';

const receipt = (total: number, kind: 'sale' | 'return' = 'sale'): FiscalReceipt => ({
  kind,
  lines: [{ name: 'Молоко', qty: 1000, unit: 'pcs', price: total, amount: total, vat: 'vat10', subject: 'commodity', paymentMethod: 'full_payment' }],
  payments: [{ type: 'cash', amount: total }],
  taxSystem: 'osn',
  cashier: { name: 'Анна' },
});

let dir = '';
let db: Db;
afterEach(() => {
  if (db?.open) db.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function setup(registrar: FakeRegistrar | null) {
  dir = mkdtempSync(join(tmpdir(), 'lavka-fiscal-'));
  db = openDatabase(join(dir, 'till.sqlite'));
  migrate(db, loadMigrations(MIGRATIONS_DIR));
  const journal = new FiscalJournalRepo(db);
  const clock = new ManualClock(Date.UTC(2026, 11, 2, 9));
  const make = () =>
    new FiscalService({ db, journal, clock, log: { info: () => undefined, error: () => undefined }, registrar: () => registrar, changed: () => undefined });
  const enqueue = (payload: FiscalPayload, refId: string) =>
    db.transaction(() =>
      journal.enqueue({
        op: payload.op,
        refId,
        docKind: payload.op === 'receipt' ? payload.receipt.kind : null,
        total: payload.op === 'receipt' ? payload.receipt.lines.reduce((s, l) => s + l.amount, 0) : payload.op === 'cash_in' || payload.op === 'cash_out' ? payload.amount : null,
        payload,
        at: clock.now(),
      }),
    )();
  return { journal, make, enqueue };
}

describe('the fiscal journal: every receipt reaches the ФН exactly once', () => {
  it('registers queued receipts in order with their document numbers and fiscal signs', async () => {
    const reg = new FakeRegistrar();
    const { journal, make, enqueue } = setup(reg);
    const s = make();
    enqueue({ op: 'receipt', receipt: receipt(8_990) }, 'r1');
    enqueue({ op: 'receipt', receipt: receipt(1_000, 'return') }, 'r2');
    s.kick();
    await s.idle();
    expect(reg.archive.map((d) => [d.kind, d.total])).toEqual([
      ['sale', 8_990],
      ['return', 1_000],
    ]);
    expect(journal.forRef('r1')[0]).toMatchObject({ state: 'done', documentNumber: 1, fiscalSign: reg.archive[0]!.fiscalSign });
    expect(journal.open()).toEqual([]);
  });

  it('opens the registrar shift when it is closed, and refuses with a blocking error when it is over 24 hours', async () => {
    const reg = new FakeRegistrar();
    reg.shift = 'closed';
    const { journal, make, enqueue } = setup(reg);
    const s = make();
    enqueue({ op: 'receipt', receipt: receipt(500) }, 'r1');
    s.kick();
    await s.idle();
    expect(reg.archive.map((d) => d.kind)).toEqual(['open_shift', 'sale']);
    expect(journal.forRef('r1')[0]!.state).toBe('done');

    reg.shift = 'expired';
    enqueue({ op: 'receipt', receipt: receipt(700) }, 'r2');
    s.kick();
    await s.idle();
    expect(journal.forRef('r2')[0]).toMatchObject({ state: 'failed', errorCode: 'shift_expired', fnBefore: null });
    s.stop();
  });

  it('a stated refusal is sent again once the cause clears; the link down waits without sending', async () => {
    const reg = new FakeRegistrar();
    const { journal, make, enqueue } = setup(reg);
    const s = make();
    reg.next = 'refuse';
    enqueue({ op: 'receipt', receipt: receipt(300) }, 'r1');
    s.kick();
    await s.idle();
    expect(journal.forRef('r1')[0]).toMatchObject({ state: 'failed', errorCode: 'paper_out', fnBefore: null });
    reg.linkDown = true;
    s.kick();
    await s.idle();
    expect(journal.forRef('r1')[0]).toMatchObject({ state: 'failed', errorCode: 'offline' });
    reg.linkDown = false;
    s.kick();
    await s.idle();
    expect(reg.archive.map((d) => d.total)).toEqual([300]);
    expect(journal.forRef('r1')[0]!.state).toBe('done');
    s.stop();
  });

  it('no answer: found in the archive when the ФН registered it, sent again when it did not, cancelled and sent again when left open', async () => {
    for (const fault of ['lose-after', 'lose-before', 'hang-open'] as const) {
      const reg = new FakeRegistrar();
      const { journal, make, enqueue } = setup(reg);
      const s = make();
      reg.next = fault;
      enqueue({ op: 'receipt', receipt: receipt(4_200) }, 'r1');
      s.kick();
      await s.idle();
      expect(journal.forRef('r1')[0]!.state, fault).toBe('failed');
      // A restart: a new service on the same store.
      s.stop();
      const again = make();
      again.kick();
      await again.idle();
      expect(reg.archive.filter((d) => d.kind === 'sale').map((d) => d.total), fault).toEqual([4_200]);
      expect(reg.openDoc).toBeNull();
      expect(journal.forRef('r1')[0]).toMatchObject({ state: 'done', documentNumber: 1 });
      again.stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a crash after the answer but before the local mark: the restart finds the document, never sends it twice', async () => {
    const reg = new FakeRegistrar();
    const { journal, make, enqueue } = setup(reg);
    enqueue({ op: 'receipt', receipt: receipt(999) }, 'r1');
    // The process dies right after the ФН answered: the row is left 'sending' with fn_before set.
    db.transaction(() => journal.markSending(journal.next()!.id, reg.archive.length, 0 as EpochMs))();
    await reg.receipt(receipt(999));
    const s = make();
    s.kick();
    await s.idle();
    expect(reg.archive.map((d) => d.total)).toEqual([999]);
    expect(journal.forRef('r1')[0]).toMatchObject({ state: 'done', documentNumber: 1 });
    s.stop();
  });

  it('the ФН moved on with no document that matches: the row waits for a person, and later receipts still go', async () => {
    const reg = new FakeRegistrar();
    const { journal, make, enqueue } = setup(reg);
    enqueue({ op: 'receipt', receipt: receipt(999) }, 'r1');
    db.transaction(() => journal.markSending(journal.next()!.id, 0, 0 as EpochMs))();
    await reg.receipt(receipt(1_001)); // something else was registered meanwhile
    enqueue({ op: 'receipt', receipt: receipt(50) }, 'r2');
    const s = make();
    s.kick();
    await s.idle();
    expect(journal.forRef('r1')[0]).toMatchObject({ state: 'attention', errorCode: 'uncertain' });
    expect(journal.forRef('r2')[0]!.state).toBe('done');
    expect(reg.archive.map((d) => d.total)).toEqual([1_001, 50]);
    expect(journal.open().map((r) => r.refId)).toEqual(['r1']);
    s.stop();
  });

  it('a cash-in that got no answer is not repeated: it waits for a person', async () => {
    const reg = new FakeRegistrar();
    const { journal, make, enqueue } = setup(reg);
    enqueue({ op: 'cash_in', amount: 500_000 }, 'm1');
    db.transaction(() => journal.markSending(journal.next()!.id, 0, 0 as EpochMs))();
    const s = make();
    s.kick();
    await s.idle();
    expect(reg.cashIns).toEqual([]);
    expect(journal.forRef('m1')[0]!.state).toBe('attention');
    s.stop();
  });

  it('random faults and restarts: the archive holds exactly one document per receipt with its total', async () => {
    const reg = new FakeRegistrar();
    const { journal, make, enqueue } = setup(reg);
    const random = mulberry32(20261202);
    const faults = ['ok', 'ok', 'refuse', 'lose-before', 'lose-after', 'hang-open'] as const;
    const totals = new Map<string, number>();
    let s = make();
    for (let i = 0; i < 300; i++) {
      const total = 100 + Math.floor(random() * 10_000);
      totals.set(`r${i}`, total);
      enqueue({ op: 'receipt', receipt: receipt(total) }, `r${i}`);
      reg.next = faults[Math.floor(random() * faults.length)]!;
      s.kick();
      await s.idle();
      if (random() < 0.3) {
        s.stop();
        s = make();
      }
    }
    for (let round = 0; round < 10 && journal.open().length > 0; round++) {
      s.stop();
      s = make();
      s.kick();
      await s.idle();
    }
    s.stop();
    expect(journal.open()).toEqual([]);
    const sales = reg.archive.filter((d) => d.kind === 'sale');
    expect(sales).toHaveLength(totals.size);
    for (const [ref, total] of totals) {
      const row = journal.forRef(ref)[0]!;
      expect(reg.archive[row.documentNumber! - 1]!.total).toBe(total);
    }
  });
});
