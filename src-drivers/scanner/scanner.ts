import type { DeviceConnection, StatusChange } from '../common/connection.js';
import type { DeviceStatus } from '../common/device.js';
import { Listeners } from '../transports/listeners.js';

export type Symbology =
  | 'ean13'
  | 'ean8'
  | 'upca'
  | 'upce'
  | 'code128'
  | 'gs1-128'
  | 'code39'
  | 'code93'
  | 'itf'
  | 'codabar'
  | 'gs1-databar'
  | 'pdf417'
  | 'datamatrix'
  | 'gs1-datamatrix'
  | 'qr'
  | 'gs1-qr'
  | 'aztec'
  | 'other';

export type ScanSource = 'serial' | 'hid' | 'wedge';

/** One decoded barcode, as the checkout takes it. */
export interface ScanEvent {
  /** The data, AIM identifier and framing stripped; GS (0x1D) kept where the symbol has FNC1. */
  code: string;
  /** From the AIM identifier; absent when the scanner sends none. */
  symbology?: Symbology;
  /** The AIM identifier as sent (`]d2`), to hand on with the code when it matters (GS1). */
  aim?: string;
  source: ScanSource;
  /** When the last byte of the scan arrived (epoch ms). */
  at: number;
}

/** What an assembler makes of the bytes: a scan (without source and time), or a counted drop. */
export interface DecodedScan {
  code: string;
  symbology?: Symbology;
  aim?: string;
}

export type ScanErrorKind = 'overlong' | 'garbage' | 'stale' | 'malformed' | 'interrupted';

export interface ScanError {
  kind: ScanErrorKind;
  message: string;
  /** Bytes thrown away. */
  bytes: number;
}

export type AssemblerOutput = { kind: 'scan'; scan: DecodedScan } | { kind: 'error'; error: ScanError };

/** Bytes (or HID reports) in, scans and counted errors out. Never throws. */
export interface ScanAssembler {
  push(chunk: Uint8Array, now: number): AssemblerOutput[];
  /** Forget a half-received scan (the line dropped); returns the bytes thrown away. */
  reset(): number;
}

export interface ScannerStats {
  scans: number;
  errors: Record<ScanErrorKind, number>;
}

/** A barcode scanner as the device manager sees it. */
export interface Scanner {
  readonly deviceId: string;
  readonly source: ScanSource;
  readonly status: DeviceStatus;
  readonly stats: Readonly<ScannerStats>;
  onScan(cb: (scan: ScanEvent) => void): () => void;
  /** Dropped input, for the log; never thrown. */
  onError(cb: (error: ScanError) => void): () => void;
  onStatus(cb: (s: StatusChange) => void): () => void;
  /** Stop listening to the connection (the connection itself belongs to its owner). */
  dispose(): void;
}

export function emptyStats(): ScannerStats {
  return { scans: 0, errors: { overlong: 0, garbage: 0, stale: 0, malformed: 0, interrupted: 0 } };
}

/** A scanner over a reconnecting connection whose bytes an assembler turns into scans. */
export class AssembledScanner implements Scanner {
  private readonly scans = new Listeners<ScanEvent>();
  private readonly errors = new Listeners<ScanError>();
  private readonly counts = emptyStats();
  private readonly detach: (() => void)[];

  constructor(
    readonly deviceId: string,
    readonly source: ScanSource,
    private readonly conn: DeviceConnection,
    private readonly assembler: ScanAssembler,
    private readonly now: () => number = Date.now,
  ) {
    this.detach = [
      conn.onData((chunk) => {
        const at = this.now();
        for (const out of this.assembler.push(chunk, at)) {
          if (out.kind === 'scan') {
            this.counts.scans++;
            this.scans.emit({ ...out.scan, source: this.source, at });
          } else this.error(out.error);
        }
      }),
      conn.onStatus((s) => {
        if (s.status === 'connected') return;
        // Whatever half a scan was on the line when it dropped can never be completed.
        const lost = this.assembler.reset();
        if (lost > 0) this.error({ kind: 'interrupted', bytes: lost, message: `connection ${s.status} in the middle of a scan` });
      }),
    ];
  }

  get status(): DeviceStatus {
    return this.conn.status;
  }

  get stats(): Readonly<ScannerStats> {
    return this.counts;
  }

  onScan(cb: (scan: ScanEvent) => void): () => void {
    return this.scans.add(cb);
  }

  onError(cb: (error: ScanError) => void): () => void {
    return this.errors.add(cb);
  }

  onStatus(cb: (s: StatusChange) => void): () => void {
    return this.conn.onStatus(cb);
  }

  dispose(): void {
    for (const d of this.detach.splice(0)) d();
  }

  private error(e: ScanError): void {
    this.counts.errors[e.kind]++;
    this.errors.emit(e);
  }
}
