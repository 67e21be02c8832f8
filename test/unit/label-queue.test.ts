import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../src-common/ids.js';
import type { PriceTag } from '../../src-common/price-tag.js';
import type { EpochMs } from '../../src-common/units.js';
import { LabelPrinterError, type LabelPrinter, type LabelPrinterState } from '../../src-drivers/common/label-printer.js';
import type { NewLabelJob } from '../../src-main/db/repos/label-jobs.js';
import { LabelQueue } from '../../src-main/devices/label-queue.js';
import { PrintQueue } from '../../src-main/devices/print-queue.js';
import { makeBackend, type TestBackend } from '../support/backend.js';
import { waitUntil } from '../support/wait.js';
import { FakeDevice, FakeReceiptPrinter } from './fake-printers.js';

let t: TestBackend;
const stops: (() => void)[] = [];
afterEach(() => {
  for (const s of stops.splice(0)) s();
  t?.dispose();
});

const quiet = { info() {}, error() {} };
const tag = (name: string, copies = 1): PriceTag => ({ name, price: '89,90 ₽', barcode: { symbology: 'ean13', data: '4600000000015' }, copies });

/** A label printer the test drives: what it printed, failing while `fault` is set, stopping mid-batch when told. */
class FakeLabelPrinter extends FakeDevice implements LabelPrinter {
  printed: string[] = [];
  /** Calls to print() running at once, at most. */
  maxConcurrent = 0;
  private running = 0;
  /** The next batch stops with this reason after it is sent, until `release()`. */
  stallWith: string | null = null;
  private release_: (() => void) | null = null;

  async print(tags: readonly PriceTag[], hooks: { waiting(reason: string): void }): Promise<void> {
    this.running++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.running);
    try {
      await Promise.resolve();
      if (this.fault) throw this.fault;
      if (this.stallWith) {
        hooks.waiting(this.stallWith);
        await new Promise<void>((r) => (this.release_ = r));
      }
      for (const t of tags) for (let i = 0; i < t.copies; i++) this.printed.push(t.name);
    } finally {
      this.running--;
    }
  }
  async status(): Promise<LabelPrinterState> {
    return { connection: 'connected', report: null, fault: null, busy: false };
  }
  release(): void {
    this.stallWith = null;
    this.release_?.();
  }
}

function setup(retry = { firstMs: 60_000, maxMs: 60_000 }) {
  t = makeBackend();
  const db = t.backend.db;
  const device = db.prepare(`INSERT INTO devices (id, kind, driver, name, transport) VALUES (?, ?, ?, ?, '{"kind":"tcp","host":"127.0.0.1","port":9100}')`);
  device.run('label-1', 'label', 'tspl', 'Этикетки 1');
  device.run('label-2', 'label', 'zpl', 'Этикетки 2');
  device.run('receipt-1', 'printer', 'escpos', 'Чековый');
  const changes: Record<string, unknown>[] = [];
  const printQueue = new PrintQueue(t.backend.repos.printJobs, t.clock, quiet, { changed: (job) => labels.followPrintJob(job) });
  const labels = new LabelQueue(t.backend.repos.labelJobs, t.backend.repos.printJobs, printQueue, t.clock, quiet, { changed: (job) => changes.push({ id: job.id, state: job.state }) }, retry);
  stops.push(() => labels.stop(), () => printQueue.stop());
  const priceChange = (productId: number): number =>
    Number(db.prepare('INSERT INTO price_changes (product_id, old_price, new_price, at) VALUES (?, 100, 200, 1)').run(productId).lastInsertRowid);
  const queue = (deviceId: string, tags: PriceTag[], priceChangeIds: number[] = [], via: 'label' | 'receipt' = 'label'): string => {
    const job: NewLabelJob = { id: newId(), kind: 'price_tags', via, deviceId, tags, priceChangeIds, createdBy: null, at: t.clock.now() as EpochMs };
    db.transaction(() => labels.enqueue(job))();
    return job.id;
  };
  const state = (id: string) => t.backend.repos.labelJobs.byId(id);
  const printedAt = (id: number) => db.prepare('SELECT tags_printed_at FROM price_changes WHERE id = ?').pluck().get(id) as number | null;
  return { labels, printQueue, changes, priceChange, queue, state, printedAt };
}

describe('label job queue', () => {
  it('prints oldest first; a printer that refuses keeps the job waiting with its reason; ready again, it prints and the price changes are marked', async () => {
    const { labels, priceChange, queue, state, printedAt, changes } = setup();
    const printer = new FakeLabelPrinter('label-1');
    const c1 = priceChange(1);
    const c2 = priceChange(2);
    const a = queue('label-1', [tag('Молоко', 2)], [c1]);
    const b = queue('label-1', [tag('Хлеб')], [c2]);
    printer.fault = new LabelPrinterError('head_open');
    labels.attach(printer);
    await labels.idle();
    expect(state(a)).toMatchObject({ state: 'waiting', lastError: 'label printer: print head open', attempts: 1 });
    expect(state(b)?.state).toBe('queued');
    expect(printer.printed).toEqual([]);
    expect(printedAt(c1)).toBeNull();

    printer.back();
    await labels.idle();
    expect(printer.printed).toEqual(['Молоко', 'Молоко', 'Хлеб']);
    expect(state(a)).toMatchObject({ state: 'done', lastError: null, printedAt: t.clock.now(), attempts: 2 });
    expect(state(b)?.state).toBe('done');
    expect(printedAt(c1)).toBe(t.clock.now());
    expect(printedAt(c2)).toBe(t.clock.now());
    expect(changes.filter((c) => c.id === a).map((c) => c.state)).toEqual(['printing', 'waiting', 'printing', 'done']);
  });

  it('a batch the printer stops in the middle of waits with the reason and is not sent again; one job at a time per printer, printers side by side', async () => {
    const { labels, queue, state } = setup();
    const p1 = new FakeLabelPrinter('label-1');
    const p2 = new FakeLabelPrinter('label-2');
    p1.stallWith = 'out of labels';
    const a = queue('label-1', [tag('А', 3)]);
    const b = queue('label-1', [tag('Б')]);
    const c = queue('label-2', [tag('В')]);
    labels.attach(p1);
    labels.attach(p2);
    // The other printer is not held up by this one's trouble.
    await waitUntil(() => state(c)?.state === 'done', 'the other printer’s job');
    expect(state(a)).toMatchObject({ state: 'waiting', lastError: 'out of labels' });
    expect(labels.isBusy('label-1')).toBe(true);
    labels.kick('label-1');
    p1.release();
    await labels.idle();
    expect(p1.printed).toEqual(['А', 'А', 'А', 'Б']);
    expect(p1.maxConcurrent).toBe(1);
    expect([state(a)?.state, state(b)?.state]).toEqual(['done', 'done']);
  });

  it('tags that cannot be laid out fail at once, visibly, and the queue goes on', async () => {
    const { labels, queue, state } = setup();
    const printer = new FakeLabelPrinter('label-1');
    const bad = queue('label-1', [tag('Плохой')]);
    const good = queue('label-1', [tag('Хороший')]);
    const print = printer.print.bind(printer);
    printer.print = async (tags, hooks) => {
      if (tags[0]?.name === 'Плохой') throw new RangeError('not an EAN-13: "x"');
      return print(tags, hooks);
    };
    labels.attach(printer);
    await labels.idle();
    expect(state(bad)).toMatchObject({ state: 'failed', lastError: 'not an EAN-13: "x"' });
    expect(state(good)?.state).toBe('done');
    expect(printer.printed).toEqual(['Хороший']);
  });

  it('with no word from the printer, a waiting job is tried again on its timer', async () => {
    const { labels, queue, state } = setup({ firstMs: 5, maxMs: 10 });
    const printer = new FakeLabelPrinter('label-1');
    printer.fault = new LabelPrinterError('paper_out');
    const a = queue('label-1', [tag('Сыр')]);
    labels.attach(printer);
    await waitUntil(() => state(a)?.state === 'waiting', 'the job to wait');
    // Labels put back in; no reconnect, no event.
    printer.fault = null;
    await waitUntil(() => state(a)?.state === 'done', 'the job to print on its timer');
    expect(printer.printed).toEqual(['Сыр']);
  });

  it('after a restart, a job caught mid-print is queued again and printed; one waiting goes on waiting', async () => {
    const { labels, queue, state } = setup();
    const a = queue('label-1', [tag('Кефир')]);
    const b = queue('label-1', [tag('Ряженка')]);
    t.backend.repos.labelJobs.set(a, 'printing', t.clock.now(), null, true);
    t.backend.repos.labelJobs.set(b, 'waiting', t.clock.now(), 'print head open', true);
    labels.recover();
    expect(state(a)).toMatchObject({ state: 'queued', lastError: 'interrupted by a restart: printed again' });
    expect(state(b)?.state).toBe('waiting');
    const printer = new FakeLabelPrinter('label-1');
    labels.attach(printer);
    await labels.idle();
    expect(printer.printed).toEqual(['Кефир', 'Ряженка']);
  });

  it('on the receipt printer (no label printer): small tags after any receipt, the label job follows them and marks the price change', async () => {
    const { labels, printQueue, priceChange, queue, state, printedAt } = setup();
    const c = priceChange(1);
    const job = queue('receipt-1', [tag('Молоко', 12), tag('Хлеб')], [c], 'receipt');
    const docs = t.backend.repos.printJobs.forLabelJob(job);
    // 12 copies go as 10 + 2, so a receipt never waits behind a long run.
    expect(docs.map((d) => [d.kind, d.priority, d.document.blocks.filter((b) => b.t === 'cut').length])).toEqual([
      ['labels', 2, 10],
      ['labels', 2, 2],
      ['labels', 2, 1],
    ]);
    printQueue.enqueue('receipt-1', 'receipt', 'r-1', { blocks: [{ t: 'text', text: 'чек' }, { t: 'cut' }] }, t.clock.now());
    const printer = new FakeReceiptPrinter('receipt-1');
    printer.fault = new Error('paper out');
    printQueue.attach(printer);
    await printQueue.idle();
    expect(state(job)).toMatchObject({ state: 'queued' });
    printer.back();
    await printQueue.idle();
    expect(printer.printed[0]?.blocks[0]).toEqual({ t: 'text', text: 'чек' });
    expect(printer.printed).toHaveLength(4);
    expect(state(job)?.state).toBe('done');
    expect(printedAt(c)).toBe(t.clock.now());
    expect(labels.isBusy('receipt-1')).toBe(false);
  });
});
