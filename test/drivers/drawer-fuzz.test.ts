import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeviceConnection } from '../../src-drivers/common/connection.js';
import { SerialCashDrawer } from '../../src-drivers/drawer/serial-drawer.js';
import { checkDrawerStatusFormat, decodeDrawerStatus, hexBytes, type DrawerStatusFormat } from '../../src-drivers/drawer/serial-drawer-codec.js';
import { SerialDrawerEmulator } from '../../src-drivers/emulators/drawer/serial-drawer.js';
import { LoopbackTransport } from '../../src-drivers/emulators/loopback.js';

/** Valid formats: a mask, an open state within it, maybe a different closed state within it. */
const format: fc.Arbitrary<DrawerStatusFormat> = fc
  .tuple(fc.integer({ min: 1, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }))
  .filter(([mask, open, closed]) => closed === undefined || (closed & mask) !== (open & mask))
  .map(([mask, open, closed]) => ({ mask, openState: open & mask, ...(closed !== undefined ? { closedState: closed & mask } : {}) }));

function chunk(bytes: number[], sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = sizes[k % sizes.length] ?? 1;
    out.push(Uint8Array.from(bytes.slice(i, i + n)));
    i += n;
  }
  return out;
}

describe('serial drawer status decoding, fuzzed', () => {
  it('reads every answer byte under every valid format: open exactly on the open state, unreadable only with a closed state set', () => {
    fc.assert(
      fc.property(format, fc.integer({ min: 0, max: 255 }), (f, b) => {
        checkDrawerStatusFormat(f);
        const s = decodeDrawerStatus(b, f);
        const v = b & f.mask;
        expect(s.state === 'open').toBe(v === f.openState);
        if (f.closedState === undefined) expect(s.state).not.toBe('unknown');
        else expect(s.state === 'closed').toBe(v === f.closedState && v !== f.openState);
        expect(s.state === 'unknown').toBe(s.message !== undefined);
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses formats whose states have bits outside the mask', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 1, max: 255 }), (mask, state) => {
        fc.pre((state & ~mask) !== 0);
        expect(() => checkDrawerStatusFormat({ mask, openState: state })).toThrow(RangeError);
        expect(() => checkDrawerStatusFormat({ mask, openState: 0, closedState: state })).toThrow(RangeError);
      }),
    );
  });

  it('hex command strings read back to their bytes, whatever the separators', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 32 }), fc.constantFrom(' ', '', ',', ':', '  '), fc.boolean(), (bytes, sep, upper) => {
        const text = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(sep);
        expect(hexBytes(upper ? text.toUpperCase() : text)).toEqual(bytes);
      }),
    );
  });
});

describe('the serial drawer emulator and driver, fuzzed', () => {
  const OPEN = [0x1b, 0x70, 0x00, 0x19, 0xfa];
  const STATUS = [0x1b, 0x75, 0x00];

  it('sees the same triggers and answers the same however the stream is cut', () => {
    const piece = fc.oneof(fc.constant(OPEN), fc.constant(STATUS), fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 8 }), (pieces, sizes) => {
        const stream = pieces.flat();
        const whole = new SerialDrawerEmulator({ openCommand: Uint8Array.from(OPEN), statusCommand: Uint8Array.from(STATUS) });
        const cut = new SerialDrawerEmulator({ openCommand: Uint8Array.from(OPEN), statusCommand: Uint8Array.from(STATUS) });
        const a = [...whole.feed(Uint8Array.from(stream))];
        const b = chunk(stream, sizes).flatMap((c) => [...cut.feed(c)]);
        expect(b).toEqual(a);
        expect(cut.triggers).toBe(whole.triggers);
        expect(whole.triggers).toBeGreaterThanOrEqual(pieces.filter((p) => p === OPEN).length);
      }),
    );
  });

  it('the driver always reports what the drawer is, through any order of openings, shuttings and questions', async () => {
    const op = fc.constantFrom('open', 'shut', 'ask');
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 4 }), async (ops, sizes) => {
        const emulator = new SerialDrawerEmulator({ statusCommand: Uint8Array.of(0x05), openAnswer: 0x31, closedAnswer: 0x30 });
        const conn = new DeviceConnection(() => new LoopbackTransport(emulator, { chunkSizes: sizes }), { minDelayMs: 10 });
        conn.start();
        try {
          await conn.waitConnected(1_000);
          const drawer = new SerialCashDrawer(conn, { status: { command: Uint8Array.of(0x05), openState: 0x31, closedState: 0x30 }, statusTimeoutMs: 200 });
          for (const o of ops) {
            if (o === 'open') await drawer.open();
            else if (o === 'shut') emulator.close();
            else expect((await drawer.status()).state).toBe(emulator.isOpen ? 'open' : 'closed');
          }
          expect(emulator.opens).toBe(ops.filter((o) => o === 'open').length);
        } finally {
          await conn.stop();
        }
      }),
      { numRuns: 40 },
    );
  });
});
