import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutPriceTag, presetStock } from '../../src-common/price-tag.js';
import { DeviceConnection } from '../../src-drivers/common/connection.js';
import { LoopbackTransport } from '../../src-drivers/emulators/loopback.js';
import { LABEL_EMULATOR_FAULTS, type LabelPrinterEmulator } from '../../src-drivers/emulators/label/model.js';
import { TsplPrinterEmulator } from '../../src-drivers/emulators/label/tspl.js';
import { ZplPrinterEmulator } from '../../src-drivers/emulators/label/zpl.js';
import { encodeLabels, LabelPrinterDriver } from '../../src-drivers/label/label-printer.js';
import { LABEL_PROFILES } from '../../src-drivers/label/profiles.js';
import { encodeZplHostStatus, TsplStatusParser, ZplStatusParser, type ZplHostStatus } from '../../src-drivers/label/status.js';
import { cleanupAfterEach, MILK, milkTag } from './label-fixtures.js';

const RUNS = 250;

const cleanups = cleanupAfterEach();

/** The name carries the characters either language treats as its own syntax. */
const tag = milkTag({ name: `${MILK.name} ^~"\\` });
const job = (id: keyof typeof LABEL_PROFILES, preset: '58x40' | '43x25' = '58x40'): Uint8Array => {
  const p = LABEL_PROFILES[id];
  return encodeLabels([layoutPriceTag(tag, presetStock(preset, p.dpi)), layoutPriceTag({ ...tag, barcode: { symbology: 'code128', data: 'A^B>C~D' }, copies: 2 }, presetStock(preset, p.dpi))], p);
};
const enc = (s: string): number[] => [...new TextEncoder().encode(s)];

const ZPL_JOBS = [job('zebra-gk420'), job('zpl-cp1251', '43x25'), job('zebra-zd421-300')];
const TSPL_JOBS = [
  job('tsc-te200'),
  job('xprinter-xp365b-utf8', '43x25'),
  Uint8Array.from([...enc('CLS\r\nBITMAP 0,0,2,3,0,'), 0x0a, 0x1b, 0x22, 0x2c, 0x0d, 0x50, ...enc('\r\nTEXT 0,0,"1",0,1,1,"A"\r\nPRINT 1,2\r\n')]),
];

/** Bytes that are mostly the language's own tokens, so the fuzzer gets into the grammar. */
const tokens = (list: string[]) => fc.constantFrom(...list.map(enc));
const zplToken = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 255 }).map((b) => [b]) },
  { weight: 3, arbitrary: tokens(['^', '~', '^XA', '^XZ', '^FO10,20', '^A0N,30,30', '^FH', '^FH\\', '^FD', '^FS', '^BEN,50,Y,N', '^BCN,50', '^BY2', '^PQ2', '^CI28', '^CI33', '~HS', '~JA', '~PP', '~PS', '_', '_5E', '>:', '>;', '12', ',', 'Я', '\r\n']) },
);
const tsplToken = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 255 }).map((b) => [b]) },
  { weight: 3, arbitrary: tokens(['TEXT ', 'BARCODE ', 'PRINT ', 'BITMAP ', 'CLS', 'SIZE ', 'CODEPAGE 1251', 'CODEPAGE UTF-8', '"', ',', '\r\n', '\n', '\x1b!?', '\x1b!P', '\x1b!O', '\x1b!R', '\x1b', '!', '\\["]', '1', '9', '"EAN13"', '"128"', '"3"', 'mm', 'Я']) },
);
const streamOf = (token: fc.Arbitrary<number[]>) => fc.array(token, { maxLength: 200 }).map((a) => Uint8Array.from(a.flat()));

/** A valid job with a few bytes replaced, inserted or deleted. */
const mutated = (jobs: Uint8Array[]) =>
  fc
    .record({
      which: fc.integer({ min: 0, max: jobs.length - 1 }),
      edits: fc.array(fc.record({ pos: fc.nat(), kind: fc.constantFrom('set', 'insert', 'delete'), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 6 }),
    })
    .map(({ which, edits }) => {
      const out = [...(jobs[which] ?? [])];
      for (const e of edits) {
        const i = e.pos % (out.length + 1);
        if (e.kind === 'set' && i < out.length) out[i] = e.byte;
        else if (e.kind === 'insert') out.splice(i, 0, e.byte);
        else out.splice(i, 1);
      }
      return Uint8Array.from(out);
    });

const splits = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 });

function chunk(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = sizes[k % sizes.length] ?? 1;
    out.push(bytes.subarray(i, i + n));
    i += n;
  }
  return out;
}

/** Everything observable about an emulator after a stream: what it printed, queued, skipped and answered. */
function run(make: () => LabelPrinterEmulator, parts: Uint8Array[]) {
  const e = make();
  const answers: number[] = [];
  for (const p of parts) answers.push(...e.feed(p));
  return {
    answers,
    formats: e.formats,
    runs: e.engine.runs.map((r) => ({ label: r.label, count: r.count })),
    remaining: e.engine.labelsRemaining,
    ignored: e.ignored,
  };
}

describe('label emulators under garbage', () => {
  const cases = [
    ['ZPL, random tokens', () => new ZplPrinterEmulator(), streamOf(zplToken)],
    ['ZPL, mutated jobs', () => new ZplPrinterEmulator(), mutated(ZPL_JOBS)],
    ['ZPL, raw bytes', () => new ZplPrinterEmulator(), fc.uint8Array({ maxLength: 600 })],
    ['TSPL, random tokens', () => new TsplPrinterEmulator(), streamOf(tsplToken)],
    ['TSPL, mutated jobs', () => new TsplPrinterEmulator(), mutated(TSPL_JOBS)],
    ['TSPL, raw bytes', () => new TsplPrinterEmulator(), fc.uint8Array({ maxLength: 600 })],
  ] as const;

  it.each(cases)('%s: never throws, and chunking never changes what is printed, answered or skipped', (_name, make, input) => {
    fc.assert(
      fc.property(input as fc.Arbitrary<Uint8Array>, splits, (bytes, sizes) => {
        const whole = run(make, [bytes]);
        const pieces = run(make, chunk(bytes, sizes));
        expect(pieces).toEqual(whole);
      }),
      { numRuns: RUNS },
    );
  });

  it.each([
    ['ZPL', () => new ZplPrinterEmulator(), fc.oneof(streamOf(zplToken), mutated(ZPL_JOBS))],
    ['TSPL', () => new TsplPrinterEmulator(), fc.oneof(streamOf(tsplToken), mutated(TSPL_JOBS))],
  ] as const)('%s with faults flipped between chunks: never throws, and once every fault clears nothing is left waiting', (_name, make, input) => {
    fc.assert(
      fc.property(
        fc.array(input, { minLength: 1, maxLength: 4 }),
        fc.array(fc.record({ fault: fc.constantFrom(...LABEL_EMULATOR_FAULTS), on: fc.boolean() }), { maxLength: 4 }),
        fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
        (streams, toggles, paperAfter) => {
          const e = make();
          e.paperOutAfterLabels(paperAfter);
          streams.forEach((s, i) => {
            e.feed(s);
            const t = toggles[i];
            if (t) e.setFault(t.fault, t.on);
          });
          e.paperOutAfterLabels(null);
          for (const f of LABEL_EMULATOR_FAULTS) e.setFault(f, false);
          expect(e.engine.labelsRemaining).toBe(0);
          expect(e.engine.printedCount).toBeLessThanOrEqual(e.formats.reduce((n, f) => n + f.quantity, 0));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a long stream of noise is taken in bounded memory and ends (no hang)', () => {
    const noise = new Uint8Array(400_000);
    let s = 12345;
    for (let i = 0; i < noise.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      noise[i] = s >>> 24;
    }
    for (const e of [new ZplPrinterEmulator(), new TsplPrinterEmulator()]) {
      e.feed(noise);
      e.feed(e instanceof ZplPrinterEmulator ? ZPL_JOBS[0]! : TSPL_JOBS[0]!);
      expect(e.ignored.length).toBeLessThanOrEqual(1000);
    }
  });
});

describe('status parsers under garbage', () => {
  const hs = fc.record({
    paperOut: fc.boolean(),
    paused: fc.boolean(),
    labelLengthDots: fc.integer({ min: 0, max: 9999 }),
    formatsInBuffer: fc.integer({ min: 0, max: 999 }),
    bufferFull: fc.boolean(),
    partialFormat: fc.boolean(),
    headOpen: fc.boolean(),
    ribbonOut: fc.boolean(),
    thermalTransfer: fc.boolean(),
    labelsRemaining: fc.integer({ min: 0, max: 99_999_999 }),
  });
  const answers = fc.array(hs, { maxLength: 4 }).map((list) => ({ list, bytes: Uint8Array.from(list.flatMap((s) => [...encodeZplHostStatus(s)])) }));

  it('~HS: never throws; chunking never changes the result; an answer after any garbage is read exactly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), answers, hs, splits, (garbage, mixed, last, sizes) => {
        const stream = Uint8Array.from([...garbage, ...mixed.bytes, ...garbage, ...encodeZplHostStatus(last)]);
        const parse = (parts: Uint8Array[]): ZplHostStatus[] => {
          const p = new ZplStatusParser();
          return parts.flatMap((c) => p.push(c));
        };
        const whole = parse([stream]);
        expect(parse(chunk(stream, sizes))).toEqual(whole);
        expect(whole.at(-1)).toEqual(last);
      }),
      { numRuns: RUNS },
    );
  });

  it('~HS: a control byte of noise inside an answer loses that answer or leaves it whole, never bends it', () => {
    fc.assert(
      fc.property(hs, fc.nat(), fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0xff })), (s, at, byte) => {
        const bytes = [...encodeZplHostStatus(s)];
        bytes.splice(at % bytes.length, 0, byte);
        const out = new ZplStatusParser().push(Uint8Array.from(bytes));
        expect(out.length).toBeLessThanOrEqual(1);
        if (out.length === 1) expect(out).toEqual([s]);
      }),
      { numRuns: RUNS },
    );
  });

  it('ESC ! ?: never throws; chunking never changes the result; one status per query while bytes last', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.integer({ min: 0, max: 50 }), splits, (bytes, queries, sizes) => {
        const parse = (parts: Uint8Array[]) => {
          const p = new TsplStatusParser();
          for (let i = 0; i < queries; i++) p.expect();
          return parts.flatMap((c) => p.push(c));
        };
        const whole = parse([bytes]);
        expect(parse(chunk(bytes, sizes))).toEqual(whole);
        expect(whole).toHaveLength(Math.min(queries, bytes.length));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the driver through line noise', () => {
  it('ZPL status frames survive noise between and around them: the job prints', async () => {
    const emulator = new ZplPrinterEmulator();
    let n = 0;
    const noise = (): number[] => [0x00, 0x03, 0xff, 0x0d, 0x0a, 0x41 + (n++ % 20), 0x2c, 0x31];
    const transport = new LoopbackTransport(emulator, { chunkSizes: [1, 3, 7, 2], onTheLine: (a) => (a.length ? Uint8Array.from([...noise(), ...a, ...noise()]) : a) });
    const conn = new DeviceConnection(() => transport, { minDelayMs: 50 });
    cleanups.push(() => conn.stop());
    conn.start();
    await conn.waitConnected(3_000);
    const printer = new LabelPrinterDriver('label-1', conn, LABEL_PROFILES['zebra-gk420'], { pollMs: 10 });
    await printer.print([tag], { waiting: () => undefined });
    expect(emulator.labels).toHaveLength(3);
  });
});
