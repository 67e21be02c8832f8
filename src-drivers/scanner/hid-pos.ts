import type { DeviceConnection } from '../common/connection.js';
import { AssembledScanner, type AssemblerOutput, type ScanAssembler, type ScanError } from './scanner.js';
import { decodeScanBytes, symbologyFromAim } from './symbology.js';

/**
 * USB HID POS scanners (usage page 0x8C, Bar Code Scanner 0x02), "Scanned Data Report" as input
 * report 2. Layout, from the Access-IS ATR110/LSR116/LSR118 manuals, which match DEVICES.md's
 * "typically" line for Honeywell:
 *
 *   [0] report ID 0x02   [1] data length in this report (0-56)   [2..4] AIM identifier (`]Q0`)
 *   [5..60] data, zero padded   [61] further (vendor) symbology id   [62] reserved
 *   [63] bit 0: more data follows in the next report
 *
 * Every report of a split scan repeats the AIM identifier. **Unverified** for other vendors
 * (Zebra, Datalogic, Newland): the length and flag positions may differ, hence `HidPosLayout`.
 * node-hid hands over one report per `data` event, with the report ID first on Linux (hidraw)
 * and Windows; whether macOS strips it is **unverified**, so 'auto' accepts a 63-byte report
 * without it.
 */
export interface HidPosLayout {
  reportId: number;
  reportIdIncluded: boolean | 'auto';
  /** Data bytes one report carries. */
  dataCapacity: number;
}

export const HID_POS_USAGE_PAGE = 0x8c;
export const HID_POS_USAGE_SCANNER = 0x02;
export const DEFAULT_HID_POS_LAYOUT: HidPosLayout = { reportId: 0x02, reportIdIncluded: 'auto', dataCapacity: 56 };

/** Header after the report ID: length byte and three AIM bytes. */
const HEADER = 4;
/** Trailer: further symbology id, reserved, flags. */
const TRAILER = 3;

export interface HidPosReport {
  aim?: string;
  data: Uint8Array;
  /** More of this scan follows in the next report. */
  more: boolean;
  /** Vendor's own symbology id (Honeywell code id), 0 when none. */
  vendorId: number;
}

export type HidReportParse = { ok: true; report: HidPosReport } | { ok: false; reason: 'other_report' | 'malformed'; message: string };

export function parseHidPosReport(report: Uint8Array, layout: HidPosLayout = DEFAULT_HID_POS_LAYOUT): HidReportParse {
  const full = 1 + HEADER + layout.dataCapacity + TRAILER;
  let h: number;
  if (layout.reportIdIncluded === true) h = 1;
  else if (layout.reportIdIncluded === false) h = 0;
  else h = report.length === full - 1 ? 0 : 1;
  if (h === 1 && report[0] !== layout.reportId) {
    return { ok: false, reason: 'other_report', message: `report ${report[0] ?? '(empty)'} is not a scanned data report` };
  }
  if (report.length < h + HEADER) return { ok: false, reason: 'malformed', message: `a ${report.length}-byte report is too short` };
  const len = report[h] ?? 0;
  if (len > layout.dataCapacity || h + HEADER + len > report.length) {
    return { ok: false, reason: 'malformed', message: `data length ${len} does not fit a ${report.length}-byte report` };
  }
  const a = report.subarray(h + 1, h + HEADER);
  const aim = a[0] === 0x5d && a.every((b) => b >= 0x21 && b < 0x7f) ? String.fromCharCode(...a) : undefined;
  // A short report has no trailer: only a full-size one can say "more follows".
  const fullSize = report.length >= h + HEADER + layout.dataCapacity + TRAILER;
  const trailer = h + HEADER + layout.dataCapacity;
  const out: HidPosReport = {
    data: report.slice(h + HEADER, h + HEADER + len),
    more: fullSize ? ((report[trailer + 2] ?? 0) & 0x01) === 1 : false,
    vendorId: fullSize ? (report[trailer] ?? 0) : 0,
  };
  if (aim) out.aim = aim;
  return { ok: true, report: out };
}

export interface HidPosAssemblerOptions {
  layout?: Partial<HidPosLayout>;
  /** Longest scan accepted, in bytes. */
  maxLength?: number;
  /** The next report of a split scan must come within this long. */
  staleAfterMs?: number;
}

/** Joins the reports of one scan (continuation flag) into a code; reports of other IDs are ignored. */
export class HidPosAssembler implements ScanAssembler {
  private readonly layout: HidPosLayout;
  private readonly maxLength: number;
  private readonly staleAfterMs: number;
  private parts: Uint8Array[] = [];
  private size = 0;
  private aim: string | undefined;
  private discarding = false;
  private lastAt = Number.NEGATIVE_INFINITY;
  /** Reports that were not scanned-data reports. */
  ignored = 0;

  constructor(opts: HidPosAssemblerOptions = {}) {
    this.layout = { ...DEFAULT_HID_POS_LAYOUT, ...opts.layout };
    this.maxLength = opts.maxLength ?? 4_096;
    this.staleAfterMs = opts.staleAfterMs ?? 1_000;
  }

  push(raw: Uint8Array, now: number): AssemblerOutput[] {
    const out: AssemblerOutput[] = [];
    const busy = this.parts.length > 0 || this.discarding;
    if (busy && now - this.lastAt > this.staleAfterMs) {
      out.push(err('stale', this.reset(), 'the rest of a split scan never came'));
    }
    this.lastAt = now;
    const parsed = parseHidPosReport(raw, this.layout);
    if (!parsed.ok) {
      if (parsed.reason === 'other_report') {
        this.ignored++;
        return out;
      }
      const lost = this.reset();
      out.push(err('malformed', lost + raw.length, parsed.message));
      return out;
    }
    const r = parsed.report;
    if (this.parts.length > 0 && r.aim !== this.aim) {
      out.push(err('interrupted', this.reset(), `a ${r.aim ?? 'new'} scan began before the ${this.aim ?? 'previous'} one ended`));
    }
    if (this.discarding) {
      if (!r.more) this.discarding = false;
      return out;
    }
    if (this.parts.length === 0) this.aim = r.aim;
    this.parts.push(r.data);
    this.size += r.data.length;
    if (this.size > this.maxLength) {
      out.push(err('overlong', this.reset(), `a scan longer than ${this.maxLength} bytes`));
      this.discarding = r.more;
      return out;
    }
    if (r.more) return out;
    const bytes = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) {
      bytes.set(p, o);
      o += p.length;
    }
    const aim = this.aim;
    this.reset();
    // A scanner set to add its keyboard suffix adds it here too.
    const code = decodeScanBytes(bytes).replace(/[\r\n]+$/, '');
    if (code.length === 0) {
      if (aim) out.push(err('malformed', bytes.length, `a ${aim} scan with no data`));
      return out;
    }
    const symbology = aim ? symbologyFromAim(aim, code) : undefined;
    out.push({ kind: 'scan', scan: { code, ...(aim ? { aim } : {}), ...(symbology ? { symbology } : {}) } });
    return out;
  }

  reset(): number {
    const lost = this.size;
    this.parts = [];
    this.size = 0;
    this.aim = undefined;
    this.discarding = false;
    return lost;
  }
}

export interface HidPosScannerOptions extends HidPosAssemblerOptions {
  now?: () => number;
}

/** A HID POS scanner: each `data` chunk of the connection is one input report (HidScannerTransport). */
export class HidPosScanner extends AssembledScanner {
  constructor(deviceId: string, conn: DeviceConnection, opts: HidPosScannerOptions = {}) {
    super(deviceId, 'hid', conn, new HidPosAssembler(opts), opts.now);
  }
}

function err(kind: ScanError['kind'], bytes: number, message: string): AssemblerOutput {
  return { kind: 'error', error: { kind, bytes, message } };
}
