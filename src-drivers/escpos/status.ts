import { DeviceError } from '../common/device.js';

/**
 * What an ESC/POS printer sends back, told apart by bit pattern (DEVICES.md §1):
 *
 *   DLE EOT reply          0xx1xx10   (b & 0x93) === 0x12   one byte per `10 04 n`, answered on receipt
 *   ASB first byte         0xx1xx00   (b & 0x93) === 0x10   then three bytes 0xx0xxxx
 *   GS r reply             0xx0xxxx   only when the driver asked for one
 *   process-ID response    37 22 d1 d2 d3 d4 00
 *   XON / XOFF             11 / 13
 *
 * XON/XOFF have bit 4 set, so they can never be an ASB tail byte: the parser lets them through
 * even in the middle of a frame.
 */
export const XON = 0x11;
export const XOFF = 0x13;

export type StatusQueryN = 1 | 2 | 3 | 4;

/** `DLE EOT n` */
export function statusQuery(n: StatusQueryN): Uint8Array {
  return Uint8Array.of(0x10, 0x04, n);
}

/** `GS a n`: Automatic Status Back for drawer (1), on/offline (2), errors (4), paper (8); 0 turns it off. */
export function asbEnable(mask = 0x0f): Uint8Array {
  return Uint8Array.of(0x1d, 0x61, mask & 0xff);
}

export const isRealtimeReply = (b: number): boolean => (b & 0x93) === 0x12;
export const isAsbHead = (b: number): boolean => (b & 0x93) === 0x10;
export const isAsbTail = (b: number): boolean => (b & 0x90) === 0x00;

/**
 * Pin 3 of the drawer connector reports the drawer switch; whether "high" means open depends on the
 * drawer, so it is a device setting.
 */
export type DrawerPolarity = 'open-when-high' | 'open-when-low';

export interface StatusOptions {
  drawerPolarity?: DrawerPolarity;
}

export interface PrinterErrors {
  mechanical: boolean;
  autocutter: boolean;
  unrecoverable: boolean;
  autoRecoverable: boolean;
}

export type RealtimeStatus =
  | { n: 1; drawerOpen: boolean; offline: boolean; waitingForRecovery: boolean; feedButton: boolean }
  | { n: 2; coverOpen: boolean; feedButton: boolean; stoppedByPaperEnd: boolean; error: boolean }
  | { n: 3; errors: PrinterErrors }
  | { n: 4; paperNearEnd: boolean; paperOut: boolean };

export interface AsbStatus {
  drawerOpen: boolean;
  offline: boolean;
  coverOpen: boolean;
  feedButton: boolean;
  errors: PrinterErrors;
  paperNearEnd: boolean;
  paperOut: boolean;
}

const bit = (b: number, n: number): boolean => ((b >> n) & 1) === 1;

function drawerOpenFromPin(high: boolean, polarity: DrawerPolarity): boolean {
  return polarity === 'open-when-high' ? high : !high;
}

/** One `DLE EOT n` reply; null when the byte is not shaped like one. */
export function parseRealtimeStatus(n: StatusQueryN, byte: number, opts: StatusOptions = {}): RealtimeStatus | null {
  if (!isRealtimeReply(byte)) return null;
  switch (n) {
    case 1:
      return {
        n,
        drawerOpen: drawerOpenFromPin(bit(byte, 2), opts.drawerPolarity ?? 'open-when-high'),
        offline: bit(byte, 3),
        waitingForRecovery: bit(byte, 5),
        feedButton: bit(byte, 6),
      };
    case 2:
      return { n, coverOpen: bit(byte, 2), feedButton: bit(byte, 3), stoppedByPaperEnd: bit(byte, 5), error: bit(byte, 6) };
    case 3:
      return { n, errors: { mechanical: bit(byte, 2), autocutter: bit(byte, 3), unrecoverable: bit(byte, 5), autoRecoverable: bit(byte, 6) } };
    case 4:
      return { n, paperNearEnd: (byte & 0x0c) !== 0, paperOut: (byte & 0x60) !== 0 };
  }
}

/** A 4-byte ASB frame; null when it is not shaped like one. */
export function parseAsb(frame: ArrayLike<number>, opts: StatusOptions = {}): AsbStatus | null {
  const [b1, b2, b3, b4] = [frame[0] ?? -1, frame[1] ?? -1, frame[2] ?? -1, frame[3] ?? -1];
  if (frame.length !== 4 || !isAsbHead(b1) || !isAsbTail(b2) || !isAsbTail(b3) || !isAsbTail(b4)) return null;
  return {
    drawerOpen: drawerOpenFromPin(bit(b1, 2), opts.drawerPolarity ?? 'open-when-high'),
    offline: bit(b1, 3),
    coverOpen: bit(b1, 5),
    feedButton: bit(b1, 6),
    errors: { mechanical: bit(b2, 2), autocutter: bit(b2, 3), unrecoverable: bit(b2, 5), autoRecoverable: bit(b2, 6) },
    paperNearEnd: (b3 & 0x03) !== 0,
    paperOut: (b3 & 0x0c) !== 0,
  };
}

/** The byte `GS r 1` answers: paper near end in bits 0-1, paper end in bits 2-3. */
export function parsePaperSensor(byte: number): { paperNearEnd: boolean; paperOut: boolean } | null {
  if (!isAsbTail(byte)) return null;
  return { paperNearEnd: (byte & 0x03) !== 0, paperOut: (byte & 0x0c) !== 0 };
}

/** What the till knows about the printer; null = not reported yet. */
export interface PrinterStatus {
  online: boolean | null;
  drawerOpen: boolean | null;
  coverOpen: boolean | null;
  paperNearEnd: boolean | null;
  paperOut: boolean | null;
  errors: { [K in keyof PrinterErrors]: boolean | null };
}

export const UNKNOWN_STATUS: PrinterStatus = {
  online: null,
  drawerOpen: null,
  coverOpen: null,
  paperNearEnd: null,
  paperOut: null,
  errors: { mechanical: null, autocutter: null, unrecoverable: null, autoRecoverable: null },
};

/** Fold one reply or frame into what is known. */
export function applyStatus(prev: PrinterStatus, s: RealtimeStatus | AsbStatus): PrinterStatus {
  if (!('n' in s)) {
    return {
      online: !s.offline,
      drawerOpen: s.drawerOpen,
      coverOpen: s.coverOpen,
      paperNearEnd: s.paperNearEnd,
      paperOut: s.paperOut,
      errors: { ...s.errors },
    };
  }
  switch (s.n) {
    case 1:
      return { ...prev, online: !s.offline, drawerOpen: s.drawerOpen };
    case 2:
      return { ...prev, coverOpen: s.coverOpen, paperOut: s.stoppedByPaperEnd ? true : prev.paperOut };
    case 3:
      return { ...prev, errors: { ...s.errors } };
    case 4:
      return { ...prev, paperNearEnd: s.paperNearEnd, paperOut: s.paperOut };
  }
}

export type StatusProblem = 'paper_out' | 'cover_open' | 'error' | 'offline';

/** The one thing to tell the cashier, most specific first; null when the printer can print. */
export function statusProblem(s: PrinterStatus): StatusProblem | null {
  if (s.paperOut) return 'paper_out';
  if (s.coverOpen) return 'cover_open';
  if (Object.values(s.errors).some((e) => e === true)) return 'error';
  if (s.online === false) return 'offline';
  return null;
}

export function statusError(s: PrinterStatus): DeviceError | null {
  const p = statusProblem(s);
  switch (p) {
    case null:
      return null;
    case 'paper_out':
      return new DeviceError('paper_out', 'printer is out of paper');
    case 'cover_open':
      return new DeviceError('cover_open', 'printer cover is open');
    case 'error': {
      const which = Object.entries(s.errors)
        .filter(([, v]) => v === true)
        .map(([k]) => k);
      return new DeviceError('offline', `printer error: ${which.join(', ')}`);
    }
    case 'offline':
      return new DeviceError('offline', 'printer is offline');
  }
}

/** The emulator's side of the same bit layout. */
export function encodeRealtimeStatus(
  n: StatusQueryN,
  s: {
    drawerPinHigh?: boolean;
    offline?: boolean;
    waitingForRecovery?: boolean;
    feedButton?: boolean;
    coverOpen?: boolean;
    stoppedByPaperEnd?: boolean;
    error?: boolean;
    errors?: Partial<PrinterErrors>;
    paperNearEnd?: boolean;
    paperOut?: boolean;
  },
): number {
  const f = (on: boolean | undefined, mask: number): number => (on ? mask : 0);
  switch (n) {
    case 1:
      return 0x12 | f(s.drawerPinHigh, 0x04) | f(s.offline, 0x08) | f(s.waitingForRecovery, 0x20) | f(s.feedButton, 0x40);
    case 2:
      return 0x12 | f(s.coverOpen, 0x04) | f(s.feedButton, 0x08) | f(s.stoppedByPaperEnd, 0x20) | f(s.error, 0x40);
    case 3:
      return 0x12 | f(s.errors?.mechanical, 0x04) | f(s.errors?.autocutter, 0x08) | f(s.errors?.unrecoverable, 0x20) | f(s.errors?.autoRecoverable, 0x40);
    case 4:
      return 0x12 | f(s.paperNearEnd, 0x0c) | f(s.paperOut, 0x60);
  }
}

export function encodeAsb(s: Omit<AsbStatus, 'drawerOpen'> & { drawerPinHigh: boolean }): Uint8Array {
  const f = (on: boolean, mask: number): number => (on ? mask : 0);
  return Uint8Array.of(
    0x10 | f(s.drawerPinHigh, 0x04) | f(s.offline, 0x08) | f(s.coverOpen, 0x20) | f(s.feedButton, 0x40),
    f(s.errors.mechanical, 0x04) | f(s.errors.autocutter, 0x08) | f(s.errors.unrecoverable, 0x20) | f(s.errors.autoRecoverable, 0x40),
    f(s.paperNearEnd, 0x03) | f(s.paperOut, 0x0c),
    0x00,
  );
}

export type StatusEvent =
  /** `query` is the `n` this reply answers (the oldest unanswered `expectRealtime`), null if none was pending. */
  | { kind: 'realtime'; byte: number; query: StatusQueryN | null; status: RealtimeStatus | null }
  | { kind: 'asb'; bytes: Uint8Array; status: AsbStatus }
  | { kind: 'transmit-status'; byte: number }
  | { kind: 'process-id'; id: string }
  | { kind: 'xoff' }
  | { kind: 'xon' }
  | { kind: 'unknown'; byte: number };

/**
 * Turns the printer's byte stream into events, whatever the chunking. Replies carry no tag, so
 * the driver says what it asked: `expectRealtime(n)` when it writes `10 04 n`, `expectTransmitStatus()`
 * when it writes `GS r`. DLE EOT replies come back in order among themselves, GS r replies among
 * themselves; the two kinds are told apart by bit 4.
 */
export class StatusStreamParser {
  private readonly realtimeQueue: StatusQueryN[] = [];
  private transmitPending = 0;
  private frame: number[] = [];
  private frameKind: 'asb' | 'process-id' | null = null;

  constructor(private readonly opts: StatusOptions = {}) {}

  expectRealtime(n: StatusQueryN): void {
    this.realtimeQueue.push(n);
  }

  expectTransmitStatus(): void {
    this.transmitPending++;
  }

  /** Queries sent and not yet answered (a printer that never answers is the caller's timeout). */
  get pending(): { realtime: readonly StatusQueryN[]; transmitStatus: number } {
    return { realtime: [...this.realtimeQueue], transmitStatus: this.transmitPending };
  }

  /** Forget unanswered queries, e.g. after a reconnect. */
  reset(): void {
    this.realtimeQueue.length = 0;
    this.transmitPending = 0;
    this.frame = [];
    this.frameKind = null;
  }

  push(chunk: Uint8Array): StatusEvent[] {
    const out: StatusEvent[] = [];
    for (const b of chunk) this.byte(b, out);
    return out;
  }

  /** A partial frame left at the end of the stream, reported byte by byte as unknown. */
  flush(): StatusEvent[] {
    const out: StatusEvent[] = this.frame.map((byte) => ({ kind: 'unknown', byte }) as const);
    this.frame = [];
    this.frameKind = null;
    return out;
  }

  private byte(b: number, out: StatusEvent[]): void {
    if (b === XOFF || b === XON) {
      out.push({ kind: b === XOFF ? 'xoff' : 'xon' });
      return;
    }
    if (this.frameKind === 'asb') {
      if (isAsbTail(b)) {
        this.frame.push(b);
        if (this.frame.length === 4) {
          const bytes = Uint8Array.from(this.frame);
          this.frame = [];
          this.frameKind = null;
          const status = parseAsb(bytes, this.opts);
          if (status) out.push({ kind: 'asb', bytes, status });
        }
        return;
      }
      out.push(...this.flush());
    } else if (this.frameKind === 'process-id') {
      const at = this.frame.length;
      const fits = at === 1 ? b === 0x22 : at < 6 ? b >= 0x30 && b <= 0x39 : b === 0x00;
      if (fits) {
        this.frame.push(b);
        if (this.frame.length === 7) {
          const id = String.fromCharCode(...this.frame.slice(2, 6));
          this.frame = [];
          this.frameKind = null;
          out.push({ kind: 'process-id', id });
        }
        return;
      }
      out.push(...this.flush());
    }
    if (isRealtimeReply(b)) {
      const query = this.realtimeQueue.shift() ?? null;
      out.push({ kind: 'realtime', byte: b, query, status: query === null ? null : parseRealtimeStatus(query, b, this.opts) });
    } else if (isAsbHead(b)) {
      this.frame = [b];
      this.frameKind = 'asb';
    } else if (b === 0x37) {
      this.frame = [b];
      this.frameKind = 'process-id';
    } else if (isAsbTail(b) && this.transmitPending > 0) {
      this.transmitPending--;
      out.push({ kind: 'transmit-status', byte: b });
    } else {
      out.push({ kind: 'unknown', byte: b });
    }
  }
}
