import { afterEach, describe, expect, it } from 'vitest';
import { FiscalError } from '../../src-drivers/fiscal/registrar.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { FakeRegistrar } from '../support/fake-registrar.js';
import { failure, openTill, type Till } from './support.js';

const tills: Till[] = [];
afterEach(() => {
  for (const t of tills.splice(0)) t.close();
});

async function fiscalTill(): Promise<{ x: Till; reg: FakeRegistrar }> {
  const reg = new FakeRegistrar();
  const x = openTill({ registrarFor: () => reg });
  tills.push(x);
  x.t.backend.repos.settings.set('fiscal.mode', 'shtrih');
  await x.as('owner');
  await x.c.call('devices.save', {
    device: { kind: 'fiscal', driver: 'shtrih', name: 'Штрих-М', transport: { kind: 'tcp', host: '127.0.0.1', port: 7778 }, options: {}, enabled: true },
  });
  await x.as('cashier');
  return { x, reg };
}

async function sellMilk(x: Till) {
  await x.c.call('checkout.scan', { code: DEMO_BARCODES.milk });
  const sale = await x.c.call('checkout.complete', { payments: [{ method: 'card', amount: 8_990 }] });
  await x.t.backend.fiscal.idle();
  return sale;
}

describe('a receipt the registrar never registered is registered by a correction receipt', () => {
  it('recovery found the ФН moved on without it: the owner registers a correction, once, dated by the sale; the receipt shows it', async () => {
    const { x, reg } = await fiscalTill();
    // No answer, and the ФН moved on with some other document (printed at the registrar's own keyboard, say).
    reg.next = 'lose-other';
    const sale = await sellMilk(x);
    x.t.backend.fiscal.kick();
    await x.t.backend.fiscal.idle();
    expect(await x.c.call('fiscal.receipt', { receiptId: sale.id })).toMatchObject({ state: 'attention', correction: false });

    // A cashier may not settle fiscal alarms.
    expect((await failure(x.c.call('fiscal.alarms', {}))).code).toBe('forbidden');
    await x.as('owner');
    const [alarm] = await x.c.call('fiscal.alarms', {});
    expect(alarm).toMatchObject({ op: 'receipt', refId: sale.id, receiptNumber: sale.number, kind: 'sale', total: sale.total, state: 'attention', correctable: true, dismissable: true });

    const { correctionId } = await x.c.call('fiscal.resolve', { journalId: alarm!.id, action: 'correction', note: 'нет в архиве ФН' });
    expect(correctionId).not.toBeNull();
    await x.t.backend.fiscal.idle();

    expect(reg.corrections).toHaveLength(1);
    expect(reg.corrections[0]!.correction).toEqual({ type: 'self', baseDate: sale.completedAt, baseNumber: '' });
    expect(reg.corrections[0]!.kind).toBe('sale');
    expect(reg.archive.filter((d) => d.kind === 'correction')).toEqual([expect.objectContaining({ total: sale.total })]);
    expect(reg.archive.filter((d) => d.kind === 'sale')).toEqual([]);
    const f = await x.c.call('fiscal.receipt', { receiptId: sale.id });
    expect(f).toMatchObject({ state: 'done', correction: true, documentNumber: reg.archive.at(-1)!.number, fiscalSign: reg.archive.at(-1)!.fiscalSign });
    expect(await x.c.call('fiscal.alarms', {})).toEqual([]);
    expect(await x.c.call('fiscal.status', {})).toMatchObject({ attention: [], pending: 0 });
    const audit = await x.c.call('audit.list', { action: 'fiscal.correction' });
    expect(audit.map((a) => a.subject)).toEqual([sale.id]);

    // Settled once: a second correction of the same alarm is refused, nothing more is queued.
    expect(await failure(x.c.call('fiscal.resolve', { journalId: alarm!.id, action: 'correction' }))).toEqual({ code: 'fiscal_unresolvable', details: { reason: 'state' } });
    expect(x.t.backend.repos.fiscalJournal.forRef(sale.id).map((r) => [r.op, r.state])).toEqual([
      ['receipt', 'resolved'],
      ['correction', 'done'],
    ]);
  });

  it('a correction lost after the ФН committed it is found in the archive as a correction, not sent twice', async () => {
    const { x, reg } = await fiscalTill();
    reg.refuseAll = new FiscalError('bad_data', 'the registrar refused the document');
    const sale = await sellMilk(x);
    await x.as('owner');
    const [alarm] = await x.c.call('fiscal.alarms', {});
    reg.refuseAll = null;
    reg.next = 'lose-after';
    await x.c.call('fiscal.resolve', { journalId: alarm!.id, action: 'correction', correctionType: 'instruction', baseNumber: '12-34/567' });
    await x.t.backend.fiscal.idle();
    x.t.backend.fiscal.kick();
    await x.t.backend.fiscal.idle();
    expect(reg.archive.filter((d) => d.kind === 'correction')).toHaveLength(1);
    expect(reg.corrections[0]!.correction).toMatchObject({ type: 'instruction', baseNumber: '12-34/567' });
    expect(await x.c.call('fiscal.receipt', { receiptId: sale.id })).toMatchObject({ state: 'done', correction: true });
  });

  it('a refused receipt can be corrected but never dismissed; an instruction needs its number; an uncertain send is recovery’s first', async () => {
    const { x, reg } = await fiscalTill();
    reg.refuseAll = new FiscalError('bad_data', 'the registrar refused the document');
    const refused = await sellMilk(x);
    await x.as('owner');
    const [alarm] = await x.c.call('fiscal.alarms', {});
    expect(alarm).toMatchObject({ refId: refused.id, state: 'failed', errorCode: 'bad_data', correctable: true, dismissable: false });
    expect(await failure(x.c.call('fiscal.resolve', { journalId: alarm!.id, action: 'dismiss', note: 'не нужно' }))).toEqual({
      code: 'fiscal_unresolvable',
      details: { reason: 'must_register' },
    });
    expect(await failure(x.c.call('fiscal.resolve', { journalId: alarm!.id, action: 'correction', correctionType: 'instruction', baseNumber: '  ' }))).toEqual({
      code: 'validation',
      details: { field: 'baseNumber', reason: 'required' },
    });
    expect(await failure(x.c.call('fiscal.resolve', { journalId: 'nope', action: 'correction' }))).toMatchObject({ code: 'not_found' });
    // Nothing was settled by the refusals.
    expect(x.t.backend.repos.fiscalJournal.forRef(refused.id).map((r) => r.state)).toEqual(['failed']);
    expect(await x.c.call('audit.list', { action: 'fiscal.correction' })).toEqual([]);

    // A send that got no answer: the ФН may hold it. Only recovery may say; no correction yet.
    reg.refuseAll = null;
    await x.c.call('fiscal.resolve', { journalId: alarm!.id, action: 'correction' });
    await x.t.backend.fiscal.idle();
    await x.as('cashier');
    reg.next = 'lose-before';
    reg.linkDown = false;
    const uncertain = await sellMilk(x);
    reg.linkDown = true;
    x.t.backend.fiscal.kick();
    await x.t.backend.fiscal.idle();
    await x.as('owner');
    const row = x.t.backend.repos.fiscalJournal.forRef(uncertain.id)[0]!;
    expect(row).toMatchObject({ state: 'failed' });
    expect(row.fnBefore).not.toBeNull();
    expect((await x.c.call('fiscal.alarms', {})).find((a) => a.id === row.id)).toMatchObject({ correctable: false, dismissable: false });
    expect(await failure(x.c.call('fiscal.resolve', { journalId: row.id, action: 'correction' }))).toEqual({ code: 'fiscal_unresolvable', details: { reason: 'uncertain' } });
  });

  it('an alarm settled outside the till (a Z difference explained) is marked checked with a note, in the audit log', async () => {
    const { x, reg } = await fiscalTill();
    await sellMilk(x);
    reg.totals.sales.count += 1;
    const z = await x.c.call('reports.x', {});
    await x.as('manager');
    await x.c.call('shift.close', { count: [{ value: 10_000, count: Math.floor(z.cash.expected / 10_000) }, { value: 1, count: z.cash.expected % 10_000 }] });
    await x.t.backend.fiscal.idle();
    await x.as('owner');
    const [alarm] = await x.c.call('fiscal.alarms', {});
    expect(alarm).toMatchObject({ op: 'close_shift', state: 'attention', correctable: false, dismissable: true });
    expect(await failure(x.c.call('fiscal.resolve', { journalId: alarm!.id, action: 'dismiss', note: ' ' }))).toEqual({
      code: 'validation',
      details: { field: 'note', reason: 'required' },
    });
    expect(await failure(x.c.call('fiscal.resolve', { journalId: alarm!.id, action: 'correction' }))).toEqual({
      code: 'fiscal_unresolvable',
      details: { reason: 'not_receipt' },
    });
    await x.c.call('fiscal.resolve', { journalId: alarm!.id, action: 'dismiss', note: 'чек с кассы до перехода, сверено с X-отчётом' });
    expect(await x.c.call('fiscal.alarms', {})).toEqual([]);
    expect((await x.c.call('fiscal.status', {})).attention).toEqual([]);
    const [entry] = await x.c.call('audit.list', { action: 'fiscal.dismiss' });
    expect(JSON.parse(entry!.details)).toMatchObject({ note: 'чек с кассы до перехода, сверено с X-отчётом', op: 'close_shift' });
  });
});
