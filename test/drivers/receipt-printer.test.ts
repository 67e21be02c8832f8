import { afterEach, describe, expect, it } from 'vitest';
import { documentText, type PrintDocument } from '../../src-common/print-document.js';
import { DeviceConnection } from '../../src-drivers/common/connection.js';
import { printableText, type CodePageId } from '../../src-drivers/escpos/codepage.js';
import { getProfile } from '../../src-drivers/escpos/profiles.js';
import { EscPosPrinterEmulator } from '../../src-drivers/emulators/escpos/printer.js';
import { serveSerial, serveTcp } from '../../src-drivers/emulators/serve.js';
import { EscPosDocumentPrinter } from '../../src-drivers/printer/escpos-printer.js';
import { SerialTransport } from '../../src-drivers/transports/serial.js';
import { TcpTransport } from '../../src-drivers/transports/tcp.js';
import { PrintQueue } from '../../src-main/devices/print-queue.js';
import { sampleReceipt } from '../../src-main/demo/sample-receipt.js';
import { DevicesRepo } from '../../src-main/db/repos/devices.js';
import type { EpochMs } from '../../src-common/units.js';
import { makeBackend, type TestBackend } from '../support/backend.js';
import { PtyPair } from '../support/pty.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const receipt = sampleReceipt;

/**
 * What the paper should say: the document's text after the code page's character fallbacks
 * (applied before laying out, as the driver measures them: "₽" printed as "р." takes two places).
 * Centred lines are compared without their indent: the printer centres them (checked separately).
 */
function expectedLines(doc: PrintDocument, width: number, cp: CodePageId): string[] {
  const fallback = (x: string) => printableText(x, cp);
  const mapped: PrintDocument = {
    blocks: doc.blocks.map((b) => (b.t === 'text' ? { ...b, text: fallback(b.text) } : b.t === 'pair' ? { ...b, left: fallback(b.left), right: fallback(b.right) } : b)),
  };
  return documentText(mapped, width).map((l) => l.trim());
}

const printed = (e: EscPosPrinterEmulator, i = 0) => e.receipts[i]!.lines.map((l) => l.trim());

async function overSerial(profileId: string, codePage: CodePageId, emulatorOpts = {}) {
  const profile = getProfile(profileId);
  const pty = await PtyPair.start();
  cleanups.push(() => pty.dispose());
  const emulator = new EscPosPrinterEmulator(profile, emulatorOpts);
  const served = await serveSerial(emulator, pty.device, 115_200);
  cleanups.push(() => served.stop());
  const conn = new DeviceConnection(() => new SerialTransport({ path: pty.till, baudRate: 115_200 }), { minDelayMs: 50, maxDelayMs: 200 });
  cleanups.push(() => conn.stop());
  conn.start();
  await conn.waitConnected(3_000);
  const printer = new EscPosDocumentPrinter('printer-1', conn, profile, { codePage, pollMs: 50 });
  return { emulator, served, printer, profile, pty, conn };
}

describe('ESC/POS receipt printer against the emulator', () => {
  it('prints a Cyrillic receipt with a QR over a serial line on a CP866 profile, and it reads back the same', async () => {
    const { emulator, printer, profile } = await overSerial('epson-tm-t20', 'cp866');
    await printer.print(receipt(), { waiting: () => undefined });
    expect(emulator.receipts).toHaveLength(1);
    expect(printed(emulator)).toEqual(expectedLines(receipt(), profile.charsPerLine, 'cp866'));
    expect(printed(emulator)).toContain('ИТОГО' + ' '.repeat(profile.charsPerLine - 'ИТОГО'.length - '2 970,10 р.'.length) + '2 970,10 р.');
    expect(emulator.receipts[0]!.printedLines[0]).toMatchObject({ text: 'ООО "Лавка"', align: 'center' });
    expect(emulator.receipts[0]!.qrs.map((q) => q.data)).toEqual(['t=20261202T1530&s=2970.10&fn=7380440800123456&i=1234&fp=987654321&n=1']);
    expect(emulator.receipts[0]!.cut).not.toBeNull();
  });

  it('prints the same receipt over raw TCP on a WPC1251 profile', async () => {
    const profile = getProfile('clone-80');
    const emulator = new EscPosPrinterEmulator(profile);
    const served = await serveTcp(emulator);
    cleanups.push(() => served.stop());
    const conn = new DeviceConnection(() => new TcpTransport({ host: '127.0.0.1', port: served.port }), { minDelayMs: 50 });
    cleanups.push(() => conn.stop());
    conn.start();
    await conn.waitConnected(3_000);
    const printer = new EscPosDocumentPrinter('printer-1', conn, profile, { codePage: 'cp1251', pollMs: 50 });
    await printer.print(receipt(), { waiting: () => undefined });
    expect(printed(emulator)).toEqual(expectedLines(receipt(), profile.charsPerLine, 'cp1251'));
    expect(printed(emulator).some((l) => l.startsWith('ИТОГО') && l.endsWith('2 970,10 р.'))).toBe(true); // no rouble sign in WPC1251 either
    expect(emulator.receipts[0]!.qrs).toHaveLength(1);
  });

  it('paper runs out mid-receipt: the job waits, resumes when paper is in, and no line is printed twice', async () => {
    const { emulator, served, printer, profile } = await overSerial('epson-tm-t20', 'cp866');
    emulator.paperOutAfterLines(12);
    const waits: string[] = [];
    const job = printer.print(receipt(), { waiting: (r) => waits.push(r) });
    const end = Date.now() + 5_000;
    while (!waits.includes('paper out') && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(waits).toContain('paper out');
    expect(emulator.current.lines.length).toBe(12); // stopped after 12 lines; the rest waits in the printer
    // Paper in: the printer prints what it held and answers the "printed up to here" marker.
    served.send(emulator.setFault('paperOut', false));
    await job;
    const lines = printed(emulator);
    expect(lines).toEqual(expectedLines(receipt(), profile.charsPerLine, 'cp866'));
    expect(emulator.receipts).toHaveLength(1);
  });

  it('refuses to start on a printer with its cover open or no paper, sending nothing', async () => {
    const { emulator, printer } = await overSerial('epson-tm-t20', 'cp866');
    emulator.setFault('coverOpen', true);
    await expect(printer.print(receipt(), { waiting: () => undefined })).rejects.toMatchObject({ code: 'cover_open' });
    emulator.setFault('coverOpen', false);
    emulator.setFault('paperOut', true);
    await expect(printer.print(receipt(), { waiting: () => undefined })).rejects.toMatchObject({ code: 'paper_out' });
    expect(emulator.receipts).toHaveLength(0);
    expect(emulator.current.lines).toHaveLength(0);
  });

  it('the printer disappears and comes back: queued receipts print once it is back, the sale never waits', async () => {
    const t: TestBackend = makeBackend();
    cleanups.push(() => t.dispose());
    new DevicesRepo(t.backend.db).upsert({
      id: 'printer-1',
      kind: 'printer',
      driver: 'escpos',
      name: 'Чековый',
      transport: { kind: 'tcp', host: '127.0.0.1', port: 0 },
      options: {},
      enabled: true,
    });
    const profile = getProfile('epson-tm-t20');
    const emulator = new EscPosPrinterEmulator(profile);
    let served = await serveTcp(emulator);
    const port = served.port;
    cleanups.push(() => served.stop());
    const conn = new DeviceConnection(() => new TcpTransport({ host: '127.0.0.1', port, connectTimeoutMs: 300 }), { minDelayMs: 50, maxDelayMs: 200 });
    cleanups.push(() => conn.stop());
    conn.start();
    await conn.waitConnected(3_000);
    const printer = new EscPosDocumentPrinter('printer-1', conn, profile, { codePage: 'cp866', pollMs: 50, statusTimeoutMs: 300 });
    const queue = new PrintQueue(t.backend.repos.printJobs, t.clock, { info() {}, error() {} }, { changed() {} });
    cleanups.push(() => queue.stop());
    queue.attach(printer);

    queue.enqueue('printer-1', 'receipt', 'sale-1', receipt(1), t.clock.now() as EpochMs);
    queue.kick('printer-1');
    await queue.idle();
    expect(emulator.receipts).toHaveLength(1);

    // Power off: the socket resets and nobody listens.
    served.reset();
    await served.stop();
    queue.enqueue('printer-1', 'receipt', 'sale-2', receipt(2), t.clock.now() as EpochMs);
    queue.kick('printer-1');
    await queue.idle();
    const waiting = t.backend.repos.printJobs.forRef('sale-2')[0]!;
    expect(waiting.state).toBe('waiting');
    expect(waiting.lastError).toMatch(/not connected|disconnected|cannot connect|does not answer|ECONNRESET|went away/);

    // Power on: the connection comes back by itself and the waiting receipt prints, once.
    served = await serveTcp(emulator, port);
    await conn.waitConnected(5_000);
    const end = Date.now() + 5_000;
    while (t.backend.repos.printJobs.forRef('sale-2')[0]!.state !== 'done' && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    await queue.idle();
    expect(t.backend.repos.printJobs.forRef('sale-2')[0]!.state).toBe('done');
    expect(emulator.receipts).toHaveLength(2);
    expect(printed(emulator, 1)).toContain(printableText('Чек № 2', 'cp866') + ' '.repeat(profile.charsPerLine - 'Чек № 2'.length - '02.12.2026 15:30'.length) + '02.12.2026 15:30');
  });
});
