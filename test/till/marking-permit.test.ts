import { afterEach, describe, expect, it } from 'vitest';
import { LocalModuleEmulator, type LocalModuleCodeState } from '../../src-drivers/emulators/marking-local-module.js';
import type { FiscalDocument, FiscalReceipt } from '../../src-drivers/fiscal/registrar.js';
import type { RpcClient } from '../../src-common/rpc/client.js';
import { DEMO_BARCODES, demoMarkingCode } from '../../src-main/demo/catalog-generator.js';
import { inProcessClient } from '../../src-main/rpc/in-process.js';
import { FakeRegistrar } from '../support/fake-registrar.js';
import { atolTill, cleanups, runCleanups } from './fiscal-support.js';
import { demoPin, failure, openTill, type Till } from './support.js';

afterEach(runCleanups);

const LOGIN = 'kassa1';
const PASSWORD = 'ЛМ-пароль-42';

/** The in-memory registrar, keeping every receipt as the till sent it through the driver interface. */
class RecordingRegistrar extends FakeRegistrar {
  readonly receipts: FiscalReceipt[] = [];
  override async receipt(r: FiscalReceipt): Promise<FiscalDocument> {
    this.receipts.push(structuredClone(r));
    return super.receipt(r);
  }
}

interface PermitTill {
  x: Till;
  emu: LocalModuleEmulator;
  reg: RecordingRegistrar;
}

/**
 * A till whose permit check asks the emulated Честный знак local module over HTTP, set up through
 * the fiscal settings as the owner would; in fiscal mode with an in-memory registrar, or without.
 */
async function permitTill(o: { fiscal: boolean; policy: 'allow' | 'refuse'; password?: string }): Promise<PermitTill> {
  const clock = { now: () => Date.UTC(2026, 10, 22, 9, 0, 0) };
  const emu = await LocalModuleEmulator.start({ login: LOGIN, password: PASSWORD, now: () => clock.now() });
  cleanups.push(() => emu.stop());
  const reg = new RecordingRegistrar();
  const x = openTill({ registrarFor: () => reg });
  cleanups.push(() => x.close());
  clock.now = () => x.t.clock.now();
  await x.as('owner');
  if (o.fiscal) {
    x.t.backend.repos.settings.set('fiscal.mode', 'shtrih');
    await x.c.call('devices.save', {
      device: { kind: 'fiscal', driver: 'shtrih', name: 'Штрих-М', transport: { kind: 'tcp', host: '127.0.0.1', port: 7778 }, options: {}, enabled: true },
    });
  }
  const base = await x.c.call('fiscal.settings', {});
  await x.c.call('fiscal.settingsSave', {
    settings: { ...base, markingOfflinePolicy: o.policy, permit: { provider: 'local_module', url: emu.url, login: LOGIN, password: o.password ?? PASSWORD } },
  });
  await x.as('cashier');
  return { x, emu, reg };
}

/** Scan as the screen does: a code still being checked is sent again once the checks have answered. */
async function scan(c: RpcClient, code: string) {
  try {
    return await c.call('checkout.scan', { code });
  } catch (e) {
    if ((e as { code?: string }).code !== 'marking_pending') throw e;
    await new Promise<void>((resolve) => {
      const off = c.on('marking.checked', (m) => {
        if (m.code !== code) return;
        off();
        resolve();
      });
    });
    return c.call('checkout.scan', { code });
  }
}

async function scanFails(c: RpcClient, code: string) {
  return failure(scan(c, code));
}

async function payByCard(c: RpcClient) {
  const total = (await c.call('checkout.current', {}))!.total;
  return c.call('checkout.complete', { payments: [{ method: 'card', amount: total }] });
}

const requisite = (a: { reqId: string; reqTimestamp: number }) => ({ foiv: '030', date: '21.11.2023', number: '1944', value: `UUID=${a.reqId}&Time=${a.reqTimestamp}` });

describe('the permit check of marked goods (разрешительный режим, ЛМ ЧЗ)', () => {
  it('a sold, blocked, expired, unknown or forged code is refused with its reason; nothing is added', async () => {
    const { x, emu } = await permitTill({ fiscal: true, policy: 'allow' });
    const cases: [number, LocalModuleCodeState, string][] = [
      [21, 'sold', 'sold'],
      [22, 'blocked', 'blocked'],
      [23, 'expired', 'expired'],
      [24, 'unknown', 'not_found'],
      [25, 'invalid', 'invalid'],
    ];
    for (const [n, state, reason] of cases) {
      emu.setCode(demoMarkingCode(n), state);
      expect(await scanFails(x.c, demoMarkingCode(n))).toMatchObject({ code: 'marking_rejected', details: { reason } });
    }
    expect(await x.c.call('checkout.current', {})).toBeNull();
    expect(x.rows('marking_permits')).toBe(0);
  });

  it('an OK code is sold, and its fiscal line carries tag 1260 with the answer’s reqId and reqTimestamp', async () => {
    const { x, emu, reg } = await permitTill({ fiscal: true, policy: 'refuse' });
    const code = demoMarkingCode(31);
    await scan(x.c, code);
    await scan(x.c, DEMO_BARCODES.milk);
    await payByCard(x.c);
    await x.t.backend.fiscal.idle();
    const asked = emu.issued.filter((i) => i.code === code);
    expect(asked).toHaveLength(1);
    expect(reg.receipts).toHaveLength(1);
    const [water, milk] = reg.receipts[0]!.lines;
    expect(water).toMatchObject({ subject: 'marked_commodity', markingCode: code, industry: requisite(asked[0]!) });
    expect(milk!.industry).toBeUndefined();
    expect(x.t.backend.repos.fiscalJournal.open()).toEqual([]);
  });

  it('through the ATOL registrar (its emulator over HTTP) the ФН holds the marked item with that tag 1260', async () => {
    const { x, atol } = await atolTill();
    const emu = await LocalModuleEmulator.start({ login: LOGIN, password: PASSWORD, now: () => x.t.clock.now() });
    cleanups.push(() => emu.stop());
    await x.as('owner');
    const base = await x.c.call('fiscal.settings', {});
    await x.c.call('fiscal.settingsSave', { settings: { ...base, permit: { provider: 'local_module', url: emu.url, login: LOGIN, password: PASSWORD } } });
    await x.as('cashier');
    const code = demoMarkingCode(33);
    await scan(x.c, code);
    await scan(x.c, DEMO_BARCODES.milk);
    await payByCard(x.c);
    await x.t.backend.fiscal.idle();
    const sale = atol.model.archive.find((d) => d.kind === 'sale')!;
    expect(sale.markingCodes).toEqual([code]);
    expect(sale.lines.map((l) => l.industry)).toEqual([requisite(emu.issued.find((i) => i.code === code)!), null]);
  });

  it('the permit answer is kept in the store: a restart before the sale, and another before fiscalization, still send it', async () => {
    const { x, emu, reg } = await permitTill({ fiscal: true, policy: 'refuse' });
    const code = demoMarkingCode(32);
    await scan(x.c, code);
    const asked = emu.issued.find((i) => i.code === code)!;
    // Nobody can be asked again: the answer must come from the store.
    await emu.down();

    let backend = x.t.restart({ registrarFor: () => reg });
    const c = inProcessClient(backend.dispatcher);
    cleanups.push(() => c.close());
    await c.call('session.login', { userId: x.userId('cashier'), pin: demoPin('cashier') });
    expect((await c.call('checkout.current', {}))!.lines.map((l) => l.barcode)).toEqual([code]);
    reg.linkDown = true;
    const sale = await payByCard(c);
    await backend.fiscal.idle();
    expect(reg.receipts).toEqual([]);

    reg.linkDown = false;
    backend = x.t.restart({ registrarFor: () => reg });
    await backend.fiscal.idle();
    expect(reg.archive.filter((d) => d.kind === 'sale').map((d) => d.total)).toEqual([sale.total]);
    expect(reg.receipts[0]!.lines[0]).toMatchObject({ markingCode: code, industry: requisite(asked) });
    expect(emu.issued.filter((i) => i.code === code)).toHaveLength(1);
  });

  it('with the module down, the offline policy "allow" sells the unit (without tag 1260)', async () => {
    const { x, emu, reg } = await permitTill({ fiscal: true, policy: 'allow' });
    await emu.down();
    const code = demoMarkingCode(41);
    expect((await scan(x.c, code)).lines.map((l) => l.barcode)).toEqual([code]);
    await payByCard(x.c);
    await x.t.backend.fiscal.idle();
    expect(reg.receipts[0]!.lines[0]).toMatchObject({ markingCode: code });
    expect(reg.receipts[0]!.lines[0]!.industry).toBeUndefined();
    expect(x.rows('marking_permits')).toBe(0);
    expect(x.t.logs.some((l) => l.msg === 'the permit check could not answer' && l.data?.reason === 'unreachable')).toBe(true);
  });

  it('with the module down, the offline policy "refuse" refuses the unit, and says the permit check is unavailable', async () => {
    const { x, emu } = await permitTill({ fiscal: true, policy: 'refuse' });
    await emu.down();
    expect(await scanFails(x.c, demoMarkingCode(42))).toMatchObject({ code: 'marking_rejected', details: { reason: 'permit_unavailable' } });
    // Once the module is back (and the short memory of "could not check" has passed), the unit sells.
    await emu.up();
    x.t.clock.advance(11_000);
    expect((await scan(x.c, demoMarkingCode(42))).lines).toHaveLength(1);
  });

  it('a module that refuses the till’s login (401) is unavailable with its own reason; the password is never logged', async () => {
    const { x } = await permitTill({ fiscal: true, policy: 'refuse', password: 'not-the-password' });
    expect(await scanFails(x.c, demoMarkingCode(43))).toMatchObject({ code: 'marking_rejected', details: { reason: 'permit_unauthorized' } });
    const logged = x.t.logs.find((l) => l.msg === 'the permit check could not answer');
    expect(logged?.data).toMatchObject({ reason: 'unauthorized', message: expect.stringContaining('401') });
    expect(JSON.stringify(x.t.logs)).not.toContain('not-the-password');
  });

  it('without fiscal mode the permit check still runs: a sold code is refused, a good one sold with its answer kept', async () => {
    const { x, emu, reg } = await permitTill({ fiscal: false, policy: 'allow' });
    emu.setCode(demoMarkingCode(51), 'sold');
    expect(await scanFails(x.c, demoMarkingCode(51))).toMatchObject({ code: 'marking_rejected', details: { reason: 'sold' } });
    const r = await scan(x.c, demoMarkingCode(52));
    const kept = x.t.backend.repos.markingPermits.get(r.id, demoMarkingCode(52));
    expect(kept).toMatchObject({ provider: 'local_module', answer: { found: true, sold: false, reqId: emu.issued.at(-1)!.reqId } });
    await payByCard(x.c);
    await x.t.backend.fiscal.idle();
    expect(reg.receipts).toEqual([]);
  });
});

describe('permit check settings', () => {
  it('the owner sets the local module up; the address must be http(s); the password is write-only and never audited', async () => {
    const x = openTill();
    cleanups.push(() => x.close());
    await x.as('owner');
    const base = await x.c.call('fiscal.settings', {});
    expect(base.permit).toEqual({ provider: 'none', url: '', login: '', passwordSet: false });
    const save = (permit: Record<string, unknown>) =>
      x.c.call('fiscal.settingsSave', { settings: { ...base, permit: { provider: 'local_module', url: 'http://192.168.1.20:5995', login: 'kassa', ...permit } } });
    for (const url of ['', 'ftp://192.168.1.20', 'localhost:5995', 'http://kassa:pw@192.168.1.20:5995']) {
      expect(await failure(save({ url, password: 'x' }))).toMatchObject({ code: 'validation', details: { field: 'permitUrl', reason: 'permit_url' } });
    }
    expect((await x.c.call('fiscal.settings', {})).permit).toEqual(base.permit);

    await save({ password: PASSWORD });
    const saved = await x.c.call('fiscal.settings', {});
    expect(saved.permit).toEqual({ provider: 'local_module', url: 'http://192.168.1.20:5995', login: 'kassa', passwordSet: true });
    expect(JSON.stringify(saved)).not.toContain(PASSWORD);
    // Saving without a password keeps it; an empty one removes it.
    await save({});
    expect((await x.c.call('fiscal.settings', {})).permit!.passwordSet).toBe(true);
    expect(x.t.backend.repos.settings.get('marking.permit.password')).toBe(PASSWORD);
    await save({ password: '' });
    expect((await x.c.call('fiscal.settings', {})).permit!.passwordSet).toBe(false);
    const audited = x.t.backend.db.prepare(`SELECT details FROM audit_log WHERE action = 'settings.change' AND subject = 'fiscal'`).pluck().all() as string[];
    expect(audited).toHaveLength(3);
    expect(audited.join('\n')).not.toContain(PASSWORD);
    expect(JSON.parse(audited[0]!)).toMatchObject({ permit: { provider: 'local_module', passwordChanged: true } });
    expect(JSON.parse(audited[1]!)).toMatchObject({ permit: { passwordChanged: false } });
  });
});
