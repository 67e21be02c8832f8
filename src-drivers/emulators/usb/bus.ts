import { EventEmitter } from 'node:events';
import type {
  UsbConfigDescriptor,
  UsbDevice,
  UsbDeviceDescriptor,
  UsbEndpoint,
  UsbEndpointDescriptor,
  UsbError,
  UsbInterface,
  UsbInterfaceDescriptor,
  UsbModule,
  UsbTransfer,
} from '../../transports/usb-printer.js';
import type { EmulatorCore } from '../serve.js';

/*
 * A fake node-usb 2.x module with printers on it, each wired to an emulator core (an ESC/POS
 * printer): bulk OUT feeds the core one packet at a time, the core's answers come back on bulk IN.
 * It keeps node-usb's observable rules, the ones a transport can get wrong:
 * - a Device object is the same on every getDeviceList() while attached; a re-plug is a new one;
 * - nothing but descriptors works before open(); interfaces are undefined until then;
 * - claim() fails with LIBUSB_ERROR_BUSY while a kernel driver (usblp) holds the interface;
 * - transfers complete through the callback given to makeTransfer(), asynchronously; a cancelled
 *   one with LIBUSB_TRANSFER_CANCELLED; on unplug every pending one with LIBUSB_TRANSFER_NO_DEVICE,
 *   and later calls throw LIBUSB_ERROR_NO_DEVICE;
 * - close() throws while a transfer or a release is pending.
 */

const LIBUSB_NAMES: Record<number, string> = {
  [-3]: 'LIBUSB_ERROR_ACCESS',
  [-4]: 'LIBUSB_ERROR_NO_DEVICE',
  [-5]: 'LIBUSB_ERROR_NOT_FOUND',
  [-6]: 'LIBUSB_ERROR_BUSY',
  [-12]: 'LIBUSB_ERROR_NOT_SUPPORTED',
  3: 'LIBUSB_TRANSFER_CANCELLED',
  4: 'LIBUSB_TRANSFER_STALL',
  5: 'LIBUSB_TRANSFER_NO_DEVICE',
};

/** node-usb's LibUSBException: the libusb error name as the message, the number as `errno`. */
class LibUsbError extends Error implements UsbError {
  constructor(readonly errno: number) {
    super(LIBUSB_NAMES[errno] ?? `LIBUSB_ERROR_OTHER (${errno})`);
  }
}

const ACCESS = -3;
const NO_DEVICE = -4;
const NOT_FOUND = -5;
const BUSY = -6;
const NOT_SUPPORTED = -12;
const TRANSFER_CANCELLED = 3;
const TRANSFER_STALL = 4;
const TRANSFER_NO_DEVICE = 5;

export interface UsbPrinterEmulatorOptions {
  /** Default 04b8:0e15 (an Epson TM-T20). */
  vendorId?: number;
  productId?: number;
  manufacturer?: string;
  product?: string;
  /** null: the device has no serial-number string. */
  serialNumber?: string | null;
  /** 7 is a printer; anything else makes it some other device on the bus. */
  interfaceClass?: number;
  /** With a bulk IN endpoint (protocol 2); false: a send-only printer (protocol 1). Default true. */
  bidirectional?: boolean;
  /** 'usblp': Linux binds its printer driver at every plug-in; 'unsupported': Windows/macOS. Default 'none'. */
  kernelDriver?: 'none' | 'usblp' | 'unsupported';
  /** open() fails with LIBUSB_ERROR_ACCESS (no udev rule for this user). */
  accessDenied?: boolean;
  /** Default 64 (full speed). */
  maxPacketSize?: number;
}

export interface UsbPrinterStats {
  /** Bytes that reached the core over bulk OUT. */
  bytesOut: number;
  claims: number;
  kernelDetaches: number;
  kernelReattaches: number;
}

/** The printer itself: it keeps its core (paper, buffer) across unplugs, as a self-powered printer does. */
export class UsbPrinterEmulator {
  readonly stats: UsbPrinterStats = { bytesOut: 0, claims: 0, kernelDetaches: 0, kernelReattaches: 0 };
  kernelDriverActive = false;
  /** The plug-in it is attached by now; null while unplugged. */
  device: EmulatedUsbDevice | null = null;
  private unplugAt: number | null = null;
  readonly options: Required<Omit<UsbPrinterEmulatorOptions, 'manufacturer' | 'product'>> & Pick<UsbPrinterEmulatorOptions, 'manufacturer' | 'product'>;

  constructor(
    readonly core: EmulatorCore,
    opts: UsbPrinterEmulatorOptions = {},
  ) {
    this.options = {
      vendorId: 0x04b8,
      productId: 0x0e15,
      serialNumber: null,
      interfaceClass: 7,
      bidirectional: true,
      kernelDriver: 'none',
      accessDenied: false,
      maxPacketSize: 64,
      ...opts,
    };
  }

  /** Fault: the cable is pulled once this many more bytes have gone out (mid-packet if need be). */
  unplugAfterBytes(n: number | null): void {
    this.unplugAt = n === null ? null : this.stats.bytesOut + n;
  }

  /** Deliver what the core says unasked (ASB after a fault switch) to whoever reads bulk IN. */
  flush(): void {
    const out = this.core.drain?.();
    if (out) this.send(out);
  }

  /** Send these bytes to the host now (what a fault switch of the core returned). */
  send(bytes: Uint8Array): void {
    if (bytes.length > 0) this.device?.toHost(bytes);
  }

  /** How many bytes may go out before the pulled-cable fault; null: any. */
  budget(): number | null {
    return this.unplugAt === null ? null : Math.max(0, this.unplugAt - this.stats.bytesOut);
  }

  clearUnplugFault(): void {
    this.unplugAt = null;
  }
}

/** The bus: hand `module` to UsbPrinterTransport's `load`; `plug()`/`unplug()` move the cable. */
export class UsbBusEmulator {
  private readonly attached: EmulatedUsbDevice[] = [];
  private readonly events = new EventEmitter();
  private nextAddress = 1;

  readonly module: UsbModule = {
    getDeviceList: () => [...this.attached],
    usb: {
      on: (event, listener) => void this.events.on(event, listener),
      removeListener: (event, listener) => void this.events.removeListener(event, listener),
    },
  };

  /** Transports listening for unplug events (each open printer should have one, a closed one none). */
  get detachListeners(): number {
    return this.events.listenerCount('detach');
  }

  plug(printer: UsbPrinterEmulator): EmulatedUsbDevice {
    if (printer.device) return printer.device;
    printer.kernelDriverActive = printer.options.kernelDriver === 'usblp';
    const device = new EmulatedUsbDevice(this, printer, 1, this.nextAddress++);
    printer.device = device;
    this.attached.push(device);
    return device;
  }

  unplug(printer: UsbPrinterEmulator): void {
    const device = printer.device;
    if (!device) return;
    printer.device = null;
    printer.clearUnplugFault();
    this.attached.splice(this.attached.indexOf(device), 1);
    device.vanish();
    // libusb reports the hotplug event from its own thread, after the failed transfers.
    setImmediate(() => this.events.emit('detach', device));
  }
}

export class EmulatedUsbDevice implements UsbDevice {
  readonly deviceDescriptor: UsbDeviceDescriptor;
  interfaces: EmulatedUsbInterface[] | undefined = undefined;
  isOpen = false;
  gone = false;
  /** Transfers and requests in flight: close() refuses while any is. */
  pending = 0;
  private readonly strings: (string | undefined)[];
  private readonly outQueue: { t: EmulatedTransfer; sent: number }[] = [];
  private readonly readers: EmulatedTransfer[] = [];
  private inbox: number[] = [];
  private pumping = false;

  constructor(
    private readonly bus: UsbBusEmulator,
    readonly printer: UsbPrinterEmulator,
    readonly busNumber: number,
    readonly deviceAddress: number,
  ) {
    const o = printer.options;
    this.strings = [undefined, o.manufacturer, o.product, o.serialNumber ?? undefined];
    this.deviceDescriptor = {
      idVendor: o.vendorId,
      idProduct: o.productId,
      iManufacturer: o.manufacturer ? 1 : 0,
      iProduct: o.product ? 2 : 0,
      iSerialNumber: o.serialNumber ? 3 : 0,
    };
  }

  get configDescriptor(): UsbConfigDescriptor {
    const o = this.printer.options;
    const endpoints: UsbEndpointDescriptor[] = [{ bEndpointAddress: 0x01, bmAttributes: 0x02, wMaxPacketSize: o.maxPacketSize }];
    if (o.bidirectional) endpoints.push({ bEndpointAddress: 0x82, bmAttributes: 0x02, wMaxPacketSize: o.maxPacketSize });
    const iface: UsbInterfaceDescriptor = {
      bInterfaceNumber: 0,
      bAlternateSetting: 0,
      bInterfaceClass: o.interfaceClass,
      bInterfaceSubClass: 1,
      bInterfaceProtocol: o.bidirectional ? 2 : 1,
      endpoints,
    };
    return { interfaces: [[iface]] };
  }

  open(): void {
    if (this.gone) throw new LibUsbError(NO_DEVICE);
    if (this.printer.options.accessDenied) throw new LibUsbError(ACCESS);
    this.isOpen = true;
    this.interfaces = this.configDescriptor.interfaces.map((alts) => new EmulatedUsbInterface(this, alts[0] as UsbInterfaceDescriptor));
  }

  close(): void {
    if (this.pending > 0) throw new Error("Can't close device with a pending request");
    this.isOpen = false;
    this.interfaces = undefined;
  }

  getStringDescriptor(index: number, callback: (error?: UsbError, value?: string) => void): void {
    if (index === 0) return callback();
    if (!this.isOpen) return void process.nextTick(() => callback(new Error('Device is not open')));
    if (this.gone) return void process.nextTick(() => callback(new LibUsbError(NO_DEVICE)));
    this.pending++;
    setImmediate(() => {
      this.pending--;
      const s = this.strings[index];
      if (s === undefined) callback(new LibUsbError(TRANSFER_STALL));
      else callback(undefined, s);
    });
  }

  /** Checks every call on an open handle makes. */
  requireOpen(): void {
    if (!this.isOpen) throw new Error('Device is not open');
    if (this.gone) throw new LibUsbError(NO_DEVICE);
  }

  submit(t: EmulatedTransfer): void {
    this.pending++;
    if (t.endpoint.direction === 'out') {
      this.outQueue.push({ t, sent: 0 });
      this.schedulePump();
    } else {
      this.readers.push(t);
      this.deliverIn();
    }
  }

  cancel(t: EmulatedTransfer): void {
    const out = this.outQueue.findIndex((q) => q.t === t);
    const sent = out >= 0 ? (this.outQueue[out]?.sent ?? 0) : 0;
    if (out >= 0) this.outQueue.splice(out, 1);
    const r = this.readers.indexOf(t);
    if (r >= 0) this.readers.splice(r, 1);
    this.finishLater(t, new LibUsbError(TRANSFER_CANCELLED), sent);
  }

  /** Bytes from the printer to the host, handed to pending bulk IN transfers. */
  toHost(bytes: Uint8Array): void {
    if (this.gone) return;
    this.inbox.push(...bytes);
    this.deliverIn();
  }

  /** The cable is out: every pending transfer fails, later calls throw. */
  vanish(): void {
    this.gone = true;
    const failing = [...this.outQueue.map((q) => ({ t: q.t, sent: q.sent })), ...this.readers.map((t) => ({ t, sent: 0 }))];
    this.outQueue.length = 0;
    this.readers.length = 0;
    this.inbox = [];
    for (const f of failing) this.finishLater(f.t, new LibUsbError(TRANSFER_NO_DEVICE), f.sent);
  }

  /** Completion reaches JavaScript later, as libusb's event thread posts it; from now on it cannot be cancelled. */
  private finishLater(t: EmulatedTransfer, error: UsbError | undefined, actual: number): void {
    t.finishing = true;
    setImmediate(() => {
      this.pending--;
      t.complete(error, actual);
    });
  }

  private deliverIn(): void {
    while (this.readers.length > 0 && this.inbox.length > 0) {
      const t = this.readers.shift() as EmulatedTransfer;
      const n = Math.min(t.buffer.length, this.inbox.length);
      t.buffer.set(this.inbox.splice(0, n));
      this.finishLater(t, undefined, n);
    }
  }

  private schedulePump(): void {
    if (this.pumping) return;
    this.pumping = true;
    setImmediate(() => this.pumpOut());
  }

  /** One bulk OUT packet per turn of the event loop, so answers to early packets come back while later ones still go out. */
  private pumpOut(): void {
    this.pumping = false;
    const head = this.outQueue[0];
    if (!head || this.gone) return;
    const budget = this.printer.budget();
    const n = Math.min(this.printer.options.maxPacketSize, head.t.buffer.length - head.sent, budget ?? Infinity);
    const packet = head.t.buffer.subarray(head.sent, head.sent + n);
    head.sent += n;
    this.printer.stats.bytesOut += n;
    if (n > 0) {
      const answer = this.printer.core.feed(new Uint8Array(packet));
      if (answer.length > 0) this.toHost(answer);
    }
    if (budget !== null && budget - n <= 0) {
      this.bus.unplug(this.printer);
      return;
    }
    if (head.sent >= head.t.buffer.length) {
      this.outQueue.shift();
      this.finishLater(head.t, undefined, head.sent);
    }
    if (this.outQueue.length > 0) this.schedulePump();
  }
}

export class EmulatedUsbInterface implements UsbInterface {
  readonly interfaceNumber: number;
  altSetting = 0;
  readonly endpoints: EmulatedEndpoint[];
  claimed = false;

  constructor(
    readonly device: EmulatedUsbDevice,
    readonly descriptor: UsbInterfaceDescriptor,
  ) {
    this.interfaceNumber = descriptor.bInterfaceNumber;
    this.endpoints = descriptor.endpoints.map((d) => new EmulatedEndpoint(this, d));
  }

  private get printer(): UsbPrinterEmulator {
    return this.device.printer;
  }

  claim(): void {
    this.device.requireOpen();
    if (this.printer.kernelDriverActive) throw new LibUsbError(BUSY);
    this.claimed = true;
    this.printer.stats.claims++;
  }

  release(callback?: (error?: UsbError) => void): void {
    this.device.requireOpen();
    this.device.pending++;
    setImmediate(() => {
      this.device.pending--;
      if (this.device.gone) return callback?.(new LibUsbError(NO_DEVICE));
      this.claimed = false;
      callback?.();
    });
  }

  isKernelDriverActive(): boolean {
    this.kernelCall();
    return this.printer.kernelDriverActive;
  }

  detachKernelDriver(): void {
    this.kernelCall();
    if (!this.printer.kernelDriverActive) throw new LibUsbError(NOT_FOUND);
    this.printer.kernelDriverActive = false;
    this.printer.stats.kernelDetaches++;
  }

  attachKernelDriver(): void {
    this.kernelCall();
    if (this.claimed) throw new LibUsbError(BUSY);
    this.printer.kernelDriverActive = true;
    this.printer.stats.kernelReattaches++;
  }

  setAltSetting(altSetting: number, callback?: (error: UsbError | undefined) => void): void {
    this.device.requireOpen();
    setImmediate(() => callback?.(altSetting === 0 ? undefined : new LibUsbError(NOT_FOUND)));
  }

  private kernelCall(): void {
    this.device.requireOpen();
    if (this.printer.options.kernelDriver === 'unsupported') throw new LibUsbError(NOT_SUPPORTED);
  }
}

export class EmulatedEndpoint implements UsbEndpoint {
  readonly direction: 'in' | 'out';
  readonly address: number;
  readonly transferType: number;

  constructor(
    readonly iface: EmulatedUsbInterface,
    readonly descriptor: UsbEndpointDescriptor,
  ) {
    this.address = descriptor.bEndpointAddress;
    this.direction = descriptor.bEndpointAddress & 0x80 ? 'in' : 'out';
    this.transferType = descriptor.bmAttributes & 3;
  }

  makeTransfer(_timeout: number, callback: (error: UsbError | undefined, buffer: Buffer, actualLength: number) => void): EmulatedTransfer {
    return new EmulatedTransfer(this, callback);
  }
}

export class EmulatedTransfer implements UsbTransfer {
  buffer: Buffer = Buffer.alloc(0);
  /** Its completion is on its way. */
  finishing = false;
  private active = false;

  constructor(
    readonly endpoint: EmulatedEndpoint,
    private readonly callback: (error: UsbError | undefined, buffer: Buffer, actualLength: number) => void,
  ) {}

  submit(buffer: Buffer): this {
    if (this.active) throw new Error('Transfer is already active');
    const device = this.endpoint.iface.device;
    device.requireOpen();
    if (!this.endpoint.iface.claimed) throw new LibUsbError(NOT_FOUND);
    this.active = true;
    this.buffer = buffer;
    device.submit(this);
    return this;
  }

  cancel(): boolean {
    if (!this.active || this.finishing) return false;
    this.endpoint.iface.device.cancel(this);
    return true;
  }

  /** Called by the device once the transfer is over; the callback may submit it again. */
  complete(error: UsbError | undefined, actual: number): void {
    this.active = false;
    this.finishing = false;
    this.callback.call(this, error, this.buffer, actual);
  }
}
