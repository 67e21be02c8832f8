import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hidPosReports } from '../../src-drivers/emulators/scanner/hid.js';
import { SerialScannerEmulator } from '../../src-drivers/emulators/scanner/serial.js';
import { HidPosAssembler } from '../../src-drivers/scanner/hid-pos.js';
import type { AssemblerOutput } from '../../src-drivers/scanner/scanner.js';
import { SerialFrameAssembler, type Suffix } from '../../src-drivers/scanner/serial-frames.js';

const RUNS = 250;
const GS = '\u001d';
const suffixes: Suffix[] = ['CR', 'LF', 'CRLF', [0x03]];
/** What scanners send: printable ASCII, GS, Cyrillic (UTF-8 QR text). */
const codeArb = fc
  .array(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)) }, { weight: 1, arbitrary: fc.constantFrom(GS, 'Ж', 'ё', ' ') }), {
    minLength: 1,
    maxLength: 160,
  })
  .map((a) => a.join(''))
  .filter((s) => !/^\][A-Za-z][0-9A-Za-z]/.test(s) && s.trim().length > 0 && !s.startsWith(' '));
const aimArb = fc.option(fc.constantFrom(']E0', ']C1', ']d2', ']Q1', ']Q3', ']A0'), { nil: undefined });
const sizes = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 });

function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = cuts[k % cuts.length] ?? 1;
    out.push(bytes.subarray(i, i + n));
    i += n;
  }
  return out;
}

const drive = (a: { push(c: Uint8Array, now: number): AssemblerOutput[] }, chunks: Uint8Array[]) => chunks.flatMap((c) => a.push(c, 0));

describe('serial frame assembler under fuzzing', () => {
  it('never throws on junk, and chunking never changes what comes out', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), sizes, fc.constantFrom(...suffixes), fc.integer({ min: 1, max: 300 }), (bytes, cuts, suffix, maxLength) => {
        const whole = drive(new SerialFrameAssembler({ suffix, maxLength }), [bytes]);
        const pieces = drive(new SerialFrameAssembler({ suffix, maxLength }), chunk(bytes, cuts));
        expect(pieces).toEqual(whole);
      }),
      { numRuns: RUNS },
    );
  });

  it('gets every scan back, exactly, whatever the chunking and the junk before it', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(codeArb, aimArb), { minLength: 1, maxLength: 6 }), sizes, fc.constantFrom(...suffixes), (list, cuts, suffix) => {
        const emu = new SerialScannerEmulator({ suffix });
        const stream = Uint8Array.from(list.flatMap(([code, aim]) => [...emu.frame(code, aim)]));
        const out = drive(new SerialFrameAssembler({ suffix }), chunk(stream, cuts));
        expect(out.filter((o) => o.kind === 'error')).toEqual([]);
        expect(out.map((o) => (o.kind === 'scan' ? [o.scan.code, o.scan.aim] : null))).toEqual(list);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('HID POS assembler under fuzzing', () => {
  const junkReport = fc.oneof(
    fc.uint8Array({ maxLength: 70 }),
    fc.uint8Array({ minLength: 64, maxLength: 64 }).map((r) => {
      r[0] = 0x02;
      return r;
    }),
  );

  it('never throws on junk reports, mixed with real ones', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(junkReport.map((r) => [r]), fc.tuple(codeArb, aimArb).map(([c, aim]) => hidPosReports(c, aim ? { aim } : {}))), { maxLength: 20 }), (groups) => {
        const a = new HidPosAssembler({ maxLength: 200 });
        const out = groups.flat().flatMap((r, i) => a.push(r, i));
        for (const o of out) expect(['scan', 'error']).toContain(o.kind);
      }),
      { numRuns: RUNS },
    );
  });

  it('gets every scan back exactly, however many reports it takes, with or without the report ID', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(codeArb, aimArb), { minLength: 1, maxLength: 5 }), fc.boolean(), fc.integer({ min: 1, max: 56 }), (list, withId, capacity) => {
        const a = new HidPosAssembler({ layout: { dataCapacity: capacity, reportIdIncluded: withId } });
        const reports = list.flatMap(([code, aim]) => hidPosReports(code, { includeReportId: withId, layout: { dataCapacity: capacity }, ...(aim ? { aim } : {}) }));
        const out = reports.flatMap((r) => a.push(r, 0));
        expect(out.map((o) => (o.kind === 'scan' ? [o.scan.code, o.scan.aim] : o.error))).toEqual(list.map(([c, aim]) => [c.replace(/[\r\n]+$/, ''), aim]));
      }),
      { numRuns: RUNS },
    );
  });
});
