import { describe, expect, it } from 'vitest';
import { printableText } from '../../src-drivers/escpos/codepage.js';
import { EscPosEncoder } from '../../src-drivers/escpos/encoder.js';
import { PROFILES } from '../../src-drivers/escpos/profiles.js';
import { asbEnable, statusQuery, StatusStreamParser, XOFF, XON } from '../../src-drivers/escpos/status.js';
import { EscPosPrinterEmulator } from '../../src-drivers/emulators/escpos/printer.js';
import { buildReceipt, QR_PAYLOAD, randomChunks } from './receipt-fixture.js';

const t20 = PROFILES['epson-tm-t20'];
const receipt = buildReceipt(t20, 'cp866');
const expected = receipt.source.map((l) => printableText(l, 'cp866'));
const EMPTY = new Uint8Array(0);

function feedAll(p: EscPosPrinterEmulator, bytes: Uint8Array, seed = 5): number[] {
  const out: number[] = [];
  for (const c of randomChunks(bytes, seed, 50)) out.push(...p.feed(c));
  return out;
}

describe('paper out mid-receipt', () => {
  it('buffer mode (Epson): stops after the failing line, answers status, prints the rest once after new paper', () => {
    const p = new EscPosPrinterEmulator(t20);
    p.paperOutAfterLines(10);
    expect(feedAll(p, receipt.bytes)).toEqual([]);

    expect(p.current.lines).toEqual(expected.slice(0, 10));
    expect(p.receipts).toEqual([]);
    expect(p.stalled).toBe(true);
    expect(p.stats.buffered).toBeGreaterThan(0);
    // Status is answered at once while nothing prints: paper out (72), offline (1A), stopped by paper end (32).
    expect([...p.feed(statusQuery(4))]).toEqual([0x72]);
    expect([...p.feed(statusQuery(1))]).toEqual([0x1a]);
    expect([...p.feed(statusQuery(2))]).toEqual([0x32]);
    const printedBefore = p.document.length;
    expect(p.feed(new EscPosEncoder(t20).line('more while out').encode())).toEqual(EMPTY);
    expect(p.document.length).toBe(printedBefore);

    // New paper: the buffered bytes print from where it stopped; the queries in the buffer are not answered twice.
    expect(p.setFault('paperOut', false)).toEqual(EMPTY);
    expect(p.stalled).toBe(false);
    expect(p.receipts).toHaveLength(1);
    expect(p.receipts[0]?.lines).toEqual(expected);
    expect(p.receipts[0]?.qrs.map((q) => q.data)).toEqual([QR_PAYLOAD]);
    expect(p.receipts[0]?.drawerPulses).toHaveLength(1);
    expect(p.current.lines).toEqual(['more while out']);
    expect(p.stats).toMatchObject({ buffered: 0, discarded: 0, lost: 0 });
    expect(p.stats.executed).toBe(p.stats.received);
    expect([...p.feed(statusQuery(4))]).toEqual([0x12]);
  });

  it('a fault switched on between chunks: nothing after that point prints', () => {
    const p = new EscPosPrinterEmulator(t20);
    const half = Math.floor(receipt.bytes.length / 2);
    p.feed(receipt.bytes.subarray(0, half));
    const printed = [...p.current.lines];
    p.setFault('paperOut', true);
    p.feed(receipt.bytes.subarray(half));
    expect(p.current.lines).toEqual(printed);
    expect(p.receipts).toEqual([]);
    p.setFault('paperOut', false);
    expect(p.receipts[0]?.lines).toEqual(expected);
  });

  it('discard mode: the waiting bytes are dropped; a full reprint follows the torn part', () => {
    const p = new EscPosPrinterEmulator(t20, { onRecovery: 'discard' });
    p.paperOutAfterLines(10);
    feedAll(p, receipt.bytes);
    const buffered = p.stats.buffered;
    expect(buffered).toBeGreaterThan(0);
    p.setFault('paperOut', false);
    expect(p.receipts).toEqual([]);
    expect(p.current.lines).toEqual(expected.slice(0, 10));
    expect(p.stats).toMatchObject({ buffered: 0, discarded: buffered });

    feedAll(p, receipt.bytes, 11);
    expect(p.receipts).toHaveLength(1);
    expect(p.receipts[0]?.lines.slice(10)).toEqual(expected);
  });

  it('runs out again while printing the buffer: resumes a second time without loss or repeat', () => {
    const p = new EscPosPrinterEmulator(t20);
    p.paperOutAfterLines(5);
    feedAll(p, receipt.bytes);
    expect(p.current.lines).toEqual(expected.slice(0, 5));
    p.paperOutAfterLines(7); // the next roll is short too: the replay itself runs out
    expect(p.setFault('paperOut', false)).toEqual(EMPTY);
    expect(p.stalled).toBe(true);
    expect(p.current.lines).toEqual(expected.slice(0, 12));
    expect([...p.feed(statusQuery(4))]).toEqual([0x72]);
    p.setFault('paperOut', false);
    expect(p.receipts[0]?.lines).toEqual(expected);
    expect(p.stats.buffered).toBe(0);
  });

  it('one command that prints several things stops at the failing one (ESC d n, the cut after the last line)', () => {
    const p = new EscPosPrinterEmulator(t20);
    p.paperOutAfterLines(2);
    p.feed(new EscPosEncoder(t20).text('last').feed(4).cut().encode());
    expect(p.current.lines).toEqual(['last', '']);
    p.setFault('paperOut', false);
    expect(p.receipts[0]?.lines).toEqual(['last', '', '', '']);

    const q = new EscPosPrinterEmulator(t20, { onRecovery: 'discard' });
    q.paperOutAfterLines(1);
    q.feed(new EscPosEncoder(t20).text('last').cut().encode());
    expect(q.current.lines).toEqual(['last']);
    q.setFault('paperOut', false);
    expect(q.receipts).toEqual([]); // the cut waited in the print buffer, and was dropped with it
  });

  it('a DLE EOT split across chunks, and across the moment the paper ran out, is answered once', () => {
    const p = new EscPosPrinterEmulator(t20);
    p.setFault('paperOut', true);
    expect(p.feed(Uint8Array.of(0x10))).toEqual(EMPTY);
    expect(p.feed(Uint8Array.of(0x04))).toEqual(EMPTY);
    expect([...p.feed(Uint8Array.of(0x04))]).toEqual([0x72]);

    const q = new EscPosPrinterEmulator(t20);
    expect(q.feed(Uint8Array.of(0x41, 0x10, 0x04))).toEqual(EMPTY);
    q.setFault('paperOut', true);
    expect([...q.feed(Uint8Array.of(0x04))]).toEqual([0x72]);
    expect(q.setFault('paperOut', false)).toEqual(EMPTY);
    expect([...q.feed(statusQuery(4))]).toEqual([0x12]);
  });

  it('the printed-up-to-here marker is answered only when printing reaches it', () => {
    const p = new EscPosPrinterEmulator(t20);
    p.setFault('paperOut', true);
    const job = new EscPosEncoder(t20).init().line('A').printedMarker(7).encode();
    expect(p.feed(job)).toEqual(EMPTY);
    const reply = p.setFault('paperOut', false);
    expect([...reply]).toEqual([0x37, 0x22, 0x30, 0x30, 0x30, 0x37, 0x00]);
    const s = new StatusStreamParser();
    expect(s.push(reply)).toEqual([{ kind: 'process-id', id: '0007' }]);

    const clone = new EscPosPrinterEmulator(PROFILES['clone-80']);
    clone.setFault('paperNearEnd', true);
    expect([...clone.feed(new EscPosEncoder(PROFILES['clone-80']).line('A').printedMarker(1).encode())]).toEqual([0x03]);
  });
});

describe('other faults', () => {
  it('cover open: offline, cover bit set, printing resumes when closed', () => {
    const p = new EscPosPrinterEmulator(t20);
    p.setFault('coverOpen', true);
    expect([...p.feed(statusQuery(2))]).toEqual([0x16]);
    expect([...p.feed(statusQuery(1))]).toEqual([0x1a]);
    p.feed(new EscPosEncoder(t20).line('after').encode());
    expect(p.current.lines).toEqual([]);
    p.setFault('coverOpen', false);
    expect(p.current.lines).toEqual(['after']);
    expect([...p.feed(statusQuery(2))]).toEqual([0x12]);
  });

  it('a drawer kick sent while the printer is stalled waits until the fault clears', () => {
    const p = new EscPosPrinterEmulator(t20);
    p.setFault('paperOut', true);
    p.feed(new EscPosEncoder(t20).drawer().encode());
    expect(p.drawerPulses).toEqual([]);
    expect(p.isDrawerOpen).toBe(false);
    p.setFault('paperOut', false);
    expect(p.drawerPulses).toHaveLength(1);
    expect(p.isDrawerOpen).toBe(true);
  });

  it('offline switch and paper near end', () => {
    const p = new EscPosPrinterEmulator(t20);
    p.setFault('paperNearEnd', true);
    expect([...p.feed(statusQuery(4))]).toEqual([0x1e]);
    p.feed(new EscPosEncoder(t20).line('still prints').encode());
    expect(p.current.lines).toEqual(['still prints']);
    p.setFault('offline', true);
    expect([...p.feed(statusQuery(1))]).toEqual([0x1a]);
  });

  it('cutter jam: autocutter error, the receipt stays uncut; DLE ENQ 1 recovers, DLE ENQ 2 also clears the buffer', () => {
    const p = new EscPosPrinterEmulator(t20);
    p.setFault('cutterJam', true);
    const next = new EscPosEncoder(t20).line('next receipt').encode();
    p.feed(receipt.bytes);
    p.feed(next);
    expect(p.receipts).toEqual([]);
    expect(p.current.lines).toEqual(expected);
    expect([...p.feed(statusQuery(3))]).toEqual([0x1a]);
    expect([...p.feed(statusQuery(1))]).toEqual([0x3e]); // offline, waiting for recovery, drawer (kicked by the receipt) open
    expect(p.feed(Uint8Array.of(0x10, 0x05, 0x01))).toEqual(EMPTY);
    expect([...p.feed(statusQuery(3))]).toEqual([0x12]);
    expect(p.current.lines.slice(-1)).toEqual(['next receipt']);

    const q = new EscPosPrinterEmulator(t20);
    q.setFault('cutterJam', true);
    q.feed(receipt.bytes);
    q.feed(next);
    q.feed(Uint8Array.of(0x10, 0x05, 0x02));
    expect(q.current.lines).toEqual(expected);
    expect(q.stats.discarded).toBeGreaterThan(0);
    expect(q.stalled).toBe(false);
  });

  it('ASB: a frame when enabled and on every change, readable by the status parser', () => {
    const p = new EscPosPrinterEmulator(t20);
    const s = new StatusStreamParser();
    expect(s.push(p.feed(asbEnable()))).toEqual([expect.objectContaining({ kind: 'asb', status: expect.objectContaining({ offline: false, paperOut: false }) })]);
    expect(s.push(p.setFault('paperNearEnd', true))).toEqual([expect.objectContaining({ status: expect.objectContaining({ paperNearEnd: true }) })]);
    expect(s.push(p.setFault('paperOut', true))).toEqual([expect.objectContaining({ status: expect.objectContaining({ paperOut: true, offline: true }) })]);
    expect(p.setFault('paperOut', true)).toEqual(EMPTY); // no change, no frame
    const kick = s.push(p.setFault('paperOut', false));
    expect(kick).toHaveLength(1);
    expect(s.push(p.feed(new EscPosEncoder(t20).drawer().encode()))).toEqual([expect.objectContaining({ status: expect.objectContaining({ drawerOpen: true }) })]);
    expect(s.push(p.closeDrawer())).toEqual([expect.objectContaining({ status: expect.objectContaining({ drawerOpen: false }) })]);
  });

  it('drawer polarity decides what pin 3 reports', () => {
    const high = new EscPosPrinterEmulator(t20);
    const low = new EscPosPrinterEmulator(t20, { drawerPolarity: 'open-when-low' });
    for (const p of [high, low]) p.feed(new EscPosEncoder(t20).drawer({ pin: 5 }).encode());
    expect([...high.feed(statusQuery(1))]).toEqual([0x16]);
    expect([...low.feed(statusQuery(1))]).toEqual([0x12]);
    expect(high.drawerPulses).toEqual([{ pin: 5, onMs: 50, offMs: 500, realtime: false }]);
  });

  it('XON/XOFF: XOFF when the receive buffer nearly fills while stalled, bytes beyond it lost, XON once drained', () => {
    const p = new EscPosPrinterEmulator(t20, { flowControl: 'xon-xoff', receiveBufferBytes: 512 });
    p.setFault('paperOut', true);
    const job = new EscPosEncoder(t20).line('x'.repeat(40)).encode();
    const out: number[] = [];
    for (let i = 0; i < 20; i++) out.push(...p.feed(job));
    expect(out).toEqual([XOFF]);
    expect(p.stats.lost).toBe(20 * job.length - 512);
    expect([...p.setFault('paperOut', false)]).toEqual([XON]);
  });

  it('garbage on the line: the printer keeps going and an ESC @ job after it prints clean', () => {
    let n = 0;
    const p = new EscPosPrinterEmulator(t20, {
      corruptIncoming: (c) => (n++ === 0 ? Uint8Array.from([0x1b, 0x99, 0x10, 0x42, 0xff, ...c]) : c),
    });
    p.feed(new EscPosEncoder(t20).line('first').encode());
    p.feed(receipt.bytes);
    expect(p.document.filter((d) => d.type === 'unknown').map((d) => d.type === 'unknown' && [...d.bytes])).toEqual([[0x1b, 0x99], [0x10]]);
    expect(p.receipts[0]?.lines.slice(-expected.length)).toEqual(expected);
    p.injectNoise([0xff]);
    expect([...p.feed(statusQuery(4))]).toEqual([0xff, 0x12]);
  });
});
