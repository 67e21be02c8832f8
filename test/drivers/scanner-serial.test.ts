import { afterEach, describe, expect, it } from 'vitest';
import { GS, gtinToEan13, parseGs1 } from '../../src-common/gs1.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { DeviceConnection } from '../../src-drivers/common/connection.js';
import { SerialScannerEmulator, seededRandom, sendChunks, splitRandomly } from '../../src-drivers/emulators/scanner/serial.js';
import { serveSerial } from '../../src-drivers/emulators/serve.js';
import type { AssemblerOutput, ScanError, ScanEvent } from '../../src-drivers/scanner/scanner.js';
import { SerialFrameAssembler } from '../../src-drivers/scanner/serial-frames.js';
import { SerialScanner } from '../../src-drivers/scanner/serial-scanner.js';
import { checkoutCode } from '../../src-drivers/scanner/symbology.js';
import { SerialTransport } from '../../src-drivers/transports/serial.js';
import { PtyPair } from '../support/pty.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const scans = (out: AssemblerOutput[]) => out.flatMap((o) => (o.kind === 'scan' ? [o.scan] : []));
const errors = (out: AssemblerOutput[]) => out.flatMap((o) => (o.kind === 'error' ? [o.error.kind] : []));
const marking = `01${`0${DEMO_BARCODES.milk}`}215ABCDEFGh=;*k${GS}91EE06${GS}92MEUCIQDx3g7ZrVY1Jb+Nf0sKq8hU2fXyTz4LcAo9pWm=`;

describe('serial frame assembler', () => {
  it('finds the same scans wherever the chunks break, CR suffix', () => {
    const stream = bytes(`]E0${DEMO_BARCODES.milk}\r]d2${marking}\r`);
    for (let cut = 0; cut <= stream.length; cut++) {
      for (const cut2 of [cut, Math.min(stream.length, cut + 1), Math.min(stream.length, cut + 7)]) {
        const a = new SerialFrameAssembler();
        const out = [...a.push(stream.subarray(0, cut), 0), ...a.push(stream.subarray(cut, cut2), 1), ...a.push(stream.subarray(cut2), 2)];
        expect(errors(out)).toEqual([]);
        expect(scans(out)).toEqual([
          { code: DEMO_BARCODES.milk, aim: ']E0', symbology: 'ean13' },
          { code: marking, aim: ']d2', symbology: 'gs1-datamatrix' },
        ]);
      }
    }
  });

  it('cuts at CRLF split across chunks and takes CRLF from a scanner set to CR, and CR before LF', () => {
    const crlf = new SerialFrameAssembler({ suffix: 'CRLF' });
    expect(scans([...crlf.push(bytes('123456\r'), 0), ...crlf.push(bytes('\n654321\r\n'), 0)]).map((s) => s.code)).toEqual(['123456', '654321']);
    const cr = new SerialFrameAssembler({ suffix: 'CR' });
    expect(scans(cr.push(bytes('123456\r\n654321\r\n'), 0)).map((s) => s.code)).toEqual(['123456', '654321']);
    const lf = new SerialFrameAssembler({ suffix: 'LF' });
    expect(scans(lf.push(bytes('123456\r\n654321\n'), 0)).map((s) => s.code)).toEqual(['123456', '654321']);
  });

  it('strips a configured prefix and leaves the code alone without an AIM identifier', () => {
    const a = new SerialFrameAssembler({ prefix: [0x02], suffix: [0x03] });
    expect(scans(a.push(Uint8Array.from([0x02, ...bytes('RC00ff'), 0x03, ...bytes('plain'), 0x03]), 0))).toEqual([{ code: 'RC00ff' }, { code: 'plain' }]);
    const noAim = new SerialFrameAssembler({ aim: false });
    expect(scans(noAim.push(bytes(']C1abc\r'), 0))).toEqual([{ code: ']C1abc' }]);
  });

  it('maps AIM identifiers to symbologies', () => {
    const a = new SerialFrameAssembler();
    const out = scans(a.push(bytes(']E496385074\r]E0036000291452\r]C0ABC\r]C1010460000000001521X\r]Q1http://x\r]Q3' + marking + '\r]A0CODE39\r'), 0));
    expect(out.map((s) => s.symbology)).toEqual(['ean8', 'upca', 'code128', 'gs1-128', 'qr', 'gs1-qr', 'code39']);
  });

  it('a scanner set to send FNC1 as text, or to drop it: the parser is told the substitute, or recovers the lengths', () => {
    const text = new SerialScannerEmulator({ fnc1: { substitute: '<GS>' } });
    const [viaText] = scans(new SerialFrameAssembler().push(text.frame(marking), 0));
    expect(viaText?.code).toBe(marking.split(GS).join('<GS>'));
    const parsed = parseGs1(viaText?.code ?? '', { fnc1Substitutes: ['<GS>'] });
    expect(parsed.ok && parsed.value.elementString).toBe(marking);
    const dropped = new SerialScannerEmulator({ fnc1: 'drop' });
    const [bare] = scans(new SerialFrameAssembler().push(dropped.frame(marking, ']d2'), 0));
    const recovered = parseGs1(checkoutCode(bare ?? { code: '' }));
    expect(recovered.ok && recovered.value.elementString).toBe(marking);
    expect(recovered.ok && recovered.value.warnings.map((w) => w.code)).toEqual(['separators_recovered']);
  });

  it('drops an overlong frame up to the next suffix, line noise, and a frame whose end was lost — counted, never thrown', () => {
    const a = new SerialFrameAssembler({ maxLength: 20 });
    const out = [
      ...a.push(bytes('X'.repeat(50)), 0),
      ...a.push(bytes('Y'.repeat(50) + '\r' + DEMO_BARCODES.milk + '\r'), 1),
      ...a.push(Uint8Array.from([0x00, 0xff, 0x13, 0x0d]), 2),
      ...a.push(bytes('4600'), 3), // the rest never comes
      ...a.push(bytes(DEMO_BARCODES.bread + '\r'), 5_000),
    ];
    expect(errors(out)).toEqual(['overlong', 'garbage', 'stale']);
    expect(scans(out).map((s) => s.code)).toEqual([DEMO_BARCODES.milk, DEMO_BARCODES.bread]);
  });
});

describe('serial scanner over a real pseudo-terminal', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function until(cond: () => boolean, ms = 5_000): Promise<void> {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async function rig() {
    const pty = await PtyPair.start();
    cleanups.push(() => pty.dispose());
    const emulator = new SerialScannerEmulator({ suffix: 'CR' });
    const device = await serveSerial(emulator, pty.device, 9600);
    cleanups.push(() => device.stop());
    const conn = new DeviceConnection(() => new SerialTransport({ path: pty.till, baudRate: 9600 }), { minDelayMs: 50, maxDelayMs: 200 });
    cleanups.push(() => conn.stop());
    const scanner = new SerialScanner('scanner-1', conn, { suffix: 'CR' });
    cleanups.push(() => scanner.dispose());
    const seen: ScanEvent[] = [];
    const errs: ScanError[] = [];
    let reads = 0;
    scanner.onScan((s) => seen.push(s));
    scanner.onError((e) => errs.push(e));
    conn.onData(() => reads++);
    conn.start();
    await conn.waitConnected(3_000);
    return { pty, emulator, device, conn, scanner, seen, errs, reads: () => reads };
  }

  it('reads a scan sent in random chunks, and two scans that arrive in one chunk', async () => {
    const r = await rig();
    const frame = r.emulator.frame(DEMO_BARCODES.milk, ']E0');
    const chunks = splitRandomly(frame, seededRandom(7), 4);
    expect(chunks.length).toBeGreaterThan(2);
    await sendChunks(r.device, chunks, 20);
    await until(() => r.seen.length === 1);
    expect(r.reads()).toBeGreaterThan(1); // it really came in pieces
    expect(r.seen[0]).toMatchObject({ code: DEMO_BARCODES.milk, symbology: 'ean13', aim: ']E0', source: 'serial' });

    r.device.send(Uint8Array.from([...r.emulator.frame(DEMO_BARCODES.bread), ...r.emulator.frame(DEMO_BARCODES.water6)]));
    await until(() => r.seen.length === 3);
    expect(r.seen.slice(1).map((s) => s.code)).toEqual([DEMO_BARCODES.bread, DEMO_BARCODES.water6]);
    expect(r.errs).toEqual([]);
    expect(r.scanner.stats.scans).toBe(3);
  });

  it('carries a GS1 DataMatrix marking code byte-exact, GS included, to the milk GTIN', async () => {
    const r = await rig();
    await sendChunks(r.device, splitRandomly(r.emulator.frame(marking, ']d2'), seededRandom(11), 16), 10);
    await until(() => r.seen.length === 1);
    const scan = r.seen[0] as ScanEvent;
    expect(scan).toMatchObject({ code: marking, symbology: 'gs1-datamatrix' });
    const parsed = parseGs1(checkoutCode(scan));
    expect(parsed.ok && gtinToEan13(parsed.value.gtin ?? '')).toBe(DEMO_BARCODES.milk);
    expect(parsed.ok && parsed.value.isMarkingCode).toBe(true);
  });

  it('counts garbage and a scan cut off by an unplug, and reads again once plugged back', async () => {
    const r = await rig();
    r.device.send(Uint8Array.from([0x00, 0x01, 0x02, 0x0d]));
    await until(() => r.errs.length === 1);
    r.device.send(bytes('46000000'));
    await until(() => r.reads() >= 2);
    await r.device.stop();
    await r.pty.unplug();
    await until(() => r.conn.status === 'disconnected');
    expect(r.errs.map((e) => e.kind)).toEqual(['garbage', 'interrupted']);
    await r.pty.plug();
    await r.conn.waitConnected(5_000);
    const again = await serveSerial(r.emulator, r.pty.device, 9600);
    cleanups.push(() => again.stop());
    again.send(r.emulator.frame(DEMO_BARCODES.coffee));
    await until(() => r.seen.length === 1);
    expect(r.seen[0]?.code).toBe(DEMO_BARCODES.coffee);
    expect(r.scanner.stats.errors).toMatchObject({ garbage: 1, interrupted: 1 });
  });
});
