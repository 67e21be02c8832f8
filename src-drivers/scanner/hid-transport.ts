import { DeviceError, type Transport } from '../common/device.js';
import { Listeners } from '../transports/listeners.js';
import { HID_POS_USAGE_PAGE, HID_POS_USAGE_SCANNER } from './hid-pos.js';

/**
 * The part of node-hid 3.x this transport uses, declared here so nothing needs the optional package
 * to compile; test/drivers/native-modules.test.ts checks that the real module fits it.
 */
export interface NodeHidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
  interface?: number;
  usagePage?: number;
  usage?: number;
}

export interface NodeHidDevice {
  on(event: 'data', cb: (report: Uint8Array) => void): unknown;
  on(event: 'error', cb: (err: unknown) => void): unknown;
  removeAllListeners(event?: string): unknown;
  write(values: number[]): Promise<number>;
  close(): Promise<void>;
}

export interface NodeHidModule {
  devicesAsync(): Promise<NodeHidDeviceInfo[]>;
  HIDAsync: { open(path: string): Promise<NodeHidDevice> };
}

export interface HidScannerSelector {
  /** The OS path (hidraw node on Linux); otherwise the first HID POS scanner matching the rest. */
  path?: string;
  vendorId?: number;
  productId?: number;
  serialNumber?: string;
}

export interface HidScannerTransportOptions extends HidScannerSelector {
  /** Where node-hid comes from; tests pass an emulator. */
  load?: () => Promise<NodeHidModule>;
}

// A variable, so neither the compiler nor a bundler goes looking for the optional package.
const NODE_HID = 'node-hid';
let loaded: Promise<NodeHidModule> | null = null;

/**
 * node-hid is native and optional: loaded on first use; where it is missing, HID scanners are
 * unsupported. `moduleName` exists for tests of that path.
 */
export function loadNodeHid(moduleName: string = NODE_HID): Promise<NodeHidModule> {
  if (moduleName !== NODE_HID) return importNodeHid(moduleName);
  loaded ??= importNodeHid(NODE_HID).catch((e: unknown) => {
    loaded = null;
    throw e;
  });
  return loaded;
}

function importNodeHid(name: string): Promise<NodeHidModule> {
  return (import(name) as Promise<Partial<NodeHidModule> & { default?: NodeHidModule }>).then(
    (m) => {
      const mod = m.default ?? m;
      if (typeof mod.devicesAsync !== 'function' || typeof mod.HIDAsync?.open !== 'function') {
        throw new DeviceError('unsupported', 'node-hid is too old: HIDAsync and devicesAsync are needed (3.x)');
      }
      return mod as NodeHidModule;
    },
    (e: unknown) => {
      throw new DeviceError('unsupported', `HID scanners are not supported here: ${name} did not load (${e instanceof Error ? e.message : String(e)})`);
    },
  );
}

/** The binding loads on the first call, not at import: a missing libusb-1.0 (Linux) shows up here. */
async function listDevices(hid: NodeHidModule): Promise<NodeHidDeviceInfo[]> {
  try {
    return await hid.devicesAsync();
  } catch (e) {
    throw new DeviceError('unsupported', `HID scanners are not supported here: node-hid cannot list devices (${e instanceof Error ? e.message : String(e)})`);
  }
}

function matches(d: NodeHidDeviceInfo, s: HidScannerSelector): boolean {
  if (s.path !== undefined) return d.path === s.path;
  // Backends that cannot read the report descriptor report no usage page: then only an explicit VID:PID picks it.
  const unknownUsage = !d.usagePage;
  if (unknownUsage ? s.vendorId === undefined || s.productId === undefined : d.usagePage !== HID_POS_USAGE_PAGE) return false;
  if (!unknownUsage && d.usage !== undefined && d.usage !== HID_POS_USAGE_SCANNER) return false;
  if (s.vendorId !== undefined && d.vendorId !== s.vendorId) return false;
  if (s.productId !== undefined && d.productId !== s.productId) return false;
  return s.serialNumber === undefined || d.serialNumber === s.serialNumber;
}

/**
 * A HID POS scanner through node-hid: each input report is one `onData` chunk (report ID first),
 * which `HidPosScanner` reassembles. An unplug arrives as node-hid's `error` event and becomes a
 * close, so `DeviceConnection` reconnects when the scanner is back.
 */
export class HidScannerTransport implements Transport {
  private device: NodeHidDevice | null = null;
  private readonly data = new Listeners<Uint8Array>();
  private readonly closed = new Listeners<string>();

  constructor(readonly options: HidScannerTransportOptions = {}) {}

  get description(): string {
    const o = this.options;
    return o.path ?? `HID POS ${o.vendorId?.toString(16) ?? '*'}:${o.productId?.toString(16) ?? '*'}`;
  }

  async open(): Promise<void> {
    if (this.device) return;
    const hid = await (this.options.load ?? loadNodeHid)();
    const info = (await listDevices(hid)).find((d) => matches(d, this.options));
    if (!info?.path) throw new DeviceError('offline', `no HID POS scanner (usage page 0x8C) matches ${this.description}`);
    let device: NodeHidDevice;
    try {
      device = await hid.HIDAsync.open(info.path);
    } catch (e) {
      // On Linux a hidraw node is root's until a udev rule hands it over.
      throw new DeviceError('offline', `cannot open ${info.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    device.on('data', (report) => this.data.emit(new Uint8Array(report)));
    device.on('error', (e) => {
      if (this.device !== device) return;
      this.device = null;
      device.removeAllListeners();
      void device.close().catch(() => undefined);
      this.closed.emit(`disconnected: ${e instanceof Error ? e.message : String(e)}`);
    });
    this.device = device;
  }

  /** An output report (report ID first): beeper, LEDs, trigger, as the scanner's manual says. */
  async write(data: Uint8Array): Promise<void> {
    const device = this.device;
    if (!device) throw new DeviceError('offline', `${this.description} is not open`);
    try {
      await device.write([...data]);
    } catch (e) {
      throw new DeviceError('offline', `write to ${this.description} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  onData(cb: (chunk: Uint8Array) => void): () => void {
    return this.data.add(cb);
  }

  onClose(cb: (reason: string) => void): () => void {
    return this.closed.add(cb);
  }

  async close(): Promise<void> {
    const device = this.device;
    this.device = null;
    if (!device) return;
    device.removeAllListeners();
    await device.close().catch(() => undefined);
  }
}

/** HID POS scanners attached now; where node-hid is missing, an empty list and the reason. */
export async function listHidScanners(load: () => Promise<NodeHidModule> = loadNodeHid): Promise<{ devices: NodeHidDeviceInfo[]; error?: string }> {
  try {
    const hid = await load();
    return { devices: (await listDevices(hid)).filter((d) => matches(d, {})) };
  } catch (e) {
    return { devices: [], error: e instanceof Error ? e.message : String(e) };
  }
}
