import { describe, expect, it } from 'vitest';
import {
  CMD,
  CORRECTION_CHECK,
  FN_DOC,
  closeV2Request,
  correctionTlv,
  decodeCloseV2,
  decodeFnStatus,
  decodeFoundDocument,
  industryTlv,
  openCheckRequest,
  operationV2Request,
  pw,
} from '../../src-drivers/fiscal/shtrih/commands.js';
import { SHTRIH_ERRORS, errorInfo, resolveByMode } from '../../src-drivers/fiscal/shtrih/errors.js';
import { createShtrihParser, encodeAnswer, encodeCommand, lrc, parseAnswer, type LinkEvent } from '../../src-drivers/fiscal/shtrih/frame.js';
import { DEFAULT_TAX_ROWS, rowForTaxByte, taxByte, taxByteForRow } from '../../src-drivers/fiscal/shtrih/vat.js';
import { TAG_1199 } from '../../src-drivers/fiscal/tags.js';
import type { FiscalVat } from '../../src-drivers/fiscal/registrar.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.split(/\s+/).filter(Boolean).map((b) => parseInt(b, 16)));

describe('Shtrih-M frames', () => {
  it('encodes the examples in DEVICES.md §5 byte for byte', () => {
    expect(encodeCommand(CMD.SHORT_STATUS, pw(30))).toEqual(hex('02 05 10 1E 00 00 00 0B'));
    expect(encodeCommand(CMD.FN_STATUS, pw(30))).toEqual(hex('02 06 FF 01 1E 00 00 00 E6'));
    expect(encodeCommand(CMD.OPEN_SHIFT, pw(30))).toEqual(hex('02 05 E0 1E 00 00 00 FB'));
  });

  it('reads a captured cancel answer and a captured FN status answer (re-star-ru docs/out.txt)', () => {
    const events = createShtrihParser().push(hex('06 02 03 88 00 1E 95'));
    expect(events[0]).toEqual({ kind: 'ack' });
    const frame = events[1] as Extract<LinkEvent, { kind: 'frame' }>;
    expect(parseAnswer(frame.body)).toEqual({ cmd: 0x88, error: 0, data: Uint8Array.of(0x1e) });

    const fnAnswer = hex('02 21 FF 01 00 03 00 00 01 00 15 07 1D 0B 1D 39 32 38 37 34 34 30 33 30 31 31 32 30 39 39 31 A9 01 00 00 68');
    const [ev] = createShtrihParser().push(fnAnswer);
    expect(ev?.kind).toBe('frame');
    const answer = parseAnswer((ev as Extract<LinkEvent, { kind: 'frame' }>).body);
    expect(answer).toMatchObject({ cmd: CMD.FN_STATUS, error: 0 });
    const fn = decodeFnStatus(answer?.data ?? new Uint8Array(0), 180);
    expect(fn).toMatchObject({ lifeState: 3, shiftOpen: true, fnNumber: '9287440301120991', lastDocumentNumber: 425 });
    expect(new Date(fn?.at ?? 0).toISOString()).toBe('2021-07-29T08:29:00.000Z'); // 11:29 Moscow
  });

  it('FF46 and FF45 frames have the lengths the public drivers send (160 and 182 bytes with the code)', () => {
    const op = operationV2Request(1, { type: 1, qtyMillionths: 1_234_000, price: 45_000, amount: 55_530, taxByte: 2, department: 1, paymentMethod: 4, subject: 1, name: 'Ж'.repeat(128) });
    expect(2 + op.length).toBe(160);
    expect(op.slice(4, 11)).toEqual([1, 0x50, 0xd4, 0x12, 0, 0, 0]); // type, 1.234000 as 6 bytes LE
    expect(2 + closeV2Request(30, { payments: [100], taxSystemBit: 1 }).length).toBe(182);
  });

  it('decodes the close answer and a found receipt', () => {
    const close = decodeCloseV2(Uint8Array.from([0x10, 0x27, 0, 0, 0, 7, 0, 0, 0, 0x78, 0x56, 0x34, 0x12, 26, 3, 1, 12, 30]), 180);
    expect(close).toMatchObject({ change: 10_000, documentNumber: 7, fiscalSign: 0x12345678 });
    const found = decodeFoundDocument(Uint8Array.from([3, 0, 26, 3, 1, 12, 30, 7, 0, 0, 0, 0x78, 0x56, 0x34, 0x12, 2, 0x10, 0x27, 0, 0, 0]), 180);
    expect(found).toMatchObject({ type: 3, number: 7, fiscalSign: 0x12345678, operation: 2, total: 10_000 });
  });

  it('a correction: 8D with 0x80 | check type, then 1173 and the 1174 STLV (1178 UnixTime of the day, 1179)', () => {
    expect(encodeCommand(CMD.OPEN_CHECK, openCheckRequest(1, CORRECTION_CHECK | 2))).toEqual(hex('02 06 8D 01 00 00 00 82 08'));
    // 1 March 2026 00:00 UTC = 1772323200 = 0x69A38180.
    expect(correctionTlv({ type: 1, day: { year: 2026, month: 3, day: 1 }, baseNumber: '12' })).toEqual([
      ...hex('95 04 01 00 01'),
      ...hex('96 04 0E 00'),
      ...hex('9A 04 04 00 80 81 A3 69'),
      ...hex('9B 04 02 00 31 32'),
    ]);
    // A self-initiated correction has no instruction number: 1179 is left out.
    expect(correctionTlv({ type: 0, day: { year: 2026, month: 3, day: 1 }, baseNumber: '' })).toEqual([...hex('95 04 01 00 00 96 04 08 00 9A 04 04 00 80 81 A3 69')]);
  });

  it('tag 1260 is one STLV of 1262-1265, strings as they are (ASCII)', () => {
    const bytes = industryTlv({ foiv: '030', date: '21.11.2023', number: '1944', value: 'A=1' });
    const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
    expect(bytes).toEqual([
      ...hex('EC 04 24 00'),
      ...hex('EE 04 03 00'),
      ...ascii('030'),
      ...hex('EF 04 0A 00'),
      ...ascii('21.11.2023'),
      ...hex('F0 04 04 00'),
      ...ascii('1944'),
      ...hex('F1 04 03 00'),
      ...ascii('A=1'),
    ]);
  });

  it('FF0A: a correction receipt (type 31) carries its 1054 and total like a receipt', () => {
    const found = decodeFoundDocument(Uint8Array.from([31, 1, 26, 3, 1, 12, 30, 9, 0, 0, 0, 0x78, 0x56, 0x34, 0x12, 2, 0x7c, 0x15, 0, 0, 0]), 180);
    expect(found).toMatchObject({ type: FN_DOC.CORRECTION, number: 9, operation: 2, total: 5_500, shiftNumber: null });
  });

  it('the assembler: split chunks, noise and a bad LRC', () => {
    const good = encodeAnswer(CMD.SHORT_STATUS, 0, [1, 2, 3]);
    const bad = good.slice();
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 1;
    const stream = Uint8Array.from([0x00, 0xff, ...bad, 0x33, 0x06, ...good, 0x15]);
    const p = createShtrihParser();
    const events = [...stream].flatMap((b) => p.push(Uint8Array.of(b)));
    expect(events.map((e) => e.kind)).toEqual(['corrupt', 'ack', 'frame', 'nak']);
    expect(lrc(good, 1, good.length - 1)).toBe(good[good.length - 1]);
  });
});

describe('VAT: FiscalVat → table 6 row → FF46 tax byte, and tag 1199', () => {
  it('maps every rate, the 2026 ones included', () => {
    const expected: Record<FiscalVat, [number, number, number]> = {
      vat20: [1, 0x01, 1],
      vat10: [2, 0x02, 2],
      vat0: [3, 0x04, 5],
      none: [4, 0x08, 6],
      vat20_120: [5, 0x10, 3],
      vat10_110: [6, 0x20, 4],
      vat5: [7, 0x81, 7],
      vat7: [8, 0x82, 8],
      vat5_105: [9, 0x84, 9],
      vat7_107: [10, 0x88, 10],
      vat22: [11, 0xcb, 11],
      vat22_122: [12, 0xcc, 12],
    };
    for (const [vat, [row, byte, tag]] of Object.entries(expected) as [FiscalVat, [number, number, number]][]) {
      expect(DEFAULT_TAX_ROWS[vat], vat).toBe(row);
      expect(taxByte(vat), vat).toBe(byte);
      expect(TAG_1199[vat], vat).toBe(tag);
      expect(rowForTaxByte(byte)).toBe(row);
    }
    expect(taxByte('vat22', { family: 'nano' })).toBe(0x90);
    expect(taxByte('vat22_122', { family: 'nano' })).toBe(0xa0);
    expect(taxByte('vat22', { taxRows: { vat22: 1 } })).toBe(0x01);
    expect(() => taxByteForRow(0)).toThrow(RangeError);
  });
});

describe('error table', () => {
  it.each([
    [0x3d, 'shift_not_open', false],
    [0x16, 'shift_expired', true],
    [0x4a, 'document_open', false],
    [0x4e, 'shift_expired', true],
    [0x4f, 'password', false],
    [0x50, 'busy', false],
    [0x58, 'waiting_continue', false],
    [0x6b, 'paper_out', false],
    [0x37, 'unsupported', false],
    [0x05, 'fn_expired', true],
    [0x06, 'fn_full', true],
    [0x14, 'fn_resource', true],
    [0x15, 'ofd_overdue', true],
  ] as const)('0x%s → %s (blocking %s)', (device, code, blocking) => {
    expect(SHTRIH_ERRORS[device]).toMatchObject({ code, blocking });
    expect(errorInfo(device).message.length).toBeGreaterThan(0);
  });

  it('0x73 ("not in this mode") is decided by the mode', () => {
    const info = errorInfo(0x73);
    expect(info.byMode).toBe(true);
    expect(resolveByMode(info, 'shift_closed', false).code).toBe('shift_not_open');
    expect(resolveByMode(info, 'shift_open', true).code).toBe('shift_already_open');
    expect(resolveByMode(info, 'shift_expired', false)).toMatchObject({ code: 'shift_expired', blocking: true });
    expect(resolveByMode(info, 'document_open', false).code).toBe('document_open');
    expect(errorInfo(0xee)).toMatchObject({ code: 'other', message: 'registrar error 0xee' });
  });
});
