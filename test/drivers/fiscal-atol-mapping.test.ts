import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { atolError, ATOL_ERRORS } from '../../src-drivers/fiscal/atol/errors.js';
import { parseFnDocument, parseShiftTotals, parseStatus } from '../../src-drivers/fiscal/atol/results.js';
import { ATOL_TAX, beginMarkingTask, cashTask, receiptTask } from '../../src-drivers/fiscal/atol/tasks.js';
import { formatAtolDate, formatAtolDateTime, parseAtolDateTime, roublesToMinor, toRoubles, toUnits, unitsToThousandths } from '../../src-drivers/fiscal/atol/units.js';
import { FiscalError, type FiscalReceipt } from '../../src-drivers/fiscal/registrar.js';

const GS = String.fromCharCode(0x1d);
const CODE = `0104601234567890` + `21ABCDEFGHIJKLM` + GS + '91EE10' + GS + '92' + 'A'.repeat(44);

/** The decimal the kopecks stand for, by string manipulation only: 8990 → "89.9", -5 → "-0.05". */
function decimal(n: number, places: number): string {
  const digits = Math.abs(n).toString().padStart(places + 1, '0');
  const frac = digits.slice(-places).replace(/0+$/, '');
  return (n < 0 ? '-' : '') + digits.slice(0, -places) + (frac ? `.${frac}` : '');
}

describe('ATOL units', () => {
  it('puts kopecks on the wire as the exact decimal, and reads them back', () => {
    expect(JSON.stringify(toRoubles(8990))).toBe('89.9');
    expect(JSON.stringify(toRoubles(1))).toBe('0.01');
    expect(JSON.stringify(toUnits(1234))).toBe('1.234');
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (n) => {
        expect(JSON.stringify(toRoubles(n))).toBe(decimal(n, 2));
        expect(roublesToMinor(JSON.parse(JSON.stringify(toRoubles(n))))).toBe(n);
        expect(JSON.stringify(toUnits(n))).toBe(decimal(n, 3));
        expect(unitsToThousandths(toUnits(n))).toBe(n);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses amounts it would have to round', () => {
    for (const v of [1.005, 0.001, 1e21, Number.NaN, Infinity, '1.00', null, 1e-7]) expect(roublesToMinor(v)).toBeNull();
    expect(unitsToThousandths(1.2345)).toBeNull();
  });

  it('reads and writes ATOL date-times with their offset', () => {
    const t = Date.UTC(2026, 2, 1, 7, 15, 0);
    expect(formatAtolDateTime(t)).toBe('2026-03-01T10:15:00+03:00');
    expect(parseAtolDateTime('2026-03-01T10:15:00+03:00')).toBe(t);
    expect(parseAtolDateTime('2026-03-01T10:15:00')).toBe(t);
    expect(parseAtolDateTime('2026-03-01 07:15:00Z')).toBe(t);
    expect(parseAtolDateTime('yesterday')).toBeNull();
  });
});

describe('FiscalReceipt → ATOL sell task', () => {
  const receipt: FiscalReceipt = {
    kind: 'sale',
    taxSystem: 'usn_income',
    cashier: { name: 'Иванова А.', inn: '500100732259' },
    customerContact: '+79990000000',
    lines: [
      { name: 'Яблоки', qty: 1234, unit: 'kg', price: 8990, amount: 11094, vat: 'vat22', subject: 'commodity', paymentMethod: 'full_payment' },
      { name: 'Молоко', qty: 1000, unit: 'pcs', price: 8990, amount: 8990, vat: 'vat10_110', subject: 'marked_commodity', paymentMethod: 'full_payment', markingCode: CODE },
    ],
    payments: [
      { type: 'card', amount: 10000 },
      { type: 'cash', amount: 15000 },
    ],
  };

  it('maps every field to ATOL names and roubles', () => {
    expect(receiptTask(receipt)).toEqual({
      type: 'sell',
      taxationType: 'usnIncome',
      operator: { name: 'Иванова А.', vatin: '500100732259' },
      clientInfo: { emailOrPhone: '+79990000000' },
      items: [
        {
          type: 'position',
          name: 'Яблоки',
          price: 89.9,
          quantity: 1.234,
          amount: 110.94,
          measurementUnit: 'kilogram',
          paymentMethod: 'fullPayment',
          paymentObject: 'commodity',
          tax: { type: 'vat22' },
        },
        {
          type: 'position',
          name: 'Молоко',
          price: 89.9,
          quantity: 1,
          amount: 89.9,
          measurementUnit: 'piece',
          paymentMethod: 'fullPayment',
          paymentObject: 'commodityWithMarking',
          tax: { type: 'vat110' },
          imcParams: { imcType: 'auto', imc: Buffer.from(CODE).toString('base64'), itemEstimatedStatus: 'itemPieceSold', imcModeProcessing: 0 },
        },
      ],
      payments: [
        { type: 'electronically', sum: 100 },
        { type: 'cash', sum: 150 },
      ],
    });
    expect(receiptTask({ ...receipt, kind: 'return', customerContact: undefined }).type).toBe('sellReturn');
  });

  it('names every VAT rate, 2026 rates included', () => {
    expect(ATOL_TAX).toEqual({
      vat22: 'vat22',
      vat20: 'vat20',
      vat10: 'vat10',
      vat7: 'vat7',
      vat5: 'vat5',
      vat0: 'vat0',
      none: 'none',
      vat22_122: 'vat122',
      vat20_120: 'vat120',
      vat10_110: 'vat110',
      vat7_107: 'vat107',
      vat5_105: 'vat105',
    });
  });

  it('a correction receipt: sellCorrection / sellReturnCorrection with correctionType and the corrected day', () => {
    // 01:30 Moscow on 1 March, still 28 February in UTC: the day is the registrar's (Moscow).
    const baseDate = Date.UTC(2026, 1, 28, 22, 30);
    expect(formatAtolDate(baseDate)).toBe('2026.03.01');
    const self = receiptTask({ ...receipt, correction: { type: 'self', baseDate, baseNumber: '' } });
    expect(self).toMatchObject({ type: 'sellCorrection', correctionType: 'self', correctionBaseDate: '2026.03.01', taxationType: 'usnIncome' });
    expect(self).not.toHaveProperty('correctionBaseNumber');
    expect(self.items).toEqual(receiptTask(receipt).items);
    expect(self.payments).toEqual(receiptTask(receipt).payments);
    const ordered = receiptTask({ ...receipt, kind: 'return', correction: { type: 'instruction', baseDate, baseNumber: '12-34/567' } });
    expect(ordered).toMatchObject({ type: 'sellReturnCorrection', correctionType: 'instruction', correctionBaseDate: '2026.03.01', correctionBaseNumber: '12-34/567' });
  });

  it('an item with an industry requisite carries industryInfo, its date as YYYY.MM.DD', () => {
    const industry = { foiv: '030', date: '21.11.2023', number: '1944', value: 'UUID=x&Time=1' };
    const [first] = receipt.lines;
    const task = receiptTask({ ...receipt, lines: [{ ...first!, industry }] });
    expect((task.items as { industryInfo?: unknown }[])[0]?.industryInfo).toEqual([{ fois: '030', date: '2023.11.21', number: '1944', industryAttribute: 'UUID=x&Time=1' }]);
    expect(receiptTask(receipt).items).not.toContainEqual(expect.objectContaining({ industryInfo: expect.anything() }));
  });

  it('builds cash and marking tasks', () => {
    expect(cashTask('cashIn', 50000)).toEqual({ type: 'cashIn', cashSum: 500 });
    const t = beginMarkingTask(CODE, { qty: 500, unit: 'kg' });
    expect(t.params).toMatchObject({ itemEstimatedStatus: 'itemDryForSale', itemQuantity: 0.5, itemUnits: 'kilogram', imcType: 'auto' });
  });
});

describe('ATOL error table', () => {
  it('maps the registrar conditions the till must tell apart', () => {
    const cases: [number, string, boolean][] = [
      [2, 'offline', false],
      [3, 'offline', false],
      [68, 'shift_expired', true],
      [73, 'shift_not_open', false],
      [83, 'shift_already_open', false],
      [82, 'document_open', false],
      [44, 'paper_out', false],
      [120, 'fn_expired', true],
      [121, 'fn_full', true],
      [137, 'fn_resource', true],
      [140, 'ofd_overdue', true],
      [409, 'marking_invalid', false],
      [241, 'timeout', false],
      [55, 'busy', false],
    ];
    for (const [device, code, blocking] of cases) {
      const e = atolError(device, null);
      expect(e).toBeInstanceOf(FiscalError);
      expect([e.code, e.blocking, e.deviceCode]).toEqual([code, blocking, device]);
      expect(e.message).toContain(ATOL_ERRORS[device]?.name ?? '');
    }
    expect(atolError(9999, 'что-то новое')).toMatchObject({ code: 'other', blocking: false, deviceCode: 9999 });
  });
});

describe('ATOL results → interface shapes', () => {
  it('reads status parts and totals', () => {
    const status = parseStatus(
      [
        { deviceStatus: { currentDateTime: '2026-03-01T10:00:00+03:00', shift: 'opened', paperPresent: true } },
        { shiftStatus: { number: 7, state: 'opened', expiredTime: '2026-03-02T09:00:00+03:00' } },
        { fnInfo: { validityDate: '2027-03-01T00:00:00+03:00', livePhase: 'fiscalMode', warnings: { criticalError: false } } },
        { fnStatus: { fiscalDocumentNumber: 42 } },
        { status: { notSentCount: 2, notSentFirstDocDateTime: '2026-03-01T09:00:00+03:00' } },
      ],
      false,
    );
    expect(status).toEqual({
      mode: 'shift_open',
      openDocument: null,
      submode: 'ok',
      shiftNumber: 7,
      shiftOpenedAt: Date.parse('2026-03-01T09:00:00+03:00'),
      fn: {
        lastDocumentNumber: 42,
        expiresAt: Date.parse('2027-03-01T00:00:00+03:00'),
        unsent: { count: 2, oldestAt: Date.parse('2026-03-01T09:00:00+03:00') },
        blocked: false,
      },
    });
    const cs = (count: number, sum: number, cash: number, card: number) => ({ count, sum, payments: { cash, electronically: card } });
    expect(
      parseShiftTotals({ shiftTotals: { income: { count: 1, sum: 500 }, outcome: { count: 1, sum: 200 }, receipts: { sell: cs(2, 300.5, 100.5, 200), sellReturn: cs(1, 50, 50, 0) } } }),
    ).toEqual({ sales: { count: 2, total: 30050 }, returns: { count: 1, total: 5000 }, cash: 5050, card: 20000, cashIn: 50000, cashOut: 20000 });
  });

  it('reads an archived correction receipt as kind correction with its total; receipts as before', () => {
    const head = { '1040': 9, '1012': '2026-03-01T10:00:00+03:00', '1077': '1234567890' };
    const correction = { documentTLV: { fiscalDocumentType: 'receiptCorrection', ...head, '1054': 2, '1020': 55, '1173': 1, '1174': { '1178': '2026.03.01', '1179': '12' } } };
    expect(parseFnDocument(correction, 9)).toEqual({ number: 9, kind: 'correction', total: 5500, fiscalSign: '1234567890', at: Date.parse('2026-03-01T10:00:00+03:00') });
    expect(parseFnDocument({ documentTLV: { fiscalDocumentType: 'receipt', ...head, '1054': 1, '1020': 55 } }, 9)).toMatchObject({ kind: 'sale', total: 5500 });
    expect(() => parseFnDocument({ documentTLV: { fiscalDocumentType: 'receiptCorrection', ...head } }, 9)).toThrow(FiscalError);
  });
});
