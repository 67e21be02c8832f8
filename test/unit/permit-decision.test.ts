import { describe, expect, it } from 'vitest';
import { parseOutCheck } from '../../src-main/fiscal/permit/local-module.js';
import { decidePermit, permitRequisite, type PermitCodeAnswer } from '../../src-main/fiscal/permit/permit.js';

const NOW = Date.UTC(2026, 10, 22, 9, 0, 0);
const CODE = '0104600000000017215Lavka0000001\u001d93Ab01';

/** A unit that may be sold: found, genuine, applied, in circulation, not sold, not blocked, fresh. */
function answer(over: Partial<PermitCodeAnswer> = {}): PermitCodeAnswer {
  return {
    code: CODE,
    found: true,
    valid: true,
    verified: true,
    utilised: true,
    realizable: true,
    sold: false,
    blocked: false,
    expiresAt: NOW + 86_400_000,
    reqId: '9d3c1f8e-7c55-4d7e-9a0e-2b6f1d2f0a11',
    reqTimestamp: NOW - 500,
    ...over,
  };
}

describe('permit decision: may this unit be sold', () => {
  it('a found, genuine, circulating, unsold, unblocked, unexpired code is sellable', () => {
    expect(decidePermit(answer(), NOW)).toEqual({ sellable: true });
  });

  it.each([
    ['not_found', { found: false }],
    ['invalid', { valid: false }],
    ['invalid', { verified: false }],
    ['blocked', { blocked: true }],
    ['sold', { sold: true, realizable: false }],
    ['expired', { expiresAt: NOW - 1 }],
    ['expired', { expiresAt: NOW }],
    ['invalid', { utilised: false }],
    ['invalid', { realizable: false }],
  ] as const)('refused as %s when %o', (reason, over) => {
    expect(decidePermit(answer(over), NOW)).toEqual({ sellable: false, reason });
  });

  it('reports the first reason in order: unknown, not genuine, blocked, sold, expired', () => {
    expect(decidePermit(answer({ found: false, sold: true, blocked: true }), NOW)).toEqual({ sellable: false, reason: 'not_found' });
    expect(decidePermit(answer({ valid: false, blocked: true }), NOW)).toEqual({ sellable: false, reason: 'invalid' });
    expect(decidePermit(answer({ blocked: true, sold: true }), NOW)).toEqual({ sellable: false, reason: 'blocked' });
    expect(decidePermit(answer({ sold: true, expiresAt: NOW - 1 }), NOW)).toEqual({ sellable: false, reason: 'sold' });
    expect(decidePermit(answer({ expiresAt: NOW - 1, realizable: false }), NOW)).toEqual({ sellable: false, reason: 'expired' });
  });

  it('what the answer does not say is not held against the code', () => {
    const silent = answer({ valid: null, verified: null, utilised: null, realizable: null, sold: null, blocked: null, expiresAt: null });
    expect(decidePermit(silent, NOW)).toEqual({ sellable: true });
  });

  it('tag 1260 carries ФОИВ 030, the decree of 21.11.2023 No 1944 and UUID=reqId&Time=reqTimestamp', () => {
    expect(permitRequisite({ reqId: 'abc-1', reqTimestamp: 1_700_000_000_123 })).toEqual({
      foiv: '030',
      date: '21.11.2023',
      number: '1944',
      value: 'UUID=abc-1&Time=1700000000123',
    });
  });
});

describe('local module outCheck answer', () => {
  const body = (over: Record<string, unknown> = {}, code: Record<string, unknown> = {}) => ({
    code: 0,
    description: 'ok',
    reqId: 'r-1',
    reqTimestamp: 1_700_000_000_000,
    codes: [{ cis: CODE, found: true, valid: true, sold: false, isBlocked: true, expireDate: '2026-12-01T00:00:00.000Z', ...code }],
    ...over,
  });

  it('reads the code facts with the request id and time', () => {
    expect(parseOutCheck(body(), CODE)).toEqual({
      code: CODE,
      found: true,
      valid: true,
      verified: null,
      utilised: null,
      realizable: null,
      sold: false,
      blocked: true,
      expiresAt: Date.UTC(2026, 11, 1),
      reqId: 'r-1',
      reqTimestamp: 1_700_000_000_000,
    });
    expect(parseOutCheck(body({ reqTimestamp: '1700000000001' }), CODE)).toMatchObject({ reqTimestamp: 1_700_000_000_001 });
  });

  it('an answer that cannot prove the check or say whether the code was found is no answer', () => {
    expect(parseOutCheck(body({ code: 5, description: 'КИ не найден в БД' }), CODE)).toMatchObject({ ok: false, reason: 'module_error', message: expect.stringContaining('КИ не найден') });
    expect(parseOutCheck(body({ reqId: undefined }), CODE)).toMatchObject({ ok: false, reason: 'bad_answer' });
    expect(parseOutCheck(body({ reqTimestamp: 'yesterday' }), CODE)).toMatchObject({ ok: false, reason: 'bad_answer' });
    expect(parseOutCheck(body({ codes: [] }), CODE)).toMatchObject({ ok: false, reason: 'bad_answer' });
    expect(parseOutCheck(body({}, { found: 'yes' }), CODE)).toMatchObject({ ok: false, reason: 'bad_answer' });
    expect(parseOutCheck('ok', CODE)).toMatchObject({ ok: false, reason: 'bad_answer' });
  });
});
