import { DEFAULT_HID_POS_LAYOUT, HID_POS_USAGE_PAGE, HID_POS_USAGE_SCANNER, type HidPosLayout } from '../../scanner/hid-pos.js';
import type { NodeHidDevice, NodeHidDeviceInfo, NodeHidModule } from '../../scanner/hid-transport.js';
import { Listeners } from '../../transports/listeners.js';

export interface HidReportOptions {
  /** AIM identifier repeated in every report (`]d2`); none: zeros. */
  aim?: string;
  layout?: Partial<Pick<HidPosLayout, 'reportId' | 'dataCapacity'>>;
  /** Put the report ID first, as node-hid does on Linux and Windows (default true). */
  includeReportId?: boolean;
  /** Vendor symbology byte (Honeywell code id) in byte 61. */
  vendorId?: number;
}

/**
 * The input reports a HID POS scanner sends for one code (layout in scanner/hid-pos.ts): the data
 * in slices of `dataCapacity`, every report but the last with the "more" bit set.
 */
export function hidPosReports(code: string | Uint8Array, opts: HidReportOptions = {}): Uint8Array[] {
  const layout = { ...DEFAULT_HID_POS_LAYOUT, ...opts.layout };
  const data = typeof code === 'string' ? new TextEncoder().encode(code) : code;
  const aim = new TextEncoder().encode((opts.aim ?? '').slice(0, 3).padEnd(3, '\0'));
  const withId = opts.includeReportId ?? true;
  const h = withId ? 1 : 0;
  const size = h + 4 + layout.dataCapacity + 3;
  const reports: Uint8Array[] = [];
  for (let i = 0; i === 0 || i < data.length; i += layout.dataCapacity) {
    const part = data.subarray(i, i + layout.dataCapacity);
    const r = new Uint8Array(size);
    if (withId) r[0] = layout.reportId;
    r[h] = part.length;
    r.set(aim, h + 1);
    r.set(part, h + 4);
    r[h + 4 + layout.dataCapacity] = opts.vendorId ?? 0;
    r[size - 1] = i + layout.dataCapacity < data.length ? 0x01 : 0x00;
    reports.push(r);
  }
  return reports;
}

/** One opened handle of the emulated scanner, shaped like node-hid's HIDAsync. */
class EmulatedHidDevice implements NodeHidDevice {
  readonly reports = new Listeners<Uint8Array>();
  readonly errors = new Listeners<unknown>();
  private offs: (() => void)[] = [];
  open = true;
  written: number[][] = [];

  on(event: 'data', cb: (report: Uint8Array) => void): this;
  on(event: 'error', cb: (err: unknown) => void): this;
  on(event: 'data' | 'error', cb: (value: Uint8Array) => void): this {
    this.offs.push(event === 'data' ? this.reports.add(cb) : this.errors.add(cb as (err: unknown) => void));
    return this;
  }

  removeAllListeners(): this {
    for (const off of this.offs.splice(0)) off();
    return this;
  }

  async write(values: number[]): Promise<number> {
    if (!this.open) throw new Error('could not write to HID device');
    this.written.push(values);
    return values.length;
  }

  async close(): Promise<void> {
    this.open = false;
  }
}

/**
 * A HID POS scanner behind a fake node-hid module: hand `module` to HidScannerTransport's `load`,
 * then `scan()` sends reports and `unplug()`/`plug()` pull and return the cable.
 */
export class HidScannerEmulator {
  private plugged = true;
  private handle: EmulatedHidDevice | null = null;
  readonly info: NodeHidDeviceInfo;

  constructor(info: Partial<NodeHidDeviceInfo> = {}) {
    this.info = { vendorId: 0x0c2e, productId: 0x0b61, path: '/dev/hidraw-emulated', usagePage: HID_POS_USAGE_PAGE, usage: HID_POS_USAGE_SCANNER, ...info };
  }

  readonly module: NodeHidModule = {
    devicesAsync: async () => (this.plugged ? [{ ...this.info }] : []),
    HIDAsync: {
      open: async (path: string) => {
        if (!this.plugged || path !== this.info.path) throw new Error(`cannot open device with path ${path}`);
        this.handle = new EmulatedHidDevice();
        return this.handle;
      },
    },
  };

  get isOpen(): boolean {
    return this.handle?.open ?? false;
  }

  /** Output reports the host wrote. */
  get written(): number[][] {
    return this.handle?.written ?? [];
  }

  /** Send these reports as they are (a test's own, or garbage). */
  sendReports(reports: readonly Uint8Array[]): void {
    const h = this.handle;
    if (!h?.open) return;
    for (const r of reports) h.reports.emit(r);
  }

  /** Scan a code: its reports go to whoever has the device open. */
  scan(code: string | Uint8Array, opts: HidReportOptions = {}): Uint8Array[] {
    const reports = hidPosReports(code, opts);
    this.sendReports(reports);
    return reports;
  }

  unplug(): void {
    this.plugged = false;
    const h = this.handle;
    this.handle = null;
    if (h?.open) h.errors.emit(new Error('could not read from HID device'));
  }

  plug(): void {
    this.plugged = true;
  }
}
