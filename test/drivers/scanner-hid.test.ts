import { afterEach, describe, expect, it } from 'vitest';
import { GS, gtinToEan13, parseGs1 } from '../../src-common/gs1.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { DeviceConnection } from '../../src-drivers/common/connection.js';
import { HidScannerEmulator, hidPosReports } from '../../src-drivers/emulators/scanner/hid.js';
import { HidPosAssembler, HidPosScanner, parseHidPosReport } from '../../src-drivers/scanner/hid-pos.js';
import { HidScannerTransport, listHidScanners, loadNodeHid } from '../../src-drivers/scanner/hid-transport.js';
import type { AssemblerOutput, ScanEvent } from '../../src-drivers/scanner/scanner.js';
import { checkoutCode } from '../../src-drivers/scanner/symbology.js';

const scans = (out: AssemblerOutput[]) => out.flatMap((o) => (o.kind === 'scan' ? [o.scan] : []));
const errors = (out: AssemblerOutput[]) => out.flatMap((o) => (o.kind === 'error' ? [o.error.kind] : []));
const SIG44 = 'MEUCIQDx3g7ZrVY1Jb+Nf0sKq8hU2fXyTz4LcAo9pWm=';
/** 129 characters with an 88-character verification code: three reports. */
const marking = `01${`0${DEMO_BARCODES.milk}`}215ABCDEFGh=;*k${GS}91EE06${GS}92${SIG44}${SIG44}`;

/** A report laid out by hand, byte by byte, as the Access-IS manual's example shows it. */
function manualReport(len: number, aim: string, data: string, more: boolean): Uint8Array {
  const r = new Uint8Array(64);
  r[0] = 0x02;
  r[1] = len;
  r.set(new TextEncoder().encode(aim), 2);
  r.set(new TextEncoder().encode(data), 5);
  r[61] = 0x73; // 's': the vendor's own QR id
  r[63] = more ? 0x01 : 0x00;
  return r;
}

describe('HID POS report parser and assembler', () => {
  it('reads the documented 60-byte QR example split 56 + 4 over two reports', () => {
    const text = 'M1GATHERGOOD/MICHAEL YABCDEF LHRDURAK 3542 052Y003D23  '.padEnd(60, 'Z');
    expect(text).toHaveLength(60);
    const first = manualReport(56, ']Q0', text.slice(0, 56), true);
    const second = manualReport(4, ']Q0', text.slice(56), false);
    expect(parseHidPosReport(first)).toMatchObject({ ok: true, report: { aim: ']Q0', more: true, vendorId: 0x73 } });
    const a = new HidPosAssembler();
    expect(a.push(first, 0)).toEqual([]);
    expect(scans(a.push(second, 5))).toEqual([{ code: text, aim: ']Q0', symbology: 'qr' }]);
  });

  it('reassembles a GS1 DataMatrix marking code from three reports, GS intact, to the milk GTIN', () => {
    const reports = hidPosReports(marking, { aim: ']d2' });
    expect(reports.map((r) => [r.length, r[1], r[63]])).toEqual([
      [64, 56, 1],
      [64, 56, 1],
      [64, marking.length - 112, 0],
    ]);
    const a = new HidPosAssembler();
    const out = reports.flatMap((r, i) => a.push(r, i));
    const [scan] = scans(out);
    expect(scan).toEqual({ code: marking, aim: ']d2', symbology: 'gs1-datamatrix' });
    const parsed = parseGs1(checkoutCode(scan as ScanEvent));
    expect(parsed.ok && gtinToEan13(parsed.value.gtin ?? '')).toBe(DEMO_BARCODES.milk);
    expect(parsed.ok && parsed.value.verificationCode).toBe(SIG44 + SIG44);
  });

  it('takes reports with the report ID stripped (63 bytes), and a short report as final', () => {
    const a = new HidPosAssembler();
    const out = hidPosReports(DEMO_BARCODES.milk, { aim: ']E0', includeReportId: false }).flatMap((r) => a.push(r, 0));
    expect(scans(out)).toEqual([{ code: DEMO_BARCODES.milk, aim: ']E0', symbology: 'ean13' }]);
    const short = Uint8Array.from([0x02, 6, 0x5d, 0x43, 0x30, ...new TextEncoder().encode('ABC123')]);
    expect(scans(a.push(short, 1))).toEqual([{ code: 'ABC123', aim: ']C0', symbology: 'code128' }]);
  });

  it('ignores other reports, strips a keyboard suffix, reads a scanner that sends no AIM identifier', () => {
    const a = new HidPosAssembler();
    const status = new Uint8Array(64);
    status[0] = 0x04;
    expect(a.push(status, 0)).toEqual([]);
    expect(a.ignored).toBe(1);
    expect(scans(hidPosReports(`${DEMO_BARCODES.bread}\r\n`).flatMap((r) => a.push(r, 1)))).toEqual([{ code: DEMO_BARCODES.bread }]);
  });

  it('drops, and counts, a malformed report, a split scan whose rest never came, one cut into by another, and an overlong one', () => {
    const a = new HidPosAssembler({ maxLength: 100 });
    const bad = manualReport(57, ']E0', '', false);
    const long = hidPosReports('X'.repeat(150), { aim: ']C0' });
    const out = [
      ...a.push(bad, 0),
      ...a.push(hidPosReports(marking, { aim: ']d2' })[0] as Uint8Array, 10),
      ...a.push(hidPosReports(DEMO_BARCODES.milk, { aim: ']E0' })[0] as Uint8Array, 5_000), // stale by then
      ...a.push(hidPosReports(marking, { aim: ']d2' })[0] as Uint8Array, 5_010),
      ...a.push(hidPosReports(DEMO_BARCODES.water, { aim: ']E0' })[0] as Uint8Array, 5_020), // cuts in
      ...long.flatMap((r) => a.push(r, 5_030)),
      ...a.push(hidPosReports(DEMO_BARCODES.coffee, { aim: ']E0' })[0] as Uint8Array, 5_040),
    ];
    expect(errors(out)).toEqual(['malformed', 'stale', 'interrupted', 'overlong']);
    expect(scans(out).map((s) => s.code)).toEqual([DEMO_BARCODES.milk, DEMO_BARCODES.water, DEMO_BARCODES.coffee]);
  });
});

describe('HID POS scanner through the node-hid transport', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function until(cond: () => boolean, ms = 3_000): Promise<void> {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  it('scans, survives an unplug as a status change, and scans again after reconnecting', async () => {
    const emu = new HidScannerEmulator();
    const conn = new DeviceConnection(() => new HidScannerTransport({ load: async () => emu.module }), { minDelayMs: 20, maxDelayMs: 50 });
    cleanups.push(() => conn.stop());
    const scanner = new HidPosScanner('hid-1', conn);
    const seen: ScanEvent[] = [];
    scanner.onScan((s) => seen.push(s));
    conn.start();
    await conn.waitConnected(2_000);

    emu.scan(marking, { aim: ']d2' });
    await until(() => seen.length === 1);
    expect(seen[0]).toMatchObject({ code: marking, symbology: 'gs1-datamatrix', source: 'hid' });
    await conn.write(Uint8Array.from([0xfd, 0x01, 0x07]));
    expect(emu.written).toEqual([[0xfd, 0x01, 0x07]]);

    // Pulled in the middle of a split scan: the half is dropped, counted, and the line comes back.
    emu.sendReports(hidPosReports(marking, { aim: ']d2' }).slice(0, 1));
    emu.unplug();
    await until(() => conn.status !== 'connected');
    expect(scanner.stats.errors.interrupted).toBe(1);
    emu.plug();
    await conn.waitConnected(2_000);
    emu.scan(DEMO_BARCODES.chocolate, { aim: ']E0' });
    await until(() => seen.length === 2);
    expect(seen[1]).toMatchObject({ code: DEMO_BARCODES.chocolate, symbology: 'ean13' });
  });

  it('finds the scanner by usage page, and says which one it could not find', async () => {
    const emu = new HidScannerEmulator({ vendorId: 0x05e0, productId: 0x1200 });
    expect((await listHidScanners(async () => emu.module)).devices).toHaveLength(1);
    await expect(new HidScannerTransport({ vendorId: 0x1234, load: async () => emu.module }).open()).rejects.toMatchObject({ code: 'offline' });
    const keyboard = new HidScannerEmulator({ usagePage: 0x01, usage: 0x06 });
    expect((await listHidScanners(async () => keyboard.module)).devices).toEqual([]);
  });

  it('without node-hid installed, fails with DeviceError("unsupported"), not a crash', async () => {
    // node-hid is an optional dependency, installed here: a package name that is not stands in for it.
    const missing = () => loadNodeHid('lavka-no-such-node-hid');
    await expect(new HidScannerTransport({ load: missing }).open()).rejects.toMatchObject({
      name: 'DeviceError',
      code: 'unsupported',
      message: expect.stringMatching(/^HID scanners are not supported here: lavka-no-such-node-hid did not load/),
    });
    const listed = await listHidScanners(missing);
    expect(listed.devices).toEqual([]);
    expect(listed.error).toMatch(/did not load/);
  });

  it('node-hid present but its native part unable to list (no libusb-1.0 on Linux): "unsupported" with the reason', async () => {
    const emu = new HidScannerEmulator();
    const broken = { ...emu.module, devicesAsync: () => Promise.reject(new Error('libusb-1.0.so.0: cannot open shared object file')) };
    await expect(new HidScannerTransport({ load: async () => broken }).open()).rejects.toMatchObject({ code: 'unsupported', message: expect.stringMatching(/libusb-1\.0\.so\.0/) });
    expect((await listHidScanners(async () => broken)).error).toMatch(/cannot list devices/);
  });
});
