import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AtolRegistrar } from '../../src-drivers/fiscal/atol/atol-registrar.js';
import { parseEnvelope, parseFiscalResult, parseFnDocument, parseMarkingBegin, parseMarkingStatus, parseShiftTotals, parseStatus } from '../../src-drivers/fiscal/atol/results.js';
import { FiscalError } from '../../src-drivers/fiscal/registrar.js';

const RUNS = 300;

/** Returns or throws FiscalError; anything else escaping fails the property. */
function onlyFiscalErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof FiscalError)) throw e;
    expect(e.code).toBe('protocol');
  }
}

const VALID = {
  envelope: { results: [{ status: 'ready', errorCode: 0, errorDescription: 'Ошибок нет', result: {} }] },
  fiscal: { fiscalParams: { fiscalDocumentNumber: 5, fiscalDocumentSign: '1234567890', fiscalDocumentDateTime: '2026-03-01T10:00:00+03:00', shiftNumber: 2 }, warnings: { notPrinted: false } },
  status: [
    { deviceStatus: { currentDateTime: '2026-03-01T10:00:00+03:00', shift: 'opened', paperPresent: true } },
    { shiftStatus: { number: 7, state: 'opened', expiredTime: '2026-03-02T09:00:00+03:00' } },
    { fnInfo: { validityDate: '2027-03-01T00:00:00+03:00', livePhase: 'fiscalMode', warnings: { criticalError: false } } },
    { fnStatus: { fiscalDocumentNumber: 42 } },
    { status: { notSentCount: 2, notSentFirstDocDateTime: '2026-03-01T09:00:00+03:00' } },
  ],
  totals: {
    shiftTotals: {
      income: { count: 1, sum: 500 },
      outcome: { count: 0, sum: 0 },
      receipts: { sell: { count: 1, sum: 10.5, payments: { cash: 10.5 } }, sellReturn: { count: 0, sum: 0, payments: {} } },
    },
  },
  document: { documentTLV: { fiscalDocumentType: 'receipt', '1040': 5, '1054': 1, '1020': 10.5, '1077': '99', '1012': '2026-03-01T10:00:00+03:00' } },
  marking: { ready: true, driverError: { code: 0 }, onlineValidation: { markOperatorResponseResult: 'correct', markOperatorItemStatus: 'itemEstimatedStatusCorrect' } },
};

const PARSERS: [string, (v: unknown) => unknown, unknown][] = [
  ['envelope', (v) => parseEnvelope(v, 1), VALID.envelope],
  ['fiscal result', (v) => parseFiscalResult(v), VALID.fiscal],
  ['status', (v) => parseStatus(Array.isArray(v) ? v : [v], false), VALID.status],
  ['shift totals', parseShiftTotals, VALID.totals],
  ['fn document', (v) => parseFnDocument(v, 5), VALID.document],
  ['marking begin', parseMarkingBegin, { offlineValidation: { fmCheckResult: true } }],
  ['marking status', parseMarkingStatus, VALID.marking],
];

/** Replace one value somewhere inside `v` (by a path of choices) with `leaf`. */
function mutate(v: unknown, path: number[], leaf: unknown): unknown {
  if (path.length === 0 || typeof v !== 'object' || v === null) return leaf;
  const [head = 0, ...rest] = path;
  if (Array.isArray(v)) {
    if (v.length === 0) return leaf;
    const i = head % v.length;
    return v.map((x, j) => (j === i ? mutate(x, rest, leaf) : x));
  }
  const keys = Object.keys(v);
  if (keys.length === 0) return leaf;
  const k = keys[head % keys.length] as string;
  return { ...(v as Record<string, unknown>), [k]: mutate((v as Record<string, unknown>)[k], rest, leaf) };
}

const hostileLeaf = fc.oneof(
  fc.anything(),
  fc.constantFrom(-1, 1.5, 1e300, Number.NaN, -0, '', '1e5', '2026-13-45T99:99', 'ready', 'inProgress', null, [], {}, { __proto__: null }, 2 ** 53),
);

describe('ATOL result parsers against hostile JSON', () => {
  for (const [name, parse, valid] of PARSERS) {
    it(`${name}: the valid sample parses`, () => {
      expect(() => parse(valid)).not.toThrow();
    });
    it(`${name}: arbitrary values never throw anything but FiscalError`, () => {
      fc.assert(fc.property(fc.anything(), (v) => onlyFiscalErrors(() => parse(v))), { numRuns: RUNS });
    });
    it(`${name}: a valid answer with one value swapped never throws anything but FiscalError`, () => {
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 6 }), hostileLeaf, (path, leaf) => onlyFiscalErrors(() => parse(mutate(valid, path, leaf)))),
        { numRuns: RUNS },
      );
    });
  }
});

describe('ATOL driver against a hostile web server', () => {
  /** POST accepted; every GET answered with `body` and `status`. */
  const hostileFetch = (status: number, body: string): typeof fetch =>
    (async (_url: string | URL | Request, init?: RequestInit) =>
      init?.method === 'POST' ? new Response(null, { status: 201 }) : new Response(body, { status })) as typeof fetch;

  const body = fc.oneof(
    fc.string(),
    fc.json(),
    fc.anything().map((v) => JSON.stringify({ results: [v, v, v, v, v] }) ?? ''),
    fc.tuple(fc.array(fc.nat(), { maxLength: 5 }), hostileLeaf).map(([p, leaf]) =>
      JSON.stringify({ results: VALID.status.map((r) => mutate({ status: 'ready', errorCode: 0, result: r }, p, leaf)) }) ?? '',
    ),
  );

  it('every operation resolves or rejects with a FiscalError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(200, 200, 200, 404, 500), body, fc.constantFrom('status', 'receipt', 'find', 'x'), async (status, text, op) => {
        const atol = new AtolRegistrar({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 30, pollMs: 5, fetch: hostileFetch(status, text) });
        try {
          const p =
            op === 'status'
              ? atol.status()
              : op === 'find'
                ? atol.findDocument(3)
                : op === 'x'
                  ? atol.xReport()
                  : atol.receipt({
                      kind: 'sale',
                      taxSystem: 'osn',
                      cashier: { name: 'К' },
                      lines: [{ name: 'Х', qty: 1000, unit: 'pcs', price: 100, amount: 100, vat: 'none', subject: 'commodity', paymentMethod: 'full_payment' }],
                      payments: [{ type: 'cash', amount: 100 }],
                    });
          const outcome = await p.then(
            () => null,
            (e: unknown) => e,
          );
          if (outcome !== null) expect(outcome).toBeInstanceOf(FiscalError);
        } finally {
          atol.dispose();
        }
      }),
      { numRuns: 150 },
    );
  });
});
