import { afterEach, describe, expect, it } from 'vitest';
import { LocalModuleEmulator, type LocalModuleCodeState } from '../../src-drivers/emulators/marking-local-module.js';
import { LocalModulePermitCheck } from '../../src-main/fiscal/permit/local-module.js';
import { decidePermit, type PermitAnswer } from '../../src-main/fiscal/permit/permit.js';

const LOGIN = 'kassa';
const PASSWORD = 's3cret-Пароль';
const NOW = Date.UTC(2026, 10, 22, 9, 0, 0);
const code = (n: number) => `0104600000000017215Lavka${String(n).padStart(7, '0')}\u001d93Ab${String(n % 100).padStart(2, '0')}`;

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

async function module(): Promise<LocalModuleEmulator> {
  const emu = await LocalModuleEmulator.start({ login: LOGIN, password: PASSWORD, now: () => NOW });
  stops.push(() => emu.stop());
  return emu;
}

const client = (emu: LocalModuleEmulator, o: { password?: string; timeoutMs?: number } = {}) =>
  new LocalModulePermitCheck({ url: emu.url, login: LOGIN, password: o.password ?? PASSWORD, timeoutMs: o.timeoutMs ?? 2_000 });

function unavailable(a: PermitAnswer): { reason: string; message: string } {
  if (a.ok) throw new Error(`expected no answer, got ${JSON.stringify(a)}`);
  return a;
}

describe('the ЛМ ЧЗ client against the emulated local module, over HTTP', () => {
  it.each([
    ['ok', { found: true, valid: true, sold: false, blocked: false }, null],
    ['sold', { found: true, sold: true, realizable: false }, 'sold'],
    ['blocked', { found: true, blocked: true }, 'blocked'],
    ['expired', { found: true, expiresAt: NOW - 86_400_000 }, 'expired'],
    ['unknown', { found: false }, 'not_found'],
    ['invalid', { found: true, valid: false, verified: false }, 'invalid'],
  ] as const)('a code the module knows as %s: its answer, with the request id and time', async (state, facts, refusal) => {
    const emu = await module();
    const c = code(7);
    emu.setCode(c, state as LocalModuleCodeState);
    const a = await client(emu).check([c]);
    if (!a.ok) throw new Error(a.message);
    expect(a.codes).toHaveLength(1);
    const answer = a.codes[0]!;
    expect(answer).toMatchObject({ code: c, ...facts });
    // The reqId and reqTimestamp are the module's, exactly: they go to the fiscal line as tag 1265.
    expect(emu.issued).toEqual([{ code: c, state, reqId: answer.reqId, reqTimestamp: answer.reqTimestamp }]);
    expect(answer.reqTimestamp).toBe(NOW);
    expect(decidePermit(answer, NOW)).toEqual(refusal === null ? { sellable: true } : { sellable: false, reason: refusal });
  });

  it('asks the status first, with Basic auth, and sends the code whole (GS included); several codes each get their own answer', async () => {
    const emu = await module();
    emu.setCode(code(2), 'sold');
    const a = await client(emu).check([code(1), code(2)]);
    if (!a.ok) throw new Error(a.message);
    expect(a.codes.map((x) => [x.code, x.sold])).toEqual([
      [code(1), false],
      [code(2), true],
    ]);
    expect(new Set(a.codes.map((x) => x.reqId)).size).toBe(2);
    expect(emu.requests).toEqual([
      { method: 'GET', path: '/api/v1/status', authorized: true },
      { method: 'GET', path: '/api/v1/cis/outCheck', authorized: true },
      { method: 'GET', path: '/api/v1/cis/outCheck', authorized: true },
    ]);
    expect(emu.issued.map((i) => i.code)).toEqual([code(1), code(2)]);
  });

  it('a module that is down is unavailable, and answers again once it is back', async () => {
    const emu = await module();
    await emu.down();
    expect(unavailable(await client(emu).check([code(1)]))).toMatchObject({ reason: 'unreachable', message: expect.stringContaining(emu.url) });
    await emu.up();
    expect((await client(emu).check([code(1)])).ok).toBe(true);
  });

  it('a slow module is given up after the timeout: unavailable, not a hang', async () => {
    const emu = await module();
    emu.faults.delayMs = 2_000;
    const started = Date.now();
    expect(unavailable(await client(emu, { timeoutMs: 200 }).check([code(1)]))).toMatchObject({ reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it.each(['initialization', 'sync_error', 'not_configured'] as const)('a module whose status is %s is not asked about codes', async (status) => {
    const emu = await module();
    emu.status = status;
    expect(unavailable(await client(emu).check([code(1)]))).toMatchObject({ reason: 'not_ready', message: expect.stringContaining(status) });
    expect(emu.issued).toEqual([]);
  });

  it('a wrong login or password (401) is unavailable with a reason that says so, and never shows the password', async () => {
    const emu = await module();
    const a = unavailable(await client(emu, { password: 'wrong-Пароль' }).check([code(1)]));
    expect(a).toMatchObject({ reason: 'unauthorized', message: expect.stringMatching(/login and password.*401/) });
    expect(a.message).not.toContain('wrong-Пароль');
    expect(emu.requests).toEqual([{ method: 'GET', path: '/api/v1/status', authorized: false }]);
  });

  it.each([500, 503, 404])('HTTP %i from the module is unavailable', async (status) => {
    const emu = await module();
    emu.faults.httpStatus = status;
    expect(unavailable(await client(emu).check([code(1)]))).toMatchObject({ reason: 'http_error', message: expect.stringContaining(String(status)) });
  });

  it('an address with credentials in it is refused before anything is sent', () => {
    expect(() => new LocalModulePermitCheck({ url: 'http://kassa:pw@127.0.0.1:5995', login: '', password: '' })).toThrow(/credentials/);
  });
});
