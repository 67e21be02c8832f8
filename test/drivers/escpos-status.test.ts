import { describe, expect, it } from 'vitest';
import {
  applyStatus,
  asbEnable,
  encodeAsb,
  parseAsb,
  parsePaperSensor,
  parseRealtimeStatus,
  statusError,
  statusProblem,
  statusQuery,
  StatusStreamParser,
  UNKNOWN_STATUS,
  XOFF,
  XON,
  type StatusEvent,
} from '../../src-drivers/escpos/status.js';

const NO_ERRORS = { mechanical: false, autocutter: false, unrecoverable: false, autoRecoverable: false };

describe('DLE EOT replies', () => {
  it('queries are 10 04 n', () => {
    expect([...statusQuery(4)]).toEqual([0x10, 0x04, 0x04]);
    expect([...asbEnable()]).toEqual([0x1d, 0x61, 0x0f]);
  });

  it('n=4 paper: adequate 12, near end 1E, out 72 (DEVICES.md)', () => {
    expect(parseRealtimeStatus(4, 0x12)).toEqual({ n: 4, paperNearEnd: false, paperOut: false });
    expect(parseRealtimeStatus(4, 0x1e)).toEqual({ n: 4, paperNearEnd: true, paperOut: false });
    expect(parseRealtimeStatus(4, 0x72)).toEqual({ n: 4, paperNearEnd: false, paperOut: true });
  });

  it('n=1 offline and drawer, with configurable polarity', () => {
    expect(parseRealtimeStatus(1, 0x16)).toMatchObject({ drawerOpen: true, offline: false });
    expect(parseRealtimeStatus(1, 0x16, { drawerPolarity: 'open-when-low' })).toMatchObject({ drawerOpen: false });
    expect(parseRealtimeStatus(1, 0x1a)).toMatchObject({ offline: true, drawerOpen: false });
  });

  it('n=2 cover open and paper-end stop; n=3 error causes', () => {
    expect(parseRealtimeStatus(2, 0x16)).toEqual({ n: 2, coverOpen: true, feedButton: false, stoppedByPaperEnd: false, error: false });
    expect(parseRealtimeStatus(2, 0x32)).toMatchObject({ stoppedByPaperEnd: true });
    expect(parseRealtimeStatus(3, 0x1a)).toEqual({ n: 3, errors: { ...NO_ERRORS, autocutter: true } });
    expect(parseRealtimeStatus(3, 0x76)).toEqual({ n: 3, errors: { mechanical: true, autocutter: false, unrecoverable: true, autoRecoverable: true } });
  });

  it('GS r 1 paper sensor bytes', () => {
    expect(parsePaperSensor(0x00)).toEqual({ paperNearEnd: false, paperOut: false });
    expect(parsePaperSensor(0x03)).toEqual({ paperNearEnd: true, paperOut: false });
    expect(parsePaperSensor(0x0c)).toEqual({ paperNearEnd: false, paperOut: true });
    expect(parsePaperSensor(0x12)).toBeNull();
  });

  it('rejects bytes that are not shaped 0xx1xx10', () => {
    for (const b of [0x00, 0x10, 0x13, 0x11, 0x92, 0x37, 0xff]) expect(parseRealtimeStatus(1, b)).toBeNull();
  });

  it('folds into a status and names the problem', () => {
    let s = UNKNOWN_STATUS;
    expect(statusProblem(s)).toBeNull();
    s = applyStatus(s, parseRealtimeStatus(4, 0x72)!);
    expect(statusProblem(s)).toBe('paper_out');
    expect(statusError(s)?.code).toBe('paper_out');
    s = applyStatus(s, parseRealtimeStatus(4, 0x12)!);
    s = applyStatus(s, parseRealtimeStatus(2, 0x16)!);
    expect(statusError(s)?.code).toBe('cover_open');
    s = applyStatus(applyStatus(s, parseRealtimeStatus(2, 0x12)!), parseRealtimeStatus(3, 0x1a)!);
    expect(statusProblem(s)).toBe('error');
    expect(statusError(s)?.message).toMatch(/autocutter/);
    s = applyStatus(applyStatus(s, parseRealtimeStatus(3, 0x12)!), parseRealtimeStatus(1, 0x1a)!);
    expect(statusError(s)?.code).toBe('offline');
    s = applyStatus(s, parseRealtimeStatus(1, 0x12)!);
    expect(statusError(s)).toBeNull();
  });
});

describe('Automatic Status Back', () => {
  it('round-trips a frame and refuses malformed ones', () => {
    const frame = encodeAsb({ drawerPinHigh: false, offline: true, coverOpen: true, feedButton: false, errors: { ...NO_ERRORS, autocutter: true }, paperNearEnd: true, paperOut: false });
    expect([...frame]).toEqual([0x38, 0x08, 0x03, 0x00]);
    expect(parseAsb(frame)).toEqual({ drawerOpen: false, offline: true, coverOpen: true, feedButton: false, errors: { ...NO_ERRORS, autocutter: true }, paperNearEnd: true, paperOut: false });
    expect(parseAsb([0x10, 0x00, 0x0c, 0x00])).toMatchObject({ paperOut: true, offline: false });
    expect(parseAsb([0x12, 0, 0, 0])).toBeNull();
    expect(parseAsb([0x10, 0x10, 0, 0])).toBeNull();
    expect(parseAsb([0x10, 0, 0])).toBeNull();
    expect(applyStatus(UNKNOWN_STATUS, parseAsb([0x10, 0x00, 0x0c, 0x00])!)).toMatchObject({ online: true, paperOut: true, coverOpen: false });
  });
});

describe('the status stream parser', () => {
  const kinds = (evs: StatusEvent[]): string[] => evs.map((e) => e.kind);

  it('tells DLE EOT replies, ASB frames, XON and XOFF apart by bit pattern', () => {
    const p = new StatusStreamParser();
    p.expectRealtime(4);
    p.expectRealtime(1);
    const evs = p.push(Uint8Array.of(0x72, XOFF, 0x10, 0x00, 0x0c, 0x00, 0x12, XON));
    expect(kinds(evs)).toEqual(['realtime', 'xoff', 'asb', 'realtime', 'xon']);
    expect(evs[0]).toMatchObject({ query: 4, status: { n: 4, paperOut: true } });
    expect(evs[2]).toMatchObject({ status: { paperOut: true } });
    expect(evs[3]).toMatchObject({ query: 1, status: { n: 1, offline: false } });
  });

  it('reassembles frames split across chunks, byte by byte', () => {
    const stream = Uint8Array.of(0x1e, 0x18, 0x00, 0x03, 0x00, 0x37, 0x22, 0x30, 0x30, 0x34, 0x32, 0x00, 0x16);
    const p = new StatusStreamParser();
    p.expectRealtime(4);
    p.expectRealtime(2);
    const evs = [...stream].flatMap((b) => p.push(Uint8Array.of(b)));
    expect(kinds(evs)).toEqual(['realtime', 'asb', 'process-id', 'realtime']);
    expect(evs[0]).toMatchObject({ status: { paperNearEnd: true, paperOut: false } });
    expect(evs[1]).toMatchObject({ status: { offline: true, paperNearEnd: true } });
    expect(evs[2]).toEqual({ kind: 'process-id', id: '0042' });
    expect(evs[3]).toMatchObject({ query: 2, status: { coverOpen: true } });
  });

  it('lets XOFF through in the middle of an ASB frame', () => {
    const p = new StatusStreamParser();
    const evs = [...p.push(Uint8Array.of(0x10, 0x00)), ...p.push(Uint8Array.of(XOFF, 0x0c)), ...p.push(Uint8Array.of(0x00))];
    expect(kinds(evs)).toEqual(['xoff', 'asb']);
  });

  it('an unsolicited reply (clone reading 10 04 n in image data) has no query', () => {
    const p = new StatusStreamParser();
    const [e] = p.push(Uint8Array.of(0x12));
    expect(e).toEqual({ kind: 'realtime', byte: 0x12, query: null, status: null });
  });

  it('GS r replies only when asked for; garbage is reported, not swallowed', () => {
    const p = new StatusStreamParser();
    expect(kinds(p.push(Uint8Array.of(0x0c)))).toEqual(['unknown']);
    p.expectTransmitStatus();
    expect(p.push(Uint8Array.of(0x0c))).toEqual([{ kind: 'transmit-status', byte: 0x0c }]);
    // A broken ASB frame gives its bytes back as unknown and the next reply still parses.
    p.expectRealtime(4);
    const evs = p.push(Uint8Array.of(0x10, 0x00, 0x72));
    expect(kinds(evs)).toEqual(['unknown', 'unknown', 'realtime']);
    expect(evs[2]).toMatchObject({ query: 4, status: { paperOut: true } });
    expect(p.pending).toEqual({ realtime: [], transmitStatus: 0 });
  });

  it('flush reports a frame left incomplete; reset forgets queries', () => {
    const p = new StatusStreamParser();
    expect(p.push(Uint8Array.of(0x10, 0x00))).toEqual([]);
    expect(p.flush()).toEqual([
      { kind: 'unknown', byte: 0x10 },
      { kind: 'unknown', byte: 0x00 },
    ]);
    p.expectRealtime(1);
    p.reset();
    expect(p.push(Uint8Array.of(0x12))[0]).toMatchObject({ query: null });
  });
});
