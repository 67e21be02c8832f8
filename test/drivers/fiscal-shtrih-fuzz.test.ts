import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeviceConnection } from '../../src-drivers/common/connection.js';
import { ShtrihEmulator } from '../../src-drivers/emulators/fiscal/shtrih.js';
import { LoopbackTransport } from '../../src-drivers/emulators/loopback.js';
import { FiscalError, type FiscalErrorCode, type FiscalReceipt } from '../../src-drivers/fiscal/registrar.js';
import { CMD } from '../../src-drivers/fiscal/shtrih/commands.js';
import { createShtrihParser, encodeAnswer, encodeCommand, ENQ, type LinkEvent } from '../../src-drivers/fiscal/shtrih/frame.js';
import { ShtrihRegistrar } from '../../src-drivers/fiscal/shtrih/registrar.js';

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

/** A realistic answer stream: ACKs, NAKs and answer frames of several lengths. */
const PARTS = [
  Uint8Array.of(0x06),
  encodeAnswer(CMD.SHORT_STATUS, 0, [1, 0, 0, 2, 0, 0, 0x9a, 0x8c, 0, 0, 0, 0, 0, 0]),
  Uint8Array.of(0x15, 0x06),
  encodeAnswer(CMD.FN_CLOSE_CHECK_V2, 0, Array.from({ length: 18 }, (_, i) => i * 7)),
  encodeAnswer(CMD.CASH_IN, 0x50),
  encodeCommand(CMD.OPEN_SHIFT, [30, 0, 0, 0]),
  Uint8Array.of(ENQ),
];
const VALID = concat(PARTS);
/** Where the LEN bytes are: the one place where one flipped bit can slip past an XOR checksum. */
const LEN_AT = new Set(
  PARTS.flatMap((p, k) => {
    const at = PARTS.slice(0, k).reduce((n, q) => n + q.length, 0);
    return p.length > 1 ? [at + 1] : [];
  }),
);
const SPECIAL = [0x02, 0x05, 0x06, 0x15, 0x00, 0xff, 0x10, 0x01];

function parse(parts: Uint8Array[]): LinkEvent[] {
  const p = createShtrihParser();
  return parts.flatMap((c) => p.push(c));
}

describe('Shtrih-M assembler under garbage', () => {
  const byteArb = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 255 }) }, { weight: 2, arbitrary: fc.constantFrom(...SPECIAL) });
  const randomBytes = fc.oneof(fc.uint8Array({ maxLength: 400 }), fc.array(byteArb, { maxLength: 400 }).map((a) => Uint8Array.from(a)));
  const mutated = fc
    .array(fc.record({ pos: fc.nat(), kind: fc.constantFrom('set', 'insert', 'delete', 'flip'), byte: byteArb, bit: fc.integer({ min: 0, max: 7 }) }), { minLength: 1, maxLength: 5 })
    .map((edits) => {
      const out = [...VALID];
      for (const e of edits) {
        const i = e.pos % (out.length + 1);
        if (e.kind === 'set' && i < out.length) out[i] = e.byte;
        else if (e.kind === 'flip' && i < out.length) out[i] = (out[i] ?? 0) ^ (1 << e.bit);
        else if (e.kind === 'insert') out.splice(i, 0, e.byte);
        else out.splice(i, 1);
      }
      return Uint8Array.from(out);
    });
  const splits = fc.array(fc.integer({ min: 1, max: 24 }), { minLength: 1, maxLength: 12 });

  it.each([
    ['random bytes', randomBytes],
    ['mutated valid streams', mutated],
  ] as const)('%s: never throws, and where the chunks are cut does not change what it reads', (_n, input) => {
    fc.assert(
      fc.property(input, splits, (bytes, sizes) => {
        const whole = parse([bytes]);
        expect(parse(chunk(bytes, sizes))).toEqual(whole);
        expect(parse(chunk(bytes, [1]))).toEqual(whole);
      }),
      { numRuns: RUNS },
    );
  });

  // A flipped LEN moves the frame's end: the LRC then covers other bytes and matches by chance one
  // time in 256 (the protocol's weakness, not the parser's). Every other byte is guarded.
  it('one flipped bit outside LEN never reads as a different frame (the LRC catches it)', () => {
    const original = parse([VALID]).filter((e) => e.kind === 'frame');
    const positions = [...VALID.keys()].filter((i) => !LEN_AT.has(i));
    fc.assert(
      fc.property(fc.constantFrom(...positions), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        const bytes = VALID.slice();
        bytes[at] = (bytes[at] ?? 0) ^ (1 << bit);
        for (const e of parse([bytes])) if (e.kind === 'frame') expect(original).toContainEqual(e);
      }),
      { numRuns: RUNS },
    );
  });
});

const FAST = { byteTimeoutMs: 8, answerTimeoutMs: 40, reportTimeoutMs: 40, retries: 2, printingWaitMs: 60 };
const ALLOWED: FiscalErrorCode[] = ['offline', 'timeout', 'protocol', 'busy', 'document_open', 'bad_data', 'other', 'paper_out', 'waiting_continue', 'password', 'marking_invalid'];
/** Every call ends (no hang) within this, whatever the faults. */
const BOUND_MS = 5_000;

const op = fc.oneof(
  fc.record({ t: fc.constant('receipt' as const), card: fc.boolean() }),
  fc.record({ t: fc.constant('cashIn' as const) }),
  fc.record({ t: fc.constant('status' as const) }),
  fc.record({ t: fc.constant('find' as const), n: fc.integer({ min: 0, max: 8 }) }),
  fc.record({ t: fc.constant('lrc' as const), n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ t: fc.constant('ack' as const), n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ t: fc.constant('printing' as const), n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ t: fc.constant('silent' as const), on: fc.boolean() }),
);

async function settle<T>(p: Promise<T>): Promise<{ ok: T } | { err: unknown }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<'hang'>((r) => (timer = setTimeout(() => r('hang'), BOUND_MS)));
  const r = await Promise.race([p.then((ok) => ({ ok }), (err: unknown) => ({ err })), hang]);
  clearTimeout(timer);
  expect(r, `a call did not return in ${BOUND_MS} ms`).not.toBe('hang');
  return r === 'hang' ? { err: new Error('hang') } : r;
}

function expectTyped(err: unknown): void {
  expect(err, String(err)).toBeInstanceOf(FiscalError);
  expect(ALLOWED).toContain((err as FiscalError).code);
}

describe('Shtrih-M driver against its emulator, faults and line noise at random (in-memory line)', () => {
  it('every call returns or fails typed, in bounds; no receipt is fiscalized twice; every success is in the archive', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.uint8Array({ maxLength: 10 }).map((a) => a.map((b) => (b === 0x02 ? 0x03 : b))), { maxLength: 4 }),
        fc.array(fc.option(fc.record({ at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) })), { maxLength: 6 }),
        async (ops, chunkSizes, noises, flips) => {
          const emulator = new ShtrihEmulator({ shiftOpen: true });
          let replies = 0;
          let healed = false;
          const onTheLine = (reply: Uint8Array): Uint8Array => {
            if (healed) return reply;
            const k = replies++;
            const out = reply.slice();
            const f = flips[k % Math.max(1, flips.length)];
            if (f && out.length > 0) out[f.at % out.length] = (out[f.at % out.length] ?? 0) ^ (1 << f.bit);
            return concat([noises[k % Math.max(1, noises.length)] ?? new Uint8Array(0), out]);
          };
          const conn = new DeviceConnection(() => new LoopbackTransport(emulator, { chunkSizes, onTheLine }));
          conn.start();
          await conn.waitConnected(1_000);
          const kkt = new ShtrihRegistrar(conn, FAST);
          const done: { number: number; fiscalSign: string; total: number }[] = [];
          let attempt = 0;
          let cashInDone = 0;
          let cashInTried = 0;
          const receipt = (card: boolean): FiscalReceipt => {
            const total = 1_000 + ++attempt; // unique per attempt: a duplicate in the archive would show
            return {
              kind: 'sale',
              lines: [{ name: 'Товар', qty: 1_000, unit: 'pcs', price: total, amount: total, vat: 'vat22', subject: 'commodity', paymentMethod: 'full_payment' }],
              payments: [{ type: card ? 'card' : 'cash', amount: total }],
              taxSystem: 'osn',
              cashier: { name: 'Кассир' },
            };
          };
          try {
            for (const o of ops) {
              if (o.t === 'lrc') emulator.faults.wrongLrc(o.n);
              else if (o.t === 'ack') emulator.faults.missingAck(o.n);
              else if (o.t === 'printing') emulator.printing(o.n);
              else if (o.t === 'silent') emulator.faults.silent = o.on;
              else if (o.t === 'receipt') {
                const r = receipt(o.card);
                const res = await settle(kkt.receipt(r));
                if ('ok' in res) done.push({ ...res.ok, total: r.lines[0]?.amount ?? 0 });
                else expectTyped(res.err);
              } else if (o.t === 'cashIn') {
                cashInTried += 100;
                const res = await settle(kkt.cashIn(100));
                if ('ok' in res) cashInDone += 100;
                else expectTyped(res.err);
              } else {
                const res = await settle<unknown>(o.t === 'status' ? kkt.status() : kkt.findDocument(o.n));
                if ('err' in res) expectTyped(res.err);
              }
            }
            // The line heals: selling continues after the usual recovery (cancel a check left open).
            healed = true;
            emulator.faults.clear();
            emulator.printing(0);
            const s = await kkt.status();
            if (s.mode === 'document_open') await kkt.cancelDocument();
            const last = receipt(false);
            const final = await kkt.receipt(last);
            done.push({ ...final, total: last.lines[0]?.amount ?? 0 });

            const receipts = emulator.archive.filter((d) => d.kind === 'sale');
            const totals = receipts.map((d) => d.total);
            expect(new Set(totals).size, 'a receipt was fiscalized twice').toBe(totals.length);
            for (const d of done) expect(emulator.archive.find((a) => a.number === d.number)).toMatchObject({ total: d.total, fiscalSign: d.fiscalSign });
            const cashIn = emulator.shiftTotals().cashIn;
            expect(cashIn).toBeGreaterThanOrEqual(cashInDone);
            expect(cashIn).toBeLessThanOrEqual(cashInTried);
          } finally {
            kkt.dispose();
            await conn.stop();
          }
        },
      ),
      // FC_SEED=<seed> replays a failure fast-check reported.
      { numRuns: 30, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) },
    );
  }, 120_000);
});
