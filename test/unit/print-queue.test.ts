import { afterEach, describe, expect, it } from 'vitest';
import { DeviceError } from '../../src-drivers/common/device.js';
import type { PrintDocument } from '../../src-common/print-document.js';
import type { EpochMs } from '../../src-common/units.js';
import { DRAWER_KICK_TTL_MS, PrintQueue } from '../../src-main/devices/print-queue.js';
import { DevicesRepo } from '../../src-main/db/repos/devices.js';
import { DEMO_BARCODES } from '../../src-main/demo/catalog-generator.js';
import { inProcessClient } from '../../src-main/rpc/in-process.js';
import { loginAs } from '../contract/suite.js';
import { makeBackend, type TestBackend } from '../support/backend.js';
import { FakeReceiptPrinter } from './fake-printers.js';

let t: TestBackend;
let queue: PrintQueue | null = null;
afterEach(() => {
  queue?.stop();
  queue = null;
  t?.dispose();
});

const doc = (text: string): PrintDocument => ({ blocks: [{ t: 'text', text }, { t: 'cut' }] });
/** A document by its first line: a receipt's text, or `drawer` for a kick. */
const firstLine = (d: PrintDocument): string => (d.blocks[0]!.t === 'text' ? d.blocks[0]!.text : d.blocks[0]!.t);
const printedBy = (printer: FakeReceiptPrinter): string[] => printer.printed.map(firstLine);

function setup(): { q: PrintQueue; printer: FakeReceiptPrinter; states: () => Record<string, string> } {
  t = makeBackend();
  t.backend.db
    .prepare(`INSERT INTO devices (id, kind, driver, name, transport) VALUES ('printer-1', 'printer', 'escpos', 'Чековый', '{"kind":"tcp","host":"127.0.0.1","port":9100}')`)
    .run();
  const q = new PrintQueue(t.backend.repos.printJobs, t.clock, { info() {}, error() {} }, { changed() {} });
  queue = q;
  const printer = new FakeReceiptPrinter('printer-1');
  const states = () =>
    Object.fromEntries(
      (t.backend.db.prepare('SELECT document, state FROM print_jobs ORDER BY created_at, rowid').all() as { document: string; state: string }[]).map((r) => [
        firstLine(JSON.parse(r.document) as PrintDocument),
        r.state,
      ]),
    );
  return { q, printer, states };
}

const now = () => t.clock.now() as EpochMs;

describe('print queue', () => {
  it('prints in order with the drawer kick first, waits while the printer cannot print, resumes when it says it is ready', async () => {
    const { q, printer, states } = setup();
    q.enqueue('printer-1', 'receipt', 'r1', doc('чек 1'), now());
    q.enqueue('printer-1', 'drawer', 'r1', { blocks: [{ t: 'drawer', pin: 2 }] }, now());
    printer.fault = new DeviceError('paper_out', 'paper out');
    q.attach(printer);
    await q.idle();
    expect(states()).toEqual({ 'чек 1': 'waiting', drawer: 'failed' }); // a kick is never retried later
    expect(t.backend.repos.printJobs.forRef('r1').find((j) => j.kind === 'receipt')).toMatchObject({ state: 'waiting', lastError: 'paper out' });
    q.enqueue('printer-1', 'receipt', 'r2', doc('чек 2'), now());
    printer.back();
    await q.idle();
    expect(printedBy(printer)).toEqual(['чек 1', 'чек 2']);
    expect(states()).toEqual({ 'чек 1': 'done', drawer: 'failed', 'чек 2': 'done' });
  });

  it('never queues a second original of the same receipt, and survives a restart mid-print', async () => {
    const { q, printer } = setup();
    expect(q.enqueue('printer-1', 'receipt', 'r1', doc('чек 1'), now())).not.toBeNull();
    expect(q.enqueue('printer-1', 'receipt', 'r1', doc('чек 1'), now())).toBeNull();
    // A crash while printing: the job is found 'printing' at start-up and goes back in the queue.
    t.backend.db.prepare(`UPDATE print_jobs SET state = 'printing'`).run();
    q.recover();
    expect(t.backend.repos.printJobs.forRef('r1')[0]).toMatchObject({ state: 'queued', lastError: 'interrupted by a restart: printed again' });
    q.attach(printer);
    await q.idle();
    expect(printedBy(printer)).toEqual(['чек 1']);
    expect(t.backend.repos.printJobs.forRef('r1')[0]).toMatchObject({ state: 'done', attempts: 1 });
  });

  it('drops a drawer kick that waited too long instead of springing the drawer open later', async () => {
    const { q, printer, states } = setup();
    q.enqueue('printer-1', 'drawer', 'r1', { blocks: [{ t: 'drawer', pin: 2 }] }, now());
    t.clock.advance(DRAWER_KICK_TTL_MS + 1);
    q.attach(printer);
    await q.idle();
    expect(printedBy(printer)).toEqual([]);
    expect(states()).toEqual({ drawer: 'failed' });
  });
});

describe('a sale on a till with a receipt printer', () => {
  it('queues the drawer kick before the receipt; a printer that is out of paper does not touch the sale', async () => {
    const printer = new FakeReceiptPrinter('printer-1');
    printer.fault = new DeviceError('paper_out', 'paper out');
    // The printer is configured in the store, so the backend attaches it at start.
    const first = makeBackend();
    new DevicesRepo(first.backend.db).upsert({
      id: 'printer-1',
      kind: 'printer',
      driver: 'escpos',
      name: 'Чековый принтер',
      transport: { kind: 'tcp', host: '127.0.0.1', port: 9100 },
      options: { drawerPin: 2 },
      enabled: true,
    });
    t = first;
    const b = t.restart({ printerFor: () => printer });
    const c = inProcessClient(b.dispatcher);
    await loginAs(c, 'cashier');
    await c.call('checkout.scan', { code: DEMO_BARCODES.milk });
    const sale = await c.call('checkout.complete', { payments: [{ method: 'cash', amount: 10_000 }] });
    expect(sale.state).toBe('completed');
    await b.effects.idle();
    await b.printQueue.idle();
    const jobs = b.repos.printJobs.forRef(sale.id);
    expect(jobs.map((j) => [j.kind, j.state])).toEqual([
      ['drawer', 'failed'],
      ['receipt', 'waiting'],
    ]);
    expect(jobs[1]!.document.blocks.some((bl) => bl.t === 'barcode' && bl.data === sale.code)).toBe(true);
    printer.back();
    await b.printQueue.idle();
    expect(printer.printed).toHaveLength(1);
    expect(b.repos.printJobs.forRef(sale.id)[1]!.state).toBe('done');
    c.close();
  });
});
