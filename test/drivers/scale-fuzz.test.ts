import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeviceConnection } from '../../src-drivers/common/connection.js';
import { DeviceError } from '../../src-drivers/common/device.js';
import { CasEmulator } from '../../src-drivers/emulators/scale/cas.js';
import { LoopbackTransport } from '../../src-drivers/emulators/loopback.js';
import { MassaKEmulator } from '../../src-drivers/emulators/scale/massak100.js';
import type { Pan, ScaleFaults } from '../../src-drivers/emulators/scale/pan.js';
import { Toledo8217Emulator } from '../../src-drivers/emulators/scale/toledo8217.js';
import { CasScale } from '../../src-drivers/scale/cas.js';
import { createCasParser, encodeCasFrame } from '../../src-drivers/scale/cas-codec.js';
import { MassaKScale } from '../../src-drivers/scale/massak100.js';
import { createMassaKParser, encodeMassaK, encodeMassaKWeight } from '../../src-drivers/scale/massak100-codec.js';
import { ScaleWeightError, type Scale, type StableWeight } from '../../src-drivers/scale/scale.js';
import type { ParseEvent, StreamParser } from '../../src-drivers/scale/stream.js';
import { createToledoParser, encodeToledoStatus, encodeToledoWeight, withEvenParity } from '../../src-drivers/scale/toledo8217-codec.js';
import { Toledo8217Scale } from '../../src-drivers/scale/toledo8217.js';

const RUNS = 300;

function chunk(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = sizes[k % sizes.length] ?? 1;
    out.push(bytes.subarray(i, i + n));
    i += n;
  }
  return out;
}

const concat = (parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

/** Valid answer streams of each protocol, to mutate. */
/**
 * `guardedBits`: the bits whose single flip can never turn a frame into a different one: all of
 * them under a CRC or BCC; on Toledo, which has no checksum, only the parity bit (masked off).
 */
const PARSERS: { name: string; make: () => StreamParser<unknown>; valid: Uint8Array; special: number[]; guardedBits: number[] }[] = [
  {
    name: 'Toledo 8217',
    make: createToledoParser,
    valid: concat([encodeToledoWeight(1234), encodeToledoStatus(0x41), encodeToledoWeight(15).map(withEvenParity), encodeToledoStatus(0x02)]),
    special: [0x02, 0x0d, 0x3f, 0x30, 0x2e, 0x82, 0x8d],
    guardedBits: [7],
  },
  {
    name: 'CAS',
    make: () => createCasParser('xor-from-sta'),
    valid: concat([Uint8Array.of(0x06), encodeCasFrame('S', 1234, 'xor-from-sta'), encodeCasFrame('U', 99, 'xor-from-sta'), encodeCasFrame('F', 0, 'xor-from-sta')]),
    special: [0x01, 0x02, 0x03, 0x04, 0x06, 0x53, 0x20, 0x2e],
    guardedBits: [0, 1, 2, 3, 4, 5, 6, 7],
  },
  {
    name: 'Massa-K protocol 100',
    make: () => createMassaKParser('massak'),
    valid: concat([
      encodeMassaKWeight({ divisions: 1234, divisionCode: 1, stable: true, net: false, zero: false }, 'massak'),
      encodeMassaK(0x28, [0x08], 'massak'),
      encodeMassaK(0x23, [], 'massak'),
    ]),
    special: [0xf8, 0x55, 0xce, 0x00, 0x01, 0x0d, 0x24],
    guardedBits: [0, 1, 2, 3, 4, 5, 6, 7],
  },
];

const splits = fc.array(fc.integer({ min: 1, max: 24 }), { minLength: 1, maxLength: 12 });

function parse(make: () => StreamParser<unknown>, parts: Uint8Array[]): ParseEvent<unknown>[] {
  const p = make();
  return parts.flatMap((c) => p.push(c));
}

describe.each(PARSERS)('$name parser under garbage', ({ make, valid, special, guardedBits }) => {
  const byteArb = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 255 }) }, { weight: 2, arbitrary: fc.constantFrom(...special) });
  const randomBytes = fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.array(byteArb, { maxLength: 300 }).map((a) => Uint8Array.from(a)));
  const mutated = fc
    .array(fc.record({ pos: fc.nat(), kind: fc.constantFrom('set', 'insert', 'delete', 'flip'), byte: byteArb, bit: fc.integer({ min: 0, max: 7 }) }), { minLength: 1, maxLength: 5 })
    .map((edits) => {
      const out = [...valid];
      for (const e of edits) {
        const i = e.pos % (out.length + 1);
        if (e.kind === 'set' && i < out.length) out[i] = e.byte;
        else if (e.kind === 'flip' && i < out.length) out[i] = (out[i] ?? 0) ^ (1 << e.bit);
        else if (e.kind === 'insert') out.splice(i, 0, e.byte);
        else out.splice(i, 1);
      }
      return Uint8Array.from(out);
    });

  it.each([
    ['random bytes', randomBytes],
    ['mutated valid frames', mutated],
  ] as const)('%s: never throws, and where the chunks are cut does not change what it reads', (_n, input) => {
    fc.assert(
      fc.property(input, splits, (bytes, sizes) => {
        const whole = parse(make, [bytes]);
        expect(parse(make, chunk(bytes, sizes))).toEqual(whole);
        expect(parse(make, chunk(bytes, [1]))).toEqual(whole);
      }),
      { numRuns: RUNS },
    );
  });

  it(`a flipped bit ${guardedBits.length === 8 ? 'anywhere' : 'of parity'} never reads as a different frame`, () => {
    const original = parse(make, [valid]).filter((e) => e.kind === 'frame');
    fc.assert(
      fc.property(fc.nat({ max: valid.length - 1 }), fc.constantFrom(...guardedBits), (at, bit) => {
        const bytes = valid.slice();
        bytes[at] = (bytes[at] ?? 0) ^ (1 << bit);
        for (const e of parse(make, [bytes])) if (e.kind === 'frame') expect(original).toContainEqual(e);
      }),
      { numRuns: RUNS },
    );
  });
});

interface Emulated {
  pan: Pan;
  faults: ScaleFaults;
  feed(bytes: Uint8Array): Uint8Array;
}

const FAST = { answerTimeoutMs: 12, retries: 1, pollMs: 1 };
const CAPACITY = 15_000;

const DRIVERS: { name: string; emulator: () => Emulated; scale: (c: DeviceConnection) => Scale; checked: boolean }[] = [
  { name: 'Toledo 8217', emulator: () => new Toledo8217Emulator({ capacityGrams: CAPACITY }), scale: (c) => new Toledo8217Scale(c, { ...FAST, commandTimeoutMs: 30 }), checked: false },
  { name: 'CAS', emulator: () => new CasEmulator({ capacityGrams: CAPACITY }), scale: (c) => new CasScale(c, FAST), checked: true },
  {
    name: 'Massa-K protocol 100',
    emulator: () => new MassaKEmulator({ capacityGrams: CAPACITY }),
    scale: (c) => new MassaKScale(c, { ...FAST, capacityGrams: CAPACITY }),
    checked: true,
  },
];

const op = fc.oneof(
  fc.record({ t: fc.constant('place' as const), grams: fc.integer({ min: -500, max: CAPACITY + 500 }), unstable: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ t: fc.constant('silent' as const), on: fc.boolean() }),
  fc.record({ t: fc.constant('corrupt' as const), n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ t: fc.constant('call' as const), call: fc.constantFrom('read' as const, 'readStable' as const, 'tare' as const, 'zero' as const) }),
);

/** Every call ends (no hang) within this, whatever the faults. */
const BOUND_MS = 1_000;

describe.each(DRIVERS)('$name driver against its emulator, faults and noise at random (in-memory line)', ({ emulator: makeEmulator, scale: makeScale, checked }) => {
  it('every call returns a weight or a typed error, within bounds; with a checksum, a weight is the true one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.uint8Array({ maxLength: 12 }), { maxLength: 4 }),
        fc.array(fc.record({ at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }), { maxLength: 3 }),
        async (ops, chunkSizes, noises, flips) => {
          const emulator = makeEmulator();
          let answers = 0;
          const onTheLine = (answer: Uint8Array): Uint8Array => {
            const k = answers++;
            const out = answer.slice();
            const f = flips[k];
            if (f && out.length > 0) out[f.at % out.length] = (out[f.at % out.length] ?? 0) ^ (1 << f.bit);
            return concat([noises[k % Math.max(1, noises.length)] ?? new Uint8Array(0), out]);
          };
          const conn = new DeviceConnection(() => new LoopbackTransport(emulator, { chunkSizes, onTheLine }));
          conn.start();
          await conn.waitConnected(1_000);
          const scale = makeScale(conn);
          try {
            for (const o of ops) {
              if (o.t === 'place') emulator.pan.place(o.grams, { unstableReadings: o.unstable });
              else if (o.t === 'silent') emulator.faults.silent = o.on;
              else if (o.t === 'corrupt') emulator.faults.corrupt(o.n);
              else await checkCall(scale, o.call, emulator.pan, checked);
            }
            emulator.faults.clear();
            await checkCall(scale, 'readStable', emulator.pan, checked);
          } finally {
            scale.dispose();
            await conn.stop();
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 60_000);
});

async function checkCall(scale: Scale, call: 'read' | 'readStable' | 'tare' | 'zero', pan: Pan, checked: boolean): Promise<void> {
  const t0 = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<'hang'>((r) => (timer = setTimeout(() => r('hang'), BOUND_MS)));
  const run = (async () => {
    if (call === 'read') return scale.read();
    if (call === 'readStable') return scale.readStable(60);
    if (call === 'tare') return scale.tare();
    return scale.zero();
  })().then(
    (v) => ({ ok: v }),
    (e: unknown) => ({ err: e }),
  );
  const r = await Promise.race([run, hang]);
  clearTimeout(timer);
  expect(r, `${call} did not return in ${BOUND_MS} ms`).not.toBe('hang');
  if (r === 'hang') return;
  expect(Date.now() - t0).toBeLessThan(BOUND_MS);
  if ('err' in r) {
    const e = r.err;
    expect(e instanceof DeviceError || e instanceof ScaleWeightError, String(e)).toBe(true);
    if (e instanceof DeviceError) expect(['timeout', 'protocol', 'busy', 'unsupported']).toContain(e.code);
    return;
  }
  if (call !== 'readStable') return;
  const w = r.ok as StableWeight;
  expect(w.stable).toBe(true);
  expect(w.grams).toBeGreaterThanOrEqual(0);
  expect(w.grams).toBeLessThanOrEqual(CAPACITY);
  // With a CRC or BCC on every frame, noise and flipped bits never produce a weight the pan does not show.
  if (checked) expect(w.grams).toBe(pan.peek().grams);
}
