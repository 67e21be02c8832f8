import { DeviceError, type Transport } from '../common/device.js';
import { Listeners } from './listeners.js';

export interface SerialOptions {
  path: string;
  baudRate: number;
  dataBits?: 7 | 8;
  parity?: 'none' | 'even' | 'odd';
  stopBits?: 1 | 2;
  /** Hardware flow control (RTS/CTS). */
  rtscts?: boolean;
  /** Software flow control (XON/XOFF). */
  xon?: boolean;
}

type SerialPortCtor = typeof import('serialport').SerialPort;
type SerialPortInstance = InstanceType<SerialPortCtor>;

let loaded: Promise<SerialPortCtor> | null = null;
/** serialport is a native module: loaded on first use, so everything else runs without it. */
function loadSerialPort(): Promise<SerialPortCtor> {
  loaded ??= import('serialport').then(
    (m) => m.SerialPort,
    (e: unknown) => {
      loaded = null;
      throw new DeviceError('unsupported', `serial support is not available: ${e instanceof Error ? e.message : String(e)}`);
    },
  );
  return loaded;
}

/**
 * A serial port (RS-232, USB-CDC, a socat pseudo-terminal). Raising DTR/RTS is attempted and a
 * refusal tolerated: pseudo-terminals and some USB adapters answer "Inappropriate ioctl".
 */
export class SerialTransport implements Transport {
  private port: SerialPortInstance | null = null;
  private readonly data = new Listeners<Uint8Array>();
  private readonly closed = new Listeners<string>();

  constructor(readonly options: SerialOptions) {}

  get description(): string {
    return `${this.options.path} @ ${this.options.baudRate}`;
  }

  async open(): Promise<void> {
    if (this.port) return;
    const SerialPort = await loadSerialPort();
    const o = this.options;
    const port = new SerialPort({
      path: o.path,
      baudRate: o.baudRate,
      dataBits: o.dataBits ?? 8,
      parity: o.parity ?? 'none',
      stopBits: o.stopBits ?? 1,
      rtscts: o.rtscts ?? false,
      xon: o.xon ?? false,
      xoff: o.xon ?? false,
      autoOpen: false,
      lock: true,
    });
    await new Promise<void>((resolve, reject) =>
      port.open((err) => (err ? reject(new DeviceError('offline', `cannot open ${o.path}: ${err.message}`)) : resolve())),
    );
    await new Promise<void>((resolve) => port.set({ dtr: true, rts: true }, () => resolve())); // a refusal is fine
    port.on('data', (chunk: Buffer) => this.data.emit(new Uint8Array(chunk)));
    port.on('close', (err: Error | null) => {
      if (this.port !== port) return;
      this.port = null;
      this.closed.emit(err ? `disconnected: ${err.message}` : 'closed');
    });
    port.on('error', () => {
      // Errors surface through the failing write or the close event.
    });
    this.port = port;
  }

  async write(data: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port) throw new DeviceError('offline', `${this.options.path} is not open`);
    await new Promise<void>((resolve, reject) => {
      const failed = (e: Error): void => {
        reject(new DeviceError('offline', `write to ${this.options.path} failed: ${e.message}`));
        this.lose(port, e);
      };
      port.write(Buffer.from(data), (err) => {
        if (err) return failed(err);
        port.drain((e) => (e ? failed(e) : resolve()));
      });
    });
  }

  /**
   * A port that cannot be written is gone, even when serialport has not noticed: a pty whose other
   * end closed can read as endless end-of-file instead of an error. Closing it here turns that into
   * the close event, so DeviceConnection reconnects.
   */
  private lose(port: SerialPortInstance, e: Error): void {
    if (this.port !== port) return;
    this.port = null;
    if (port.isOpen) port.close(() => undefined);
    this.closed.emit(`disconnected: ${e.message}`);
  }

  onData(cb: (chunk: Uint8Array) => void): () => void {
    return this.data.add(cb);
  }

  onClose(cb: (reason: string) => void): () => void {
    return this.closed.add(cb);
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = null;
    if (!port?.isOpen) return;
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}

/** Serial ports the OS reports. Needs udevadm on Linux: where it is missing, an empty list and the reason. */
export async function listSerialPorts(): Promise<{ ports: { path: string; manufacturer?: string; vendorId?: string; productId?: string }[]; error?: string }> {
  try {
    const SerialPort = await loadSerialPort();
    const ports = await SerialPort.list();
    return {
      ports: ports.map((p) => ({
        path: p.path,
        ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}),
        ...(p.vendorId ? { vendorId: p.vendorId } : {}),
        ...(p.productId ? { productId: p.productId } : {}),
      })),
    };
  } catch (e) {
    return { ports: [], error: e instanceof Error ? e.message : String(e) };
  }
}
