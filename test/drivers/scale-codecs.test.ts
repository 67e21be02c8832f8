import { describe, expect, it } from 'vitest';
import { CAS, casBcc, createCasParser, decodeCas, encodeCasFrame, type CasBcc, type CasFrame } from '../../src-drivers/scale/cas-codec.js';
import { decimalToInt } from '../../src-drivers/scale/decimal.js';
import {
  createMassaKParser,
  decodeMassaKWeight,
  encodeMassaK,
  encodeMassaKWeight,
  massakCrc,
  MASSAK_CMD,
  parseMassaKWeight,
} from '../../src-drivers/scale/massak100-codec.js';
import { capReading } from '../../src-drivers/scale/scale.js';
import type { ParseEvent, StreamParser } from '../../src-drivers/scale/stream.js';
import { createToledoParser, decodeToledo, encodeToledoWeight, withEvenParity, type ToledoFrame } from '../../src-drivers/scale/toledo8217-codec.js';
import { MassaKEmulator } from '../../src-drivers/emulators/scale/massak100.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.trim().split(/\s+/).map((h) => parseInt(h, 16)));

function byteByByte<F>(p: StreamParser<F>, bytes: Uint8Array): ParseEvent<F>[] {
  return [...bytes].flatMap((b) => p.push(Uint8Array.of(b)));
}

describe('decimal figures from scales', () => {
  it.each([
    ['01.234', 3, 1234],
    [' 1.234', 3, 1234],
    ['-0.150', 3, -150],
    ['- 0.15', 3, -150],
    ['+12.5', 3, 12_500],
    ['1234', 0, 1234],
    ['0.0005', 3, 1],
    ['0.0004', 3, 0],
    ['-0.000', 3, 0],
    ['12', 3, 12_000],
  ] as const)('%s ×10^%i = %i', (text, p, n) => expect(decimalToInt(text, p)).toBe(n));

  it.each(['', '.', '-', '1.2.3', '1-2', 'p1.234', '1,234', '12345678901234567'])('%j is not a figure', (text) => expect(decimalToInt(text, 3)).toBeNull());
});

describe('Toledo 8217 codec', () => {
  const frames = (bytes: Uint8Array) => byteByByte(createToledoParser(), bytes).map((e) => (e.kind === 'frame' ? decodeToledo(e.frame) : e));

  it("reads the notes' example 02 30 31 2E 32 33 34 0D as a stable 1234 g, also with parity in bit 7", () => {
    expect(frames(hex('02 30 31 2E 32 33 34 0D'))).toEqual([{ kind: 'stable', grams: 1234 }]);
    expect(frames(hex('02 30 31 2E 32 33 34 0D').map(withEvenParity))).toEqual([{ kind: 'stable', grams: 1234 }]);
    expect(encodeToledoWeight(1234)).toEqual(hex('02 30 31 2E 32 33 34 0D'));
  });

  it('status frames: motion, over capacity, under zero, with or without bit 6, even when the status byte is STX or CR', () => {
    expect(frames(hex('02 3F 01 0D 02 3F 41 0D'))).toEqual([
      { kind: 'unstable', grams: null },
      { kind: 'unstable', grams: null },
    ]);
    expect(frames(hex('02 3F 02 0D 02 3F 42 0D'))).toEqual([{ kind: 'overload' }, { kind: 'overload' }]);
    expect(frames(hex('02 3F 04 0D 02 3F 0D 0D'))).toEqual([
      { kind: 'underload', grams: null },
      { kind: 'underload', grams: null }, // 0D = motion + under zero + outside zero range
    ]);
    expect(frames(hex('02 3F 48 0D 02 3F 70 0D'))).toEqual([
      { kind: 'fault', detail: 'outside zero range' },
      { kind: 'fault', detail: 'status 0x70 with no weight' },
    ]);
  });

  it('skips garbage and false starts before a frame, and reports a frame whose text is not a weight', () => {
    const events = byteByByte(createToledoParser(), hex('00 FF 02 02 41 13 0D 55 02 30 31 2E 70 33 34 0D 02 30 30 2E 35 30 30 0D'));
    expect(events.map((e) => e.kind)).toEqual(['corrupt', 'corrupt', 'frame']);
    expect((events[2] as { frame: ToledoFrame }).frame).toEqual({ kind: 'weight', text: '00.500' });
  });
});

describe('CAS codec', () => {
  const variants: CasBcc[] = ['xor-from-sta', 'xor-from-stx', 'xor-from-soh'];

  it.each(variants)('builds and reads a 15-byte frame with its BCC (%s), byte by byte, after an ACK', (bcc) => {
    const f = encodeCasFrame('S', 1234, bcc);
    expect(f).toHaveLength(15);
    expect([f[0], f[1], f[13], f[14]]).toEqual([CAS.SOH, CAS.STX, CAS.ETX, CAS.EOT]);
    expect(String.fromCharCode(...f.subarray(2, 12))).toBe('S  1.234kg');
    const events = byteByByte(createCasParser(bcc), Uint8Array.from([0x06, ...f]));
    expect(events).toEqual([
      { kind: 'frame', frame: { kind: 'ack' } },
      { kind: 'frame', frame: { kind: 'weight', sta: 'S', sign: ' ', weight: ' 1.234', unit: 'kg' } },
    ]);
  });

  it('a BCC over other bytes than configured is a corrupt frame, never a weight', () => {
    const f = encodeCasFrame('S', 1234, 'xor-from-soh');
    expect(casBcc(f, 'xor-from-sta')).not.toBe(f[12]);
    expect(createCasParser('xor-from-sta').push(f)).toEqual([{ kind: 'corrupt', reason: expect.stringMatching(/BCC/) }]);
    expect(createCasParser('none').push(f)).toHaveLength(1);
  });

  it('reads S/U/F and the sign into distinct outcomes', () => {
    const read = (sta: 'S' | 'U' | 'F', grams: number) => {
      const e = createCasParser('xor-from-sta').push(encodeCasFrame(sta, grams, 'xor-from-sta'))[0];
      return e?.kind === 'frame' && e.frame.kind === 'weight' ? decodeCas(e.frame) : e;
    };
    expect(read('S', 1234)).toEqual({ kind: 'stable', grams: 1234 });
    expect(read('U', 1200)).toEqual({ kind: 'unstable', grams: 1200 });
    expect(read('F', 16_000)).toEqual({ kind: 'overload' });
    expect(read('S', -150)).toEqual({ kind: 'underload', grams: -150 });
    const g: CasFrame = { kind: 'weight', sta: 'S', sign: ' ', weight: '  1234', unit: ' g' };
    expect(decodeCas(g)).toEqual({ kind: 'stable', grams: 1234 });
    expect(decodeCas({ ...g, unit: 'lb' })).toEqual({ kind: 'fault', detail: 'unit "lb" is not kg or g' });
  });
});

describe('Massa-K protocol 100 codec', () => {
  const request = hex('F8 55 CE 01 00 23 23 00');
  const reply = hex('F8 55 CE 0D 00 24 D2 04 00 00 01 01 00 00 00 00 00 00 11 54');

  it("encodes the notes' weight request and 1.234 kg reply byte for byte", () => {
    expect(encodeMassaK(MASSAK_CMD.GET_MASSA, [], 'massak')).toEqual(request);
    expect(encodeMassaKWeight({ divisions: 1234, divisionCode: 1, stable: true, net: false, zero: false }, 'massak')).toEqual(reply);
  });

  it("the emulator answers the notes' request with the notes' reply", () => {
    const e = new MassaKEmulator();
    e.pan.place(1234);
    expect(e.feed(request)).toEqual(reply);
  });

  it("reads the notes' reply as a stable 1234 g gross, byte by byte", () => {
    const events = byteByByte(createMassaKParser('massak'), reply);
    expect(events).toHaveLength(1);
    const f = events[0]!.kind === 'frame' ? events[0]!.frame : null;
    expect(f?.cmd).toBe(0x24);
    expect(decodeMassaKWeight(parseMassaKWeight(f!.data)!)).toEqual({ kind: 'stable', grams: 1234, net: false });
  });

  it('the textbook CRC-16/XMODEM is the other variant, and the two do not accept each other', () => {
    expect(massakCrc(Uint8Array.of(0x23), 'xmodem')).toBe(0x1401);
    expect(encodeMassaK(0x23, [], 'xmodem')).toEqual(hex('F8 55 CE 01 00 23 01 14'));
    expect(createMassaKParser('xmodem').push(request)).toEqual([{ kind: 'corrupt', reason: 'CRC mismatch' }]);
    expect(createMassaKParser('massak').push(encodeMassaK(0x23, [], 'xmodem'))).toEqual([{ kind: 'corrupt', reason: 'CRC mismatch' }]);
  });

  it('divisions, negative weights and capacity', () => {
    const w = (divisions: number, divisionCode: number, stable = true) => decodeMassaKWeight({ divisions, divisionCode, stable, net: false, zero: false });
    expect(w(12_345, 0)).toEqual({ kind: 'stable', grams: 1235, net: false }); // 1234.5 g
    expect(w(123, 2)).toEqual({ kind: 'stable', grams: 1230, net: false });
    expect(w(3, 4)).toEqual({ kind: 'stable', grams: 3000, net: false });
    expect(w(-150, 1)).toEqual({ kind: 'underload', grams: -150 });
    expect(w(-4, 0)).toEqual({ kind: 'underload', grams: 0 }); // -0.4 g: below zero, and no -0
    expect(w(500, 1, false)).toEqual({ kind: 'unstable', grams: 500 });
    expect(capReading(w(15_001, 1), 15_000)).toEqual({ kind: 'overload' });
    expect(parseMassaKWeight(Uint8Array.of(1, 0, 0, 0, 9, 1, 0, 0))).toBeNull(); // unknown division code
    expect(parseMassaKWeight(Uint8Array.of(1, 0, 0, 0, 1, 1))).toBeNull(); // too short
  });
});
