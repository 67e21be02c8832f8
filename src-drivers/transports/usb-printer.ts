import { DeviceError, type Transport } from '../common/device.js';
import { Listeners } from './listeners.js';

/*
 * The part of node-usb 2.x (the `usb` package's legacy API) this transport uses, declared here so
 * that nothing needs the optional package to compile. test/drivers/native-modules.test.ts checks
 * that the real module fits these shapes, so they cannot drift from node-usb's typings.
 */

/** node-usb's LibUSBException: `errno` is a LIBUSB_ERROR_* from a call, a LIBUSB_TRANSFER_* status from a transfer. */
export interface UsbError extends Error {
  /** Absent on node-usb's own errors ("Device is not open", "Transfer is already active"). */
  errno?: number;
}

export interface UsbTransfer {
  /** Buffer to fill (IN) or to send (OUT); completion calls the callback given to `makeTransfer`. */
  submit(buffer: Buffer): UsbTransfer;
  /** False when it was not pending. A cancelled transfer completes with LIBUSB_TRANSFER_CANCELLED. */
  cancel(): boolean;
}

export interface UsbEndpointDescriptor {
  bEndpointAddress: number;
  bmAttributes: number;
  wMaxPacketSize: number;
}

export interface UsbEndpoint {
  direction: 'in' | 'out';
  address: number;
  /** bmAttributes & 3: 2 = bulk. */
  transferType: number;
  descriptor: UsbEndpointDescriptor;
  makeTransfer(timeout: number, callback: (error: UsbError | undefined, buffer: Buffer, actualLength: number) => void): UsbTransfer;
}

export interface UsbInterfaceDescriptor {
  bInterfaceNumber: number;
  bAlternateSetting: number;
  bInterfaceClass: number;
  bInterfaceSubClass: number;
  bInterfaceProtocol: number;
  endpoints: UsbEndpointDescriptor[];
}

export interface UsbInterface {
  interfaceNumber: number;
  altSetting: number;
  descriptor: UsbInterfaceDescriptor;
  endpoints: UsbEndpoint[];
  claim(): void;
  release(callback?: (error?: UsbError) => void): void;
  isKernelDriverActive(): boolean;
  detachKernelDriver(): void;
  attachKernelDriver(): void;
  setAltSetting(altSetting: number, callback?: (error: UsbError | undefined) => void): void;
}

export interface UsbDeviceDescriptor {
  idVendor: number;
  idProduct: number;
  iManufacturer: number;
  iProduct: number;
  iSerialNumber: number;
}

export interface UsbConfigDescriptor {
  /** Per interface, its alternate settings. */
  interfaces: UsbInterfaceDescriptor[][];
}

export interface UsbDevice {
  busNumber: number;
  deviceAddress: number;
  deviceDescriptor: UsbDeviceDescriptor;
  readonly configDescriptor: UsbConfigDescriptor | undefined;
  /** Undefined while the device is not open (node-usb tells "open" by it). */
  interfaces: UsbInterface[] | undefined;
  open(defaultConfig?: boolean): void;
  /** Throws while a transfer or a release is pending. */
  close(): void;
  getStringDescriptor(index: number, callback: (error?: UsbError, value?: string) => void): void;
}

export interface UsbModule {
  /** The same Device object for the same attached device on every call. */
  getDeviceList(): UsbDevice[];
  /** Hotplug events; listening starts libusb's hotplug monitoring. */
  usb: {
    on(event: 'detach', listener: (device: UsbDevice) => void): void;
    removeListener(event: 'detach', listener: (device: UsbDevice) => void): void;
  };
}

export interface UsbPrinterTransportOptions {
  vendorId: number;
  productId: number;
  /** Tells two printers of one model apart: matched against the device's serial-number string descriptor. */
  serialNumber?: string;
  /** Where node-usb comes from; tests pass a fake. */
  load?: () => Promise<UsbModule>;
}

export interface UsbPrinterInfo {
  vendorId: number;
  productId: number;
  /** null: the device has none, or it could not be opened to read it. */
  serialNumber: string | null;
  label: string;
}

// libusb's own numbers (libusb.h): ABI-stable, so they need not be read from the module.
const LIBUSB_ERROR_ACCESS = -3;
const LIBUSB_ERROR_BUSY = -6;
const LIBUSB_TRANSFER_CANCELLED = 3;
const USB_CLASS_PRINTER = 7;
const TRANSFER_TYPE_BULK = 2;
/** Printer class protocol 2: bidirectional (status comes back on bulk IN); 1 is send-only. */
const PRINTER_PROTOCOL_BIDIRECTIONAL = 2;
/** Some printers answer every IN poll at once with an empty packet: pause before asking again, or the loop spins. */
const EMPTY_READ_PAUSE_MS = 20;
/** How long close() waits for cancelled transfers and the release before closing the handle anyway. */
const SETTLE_MS = 1_000;

// A variable, so neither the compiler nor a bundler goes looking for the optional package.
const NODE_USB = 'usb';
let loaded: Promise<UsbModule> | null = null;

/**
 * node-usb is native and optional: loaded on first use; where it is missing, USB printers are
 * unsupported (serial and TCP printers still work). `moduleName` exists for tests of that path.
 */
export function loadUsb(moduleName: string = NODE_USB): Promise<UsbModule> {
  if (moduleName !== NODE_USB) return importUsb(moduleName);
  loaded ??= importUsb(NODE_USB).catch((e: unknown) => {
    loaded = null;
    throw e;
  });
  return loaded;
}

async function importUsb(name: string): Promise<UsbModule> {
  let m: Partial<UsbModule> & { default?: Partial<UsbModule> };
  try {
    m = (await import(name)) as typeof m;
  } catch (e) {
    throw new DeviceError('unsupported', `USB printers are not supported here: the "${name}" package did not load (${text(e)})`);
  }
  const mod = typeof m.getDeviceList === 'function' ? m : (m.default ?? m);
  if (typeof mod.getDeviceList !== 'function' || typeof mod.usb?.on !== 'function') {
    throw new DeviceError('unsupported', `the "${name}" package is not node-usb 2.x: getDeviceList() and usb.on() are needed`);
  }
  return mod as UsbModule;
}

/** Devices a transport of this process holds open: the lister must not close them under it. */
const inUse = new Set<UsbDevice>();
/** Devices being closed: a new open of the same device waits, or the old close would shut the new handle. */
const closing = new Map<UsbDevice, Promise<void>>();

interface PrinterInterfaceChoice {
  interfaceNumber: number;
  altSetting: number;
}

const isBulk = (e: UsbEndpointDescriptor) => (e.bmAttributes & 3) === TRANSFER_TYPE_BULK;
const isIn = (e: UsbEndpointDescriptor) => (e.bEndpointAddress & 0x80) !== 0;

/**
 * The printer-class interface to use: one with a bulk OUT endpoint, preferring a setting that
 * also has bulk IN (status replies) and says it is bidirectional. null: not a printer.
 */
function printerInterfaceOf(device: UsbDevice): PrinterInterfaceChoice | null {
  let config: UsbConfigDescriptor | undefined;
  try {
    config = device.configDescriptor;
  } catch {
    return null; // a device whose descriptors cannot be read is no printer we can use
  }
  let best: { choice: PrinterInterfaceChoice; score: number } | null = null;
  for (const alts of config?.interfaces ?? []) {
    for (const d of alts) {
      if (d.bInterfaceClass !== USB_CLASS_PRINTER || !d.endpoints.some((e) => isBulk(e) && !isIn(e))) continue;
      const score = (d.endpoints.some((e) => isBulk(e) && isIn(e)) ? 2 : 0) + (d.bInterfaceProtocol === PRINTER_PROTOCOL_BIDIRECTIONAL ? 1 : 0);
      if (!best || score > best.score) best = { choice: { interfaceNumber: d.bInterfaceNumber, altSetting: d.bAlternateSetting }, score };
    }
  }
  return best?.choice ?? null;
}

function readString(device: UsbDevice, index: number): Promise<string | null> {
  if (index === 0) return Promise.resolve(null);
  return new Promise((resolve) => {
    try {
      device.getStringDescriptor(index, (error, value) => resolve(error || value === undefined ? null : value.replace(/\0+$/, '').trim() || null));
    } catch {
      resolve(null);
    }
  });
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

function text(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function errno(e: unknown): number | undefined {
  return typeof e === 'object' && e !== null && 'errno' in e && typeof e.errno === 'number' ? e.errno : undefined;
}

/** What to tell the cashier for an open/claim refusal. */
function refusal(e: unknown): string {
  switch (errno(e)) {
    case LIBUSB_ERROR_ACCESS:
      return `${text(e)}: this user may not use the device (on Linux a udev rule must grant it)`;
    case LIBUSB_ERROR_BUSY:
      return `${text(e)}: another program holds the printer (a print spooler, or the usblp driver could not be detached)`;
    default:
      return text(e);
  }
}

function within(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    void p.then(
      () => {
        clearTimeout(t);
        resolve();
      },
      () => {
        clearTimeout(t);
        resolve();
      },
    );
  });
}

/** One open, claimed printer interface; a reconnect makes a new one. */
interface Session {
  readonly usb: UsbModule;
  readonly device: UsbDevice;
  readonly iface: UsbInterface;
  readonly out: UsbEndpoint;
  readonly in: UsbEndpoint | null;
  readonly kernelDriverDetached: boolean;
  readonly onDetach: (d: UsbDevice) => void;
  /** Transfers submitted and not yet completed: the handle cannot close before they are. */
  readonly pending: Set<UsbTransfer>;
  readonly settled: Listeners<void>;
  ending: boolean;
}

/**
 * A USB printer-class device (class 7) through libusb: bulk OUT carries the job, and bulk IN is
 * read all the time, so `DLE EOT` replies and Automatic Status Back arrive as `onData` like on a
 * serial line. An unplug (the hotplug `detach` event, or a transfer failing with NO_DEVICE)
 * becomes a close, never an exception, so `DeviceConnection` reconnects when the printer is back.
 *
 * Writes wait as long as the printer does not take the data (timeout 0): a printer out of paper
 * stops taking bytes once its buffer is full, and giving up would leave it unknown how much of the
 * receipt it holds. `close()` cancels what is in flight.
 */
export class UsbPrinterTransport implements Transport {
  private session: Session | null = null;
  private readonly data = new Listeners<Uint8Array>();
  private readonly closed = new Listeners<string>();

  constructor(readonly options: UsbPrinterTransportOptions) {}

  get description(): string {
    const o = this.options;
    return `USB printer ${hex4(o.vendorId)}:${hex4(o.productId)}${o.serialNumber !== undefined ? ` serial ${o.serialNumber}` : ''}`;
  }

  async open(): Promise<void> {
    if (this.session) return;
    const usb = await (this.options.load ?? loadUsb)();
    let devices: UsbDevice[];
    try {
      devices = usb.getDeviceList();
    } catch (e) {
      throw new DeviceError('unsupported', `USB is not available here: ${text(e)}`);
    }
    const o = this.options;
    let refused: string | null = null;
    for (const device of devices) {
      if (device.deviceDescriptor.idVendor !== o.vendorId || device.deviceDescriptor.idProduct !== o.productId || inUse.has(device)) continue;
      await closing.get(device);
      const choice = printerInterfaceOf(device);
      if (!choice) {
        refused = `it has no printer-class interface with a bulk OUT endpoint`;
        continue;
      }
      try {
        device.open();
      } catch (e) {
        refused = refusal(e);
        continue;
      }
      if (o.serialNumber !== undefined && (await readString(device, device.deviceDescriptor.iSerialNumber)) !== o.serialNumber) {
        if (!inUse.has(device)) closeQuietly(device);
        continue;
      }
      let session: Session;
      try {
        session = await this.claim(usb, device, choice);
      } catch (e) {
        closeQuietly(device);
        throw e;
      }
      this.session = session;
      inUse.add(device);
      usb.usb.on('detach', session.onDetach);
      this.readLoop(session);
      return;
    }
    throw new DeviceError('offline', refused ? `cannot use ${this.description}: ${refused}` : `${this.description} is not connected`);
  }

  private async claim(usb: UsbModule, device: UsbDevice, choice: PrinterInterfaceChoice): Promise<Session> {
    const iface = device.interfaces?.find((i) => i.interfaceNumber === choice.interfaceNumber);
    if (!iface) throw new DeviceError('offline', `${this.description}: interface ${choice.interfaceNumber} vanished`);
    let detached = false;
    try {
      if (iface.isKernelDriverActive()) {
        iface.detachKernelDriver(); // Linux binds usblp (/dev/usb/lp0) to printers; libusb cannot claim past it
        detached = true;
      }
    } catch {
      // Windows and macOS have no such call (LIBUSB_ERROR_NOT_SUPPORTED); a refused detach shows in claim().
    }
    try {
      iface.claim();
    } catch (e) {
      if (detached) reattach(iface);
      throw new DeviceError('offline', `cannot claim ${this.description}: ${refusal(e)}`);
    }
    if (iface.altSetting !== choice.altSetting) {
      const failed = await new Promise<UsbError | undefined>((resolve) => iface.setAltSetting(choice.altSetting, resolve));
      if (failed) {
        await new Promise<void>((resolve) => iface.release(() => resolve()));
        if (detached) reattach(iface);
        throw new DeviceError('offline', `cannot select ${this.description}'s printer setting: ${text(failed)}`);
      }
    }
    const out = iface.endpoints.find((e) => e.direction === 'out' && e.transferType === TRANSFER_TYPE_BULK);
    const inEp = iface.endpoints.find((e) => e.direction === 'in' && e.transferType === TRANSFER_TYPE_BULK) ?? null;
    if (!out) throw new DeviceError('unsupported', `${this.description} has no bulk OUT endpoint`);
    const session: Session = {
      usb,
      device,
      iface,
      out,
      in: inEp,
      kernelDriverDetached: detached,
      // Hotplug hands over the same Device object; bus and address also identify it while attached.
      onDetach: (d) => {
        if (d === device || (d.busNumber === device.busNumber && d.deviceAddress === device.deviceAddress)) this.lost(session, 'unplugged');
      },
      pending: new Set(),
      settled: new Listeners<void>(),
      ending: false,
    };
    return session;
  }

  /** Keep one bulk IN transfer pending for as long as the session lives: status replies arrive unasked. */
  private readLoop(s: Session): void {
    const ep = s.in;
    if (!ep) return; // a send-only printer: status queries will go unanswered, and the driver says so
    const size = Math.max(64, ep.descriptor.wMaxPacketSize);
    const transfer = ep.makeTransfer(0, (error, buffer, actual) => {
      this.completed(s, transfer);
      if (s.ending) return;
      if (error) {
        if (error.errno !== LIBUSB_TRANSFER_CANCELLED) this.lost(s, `reading failed: ${error.message}`);
        return;
      }
      if (actual > 0) this.data.emit(new Uint8Array(buffer.subarray(0, actual)));
      if (actual > 0) submit();
      else setTimeout(submit, EMPTY_READ_PAUSE_MS);
    });
    const submit = (): void => {
      if (s.ending) return;
      try {
        transfer.submit(Buffer.alloc(size));
        s.pending.add(transfer);
      } catch (e) {
        this.lost(s, `reading failed: ${text(e)}`);
      }
    };
    submit();
  }

  async write(data: Uint8Array): Promise<void> {
    const s = this.session;
    if (!s || s.ending) throw new DeviceError('offline', `${this.description} is not open`);
    if (data.length === 0) return;
    await new Promise<void>((resolve, reject) => {
      const transfer = s.out.makeTransfer(0, (error) => {
        this.completed(s, transfer);
        if (!error) return resolve();
        reject(new DeviceError('offline', `write to ${this.description} failed: ${error.message}`));
        if (error.errno !== LIBUSB_TRANSFER_CANCELLED) this.lost(s, `write failed: ${error.message}`);
      });
      try {
        transfer.submit(Buffer.from(data));
        s.pending.add(transfer);
      } catch (e) {
        reject(new DeviceError('offline', `write to ${this.description} failed: ${text(e)}`));
        this.lost(s, `write failed: ${text(e)}`);
      }
    });
  }

  onData(cb: (chunk: Uint8Array) => void): () => void {
    return this.data.add(cb);
  }

  onClose(cb: (reason: string) => void): () => void {
    return this.closed.add(cb);
  }

  async close(): Promise<void> {
    const s = this.session;
    this.session = null;
    if (s) await this.end(s, true);
  }

  private completed(s: Session, t: UsbTransfer): void {
    s.pending.delete(t);
    if (s.pending.size === 0) s.settled.emit();
  }

  /** The printer went away (or its pipe broke): a close event, and the session is cleaned up behind it. */
  private lost(s: Session, reason: string): void {
    if (this.session !== s) return;
    this.session = null;
    void this.end(s, false);
    this.closed.emit(`disconnected: ${reason}`);
  }

  /**
   * Cancel in-flight transfers, wait for them to finish, release the interface, hand the printer
   * back to the kernel driver on a deliberate close, close the handle. Each step tolerates a device
   * that is already gone; none waits forever.
   */
  private end(s: Session, reattachDriver: boolean): Promise<void> {
    if (s.ending) return closing.get(s.device) ?? Promise.resolve();
    s.ending = true;
    s.usb.usb.removeListener('detach', s.onDetach);
    const done = (async () => {
      for (const t of [...s.pending]) {
        try {
          t.cancel();
        } catch {
          // already completing
        }
      }
      if (s.pending.size > 0) {
        await within(
          new Promise<void>((resolve) => {
            const off = s.settled.add(() => {
              off();
              resolve();
            });
          }),
          SETTLE_MS,
        );
      }
      await within(
        new Promise<void>((resolve, reject) => {
          try {
            s.iface.release(() => resolve());
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        }),
        SETTLE_MS,
      );
      if (reattachDriver && s.kernelDriverDetached) reattach(s.iface);
      closeQuietly(s.device);
      inUse.delete(s.device);
    })();
    closing.set(s.device, done);
    void done.finally(() => {
      if (closing.get(s.device) === done) closing.delete(s.device);
    });
    return done;
  }
}

function reattach(iface: UsbInterface): void {
  try {
    iface.attachKernelDriver();
  } catch {
    // unplugged meanwhile, or not allowed: the next plug-in binds the driver again anyway
  }
}

function closeQuietly(device: UsbDevice): void {
  try {
    device.close();
  } catch {
    // A pending request (another user of this Device object) keeps it open; a vanished device needs no closing.
  }
}

/**
 * Printer-class USB devices attached now, with serial numbers where they can be read (reading one
 * needs the device opened, so a device this user may not open is listed without). Where node-usb
 * is missing, an empty list and the reason.
 */
export async function listUsbPrinters(load: () => Promise<UsbModule> = loadUsb): Promise<{ devices: UsbPrinterInfo[]; error?: string }> {
  let usb: UsbModule;
  let list: UsbDevice[];
  try {
    usb = await load();
    list = usb.getDeviceList();
  } catch (e) {
    return { devices: [], error: text(e) };
  }
  const devices: UsbPrinterInfo[] = [];
  for (const device of list) {
    if (!printerInterfaceOf(device)) continue;
    const d = device.deviceDescriptor;
    const ids = `${hex4(d.idVendor)}:${hex4(d.idProduct)}`;
    // Opening is per Device object and shared: one a transport holds stays as it is.
    const wasOpen = device.interfaces !== undefined || inUse.has(device);
    let names: (string | null)[] = [];
    let serialNumber: string | null = null;
    let note = '';
    try {
      if (!wasOpen) device.open();
      names = [await readString(device, d.iManufacturer), await readString(device, d.iProduct)];
      serialNumber = await readString(device, d.iSerialNumber);
    } catch (e) {
      note = `, cannot open: ${refusal(e)}`;
    } finally {
      if (!wasOpen && !inUse.has(device)) closeQuietly(device);
    }
    const name = names.filter((n): n is string => n !== null).join(' ') || 'USB printer';
    devices.push({ vendorId: d.idVendor, productId: d.idProduct, serialNumber, label: `${name} (${ids}${serialNumber ? `, ${serialNumber}` : ''}${note})` });
  }
  return { devices };
}
