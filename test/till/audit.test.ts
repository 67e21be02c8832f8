import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { failure, openTill, type Till } from './support.js';

let till: Till;
afterEach(() => till?.close());

const ROOT = join(import.meta.dirname, '..', '..');

/** `npm run audit:verify` as an operator runs it, against the till's data directory. */
function auditVerifyCli(dataDir: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src-main/tools/audit-verify.ts'), '--data-dir', dataDir], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

async function someActivity(till: Till): Promise<void> {
  const { c } = till;
  await till.as('cashier');
  await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
  await c.call('checkout.complete', { payments: [{ method: 'cash', amount: 10_000 }] });
  await c.call('shift.cashIn', { amount: 5_000, reason: 'размен' });
  await till.as('owner');
}

describe('tamper-evident audit log', () => {
  it('rejects UPDATE and DELETE outright', async () => {
    till = openTill();
    await someActivity(till);
    const { db } = till.t.backend;
    expect(() => db.prepare(`UPDATE audit_log SET details = '{}' WHERE seq = 2`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM audit_log WHERE seq = 2`).run()).toThrow(/append-only/);
  });

  it('names the one row altered behind its back, in the app and from the command line', async () => {
    till = openTill();
    await someActivity(till);
    const { c } = till;
    const intact = await c.call('audit.verify');
    expect(intact).toMatchObject({ brokenAt: null });
    expect(intact.entries).toBeGreaterThanOrEqual(5);
    expect(auditVerifyCli(till.t.dir)).toMatchObject({ status: 0, out: expect.stringContaining('audit chain intact') });

    // Someone with the database file drops the guard and rewrites the cash-in amount.
    const { db } = till.t.backend;
    const target = db.prepare(`SELECT seq FROM audit_log WHERE action = 'cash.in'`).pluck().get() as number;
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare(`UPDATE audit_log SET details = replace(details, '5000', '500') WHERE seq = ?`).run(target);

    expect(await c.call('audit.verify')).toMatchObject({ brokenAt: target });
    const cli = auditVerifyCli(till.t.dir);
    expect(cli.status).toBe(1);
    expect(cli.out).toContain(`BROKEN at entry #${target} (cash.in`);
    expect(cli.out).toContain('content does not match');
  });

  it('notices a removed entry: the chain no longer links', async () => {
    till = openTill();
    await someActivity(till);
    const { db } = till.t.backend;
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE seq = 3').run();
    expect(auditVerifyCli(till.t.dir)).toMatchObject({ status: 1, out: expect.stringContaining('BROKEN at entry #4') });
  });

  it('lists entries newest first with filters, for an owner only; the Z sends the chain head upstream', async () => {
    till = openTill();
    await someActivity(till);
    const { c, t } = till;
    const all = await c.call('audit.list', {});
    expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => b - a));
    const cash = await c.call('audit.list', { action: 'cash' });
    expect(cash).toEqual([expect.objectContaining({ action: 'cash.in', user: 'Анна Смирнова', details: expect.stringContaining('"amount":5000') })]);
    const anna = await c.call('audit.list', { userId: till.userId('cashier') });
    expect(new Set(anna.map((e) => e.user))).toEqual(new Set(['Анна Смирнова']));
    expect(await c.call('audit.list', { from: t.clock.now() + 1 })).toEqual([]);
    await till.as('cashier');
    expect((await failure(c.call('audit.list', {}))).code).toBe('forbidden');

    await c.call('shift.close', { count: [{ value: 500_000, count: 1 }], reason: 'пересчёт позже' });
    const events = t.backend.repos.outbox.unacked(100);
    const head = events.find((e) => e.type === 'audit.head');
    const last = t.backend.db.prepare('SELECT seq, hash, action FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string; action: string };
    expect(last.action).toBe('shift.close');
    expect(JSON.parse(head!.payload)).toMatchObject({ seq: last.seq, hash: last.hash });
    expect(head!.channel).toBe('audit');
  });
});
