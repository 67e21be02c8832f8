import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROFILE_IDS, PROFILES } from '../../src-drivers/escpos/profiles.js';
import { StatusStreamParser, type StatusEvent } from '../../src-drivers/escpos/status.js';
import { EscPosParser, type ParseEvent } from '../../src-drivers/emulators/escpos/parser.js';
import { EscPosPrinterEmulator, type Fault } from '../../src-drivers/emulators/escpos/printer.js';
import { buildReceipt } from './receipt-fixture.js';

const RUNS = 250;
const receipts = [buildReceipt(PROFILES['epson-tm-t20'], 'cp866').bytes, buildReceipt(PROFILES['clone-58'], 'cp1251').bytes];

/** Bytes that are mostly commands and their prefixes, so the fuzzer gets deep into the length table. */
const commandish = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 255 }) },
  { weight: 2, arbitrary: fc.constantFrom(0x1b, 0x1d, 0x1c, 0x10, 0x0a, 0x00, 0x04, 0x28, 0x6b, 0x76, 0x30, 0x26, 0x71, 0x44) },
);
const bytesArb = fc.oneof(fc.uint8Array({ maxLength: 400 }), fc.array(commandish, { maxLength: 400 }).map((a) => Uint8Array.from(a)));

/** A valid receipt with a few bytes replaced, inserted or deleted. */
const mutatedReceipt = fc
  .record({
    which: fc.integer({ min: 0, max: receipts.length - 1 }),
    edits: fc.array(fc.record({ pos: fc.nat(), kind: fc.constantFrom('set', 'insert', 'delete'), byte: commandish }), { minLength: 1, maxLength: 6 }),
  })
  .map(({ which, edits }) => {
    const out = [...(receipts[which] ?? [])];
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
  let k = 0;
  for (let i = 0; i < bytes.length; k++) {
    const n = sizes[k % sizes.length] ?? 1;
    out.push(bytes.subarray(i, i + n));
    i += n;
  }
  return out;
}

function parseChunks(profileId: (typeof PROFILE_IDS)[number], parts: Uint8Array[]): { events: ParseEvent[]; offset: number } {
  const p = new EscPosParser(PROFILES[profileId]);
  const events: ParseEvent[] = [];
  for (const c of parts) events.push(...p.push(c));
  return { events, offset: p.offset };
}

describe('the emulator parser under garbage', () => {
  it.each([
    ['random bytes', bytesArb],
    ['mutated receipts', mutatedReceipt],
  ] as const)('%s: never throws, consumes every byte, and chunking does not change the result', (_name, input) => {
    fc.assert(
      fc.property(input, splits, fc.constantFrom(...PROFILE_IDS), (bytes, sizes, profileId) => {
        const whole = parseChunks(profileId, [bytes]);
        const pieces = parseChunks(profileId, chunk(bytes, sizes));
        expect(whole.offset).toBe(bytes.length);
        expect(pieces.offset).toBe(bytes.length);
        expect(pieces.events).toEqual(whole.events);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the printer emulator under garbage and faults', () => {
  const faults: Fault[] = ['paperOut', 'coverOpen', 'offline', 'cutterJam', 'paperNearEnd'];
  it('never throws, and accounts for every byte it received', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(bytesArb, mutatedReceipt).map((b) => ({ bytes: b })), { minLength: 1, maxLength: 4 }),
        fc.array(fc.record({ fault: fc.constantFrom(...faults), on: fc.boolean() }), { maxLength: 4 }),
        fc.constantFrom('buffer' as const, 'discard' as const),
        (jobs, toggles, onRecovery) => {
          const p = new EscPosPrinterEmulator(PROFILES['clone-80'], { onRecovery, receiveBufferBytes: 1024, flowControl: 'xon-xoff' });
          jobs.forEach((j, i) => {
            p.feed(j.bytes);
            const t = toggles[i];
            if (t) p.setFault(t.fault, t.on);
          });
          for (const f of faults) p.setFault(f, false);
          p.setErrors({ mechanical: false, autocutter: false, unrecoverable: false, autoRecoverable: false });
          const s = p.stats;
          expect(s.executed + s.buffered + s.discarded + s.lost).toBe(s.received);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('the status parser under garbage', () => {
  const size = (e: StatusEvent): number => (e.kind === 'asb' ? 4 : e.kind === 'process-id' ? 7 : 1);
  it('never throws and every byte ends up in exactly one event', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), splits, fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 20 }), (bytes, sizes, queries) => {
        const p = new StatusStreamParser();
        for (const q of queries) p.expectRealtime(q as 1 | 2 | 3 | 4);
        p.expectTransmitStatus();
        const events = chunk(bytes, sizes).flatMap((c) => p.push(c));
        events.push(...p.flush());
        expect(events.reduce((n, e) => n + size(e), 0)).toBe(bytes.length);
      }),
      { numRuns: RUNS },
    );
  });
});
