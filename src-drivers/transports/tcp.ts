import { Socket } from 'node:net';
import { DeviceError, type Transport } from '../common/device.js';
import { Listeners } from './listeners.js';

export interface TcpOptions {
  host: string;
  /** 9100 for raw printing. */
  port: number;
  connectTimeoutMs?: number;
}

/** A raw TCP socket (printers on port 9100, networked scales): status replies come back on the same socket. */
export class TcpTransport implements Transport {
  private socket: Socket | null = null;
  private readonly data = new Listeners<Uint8Array>();
  private readonly closed = new Listeners<string>();

  constructor(readonly options: TcpOptions) {}

  get description(): string {
    return `${this.options.host}:${this.options.port}`;
  }

  async open(): Promise<void> {
    if (this.socket) return;
    const { host, port } = this.options;
    const socket = new Socket();
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 5_000);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new DeviceError('timeout', `no answer from ${host}:${port}`));
      }, this.options.connectTimeoutMs ?? 3_000);
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(new DeviceError('offline', `cannot connect to ${host}:${port}: ${e.message}`));
      });
      socket.connect(port, host, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    socket.removeAllListeners('error');
    let lastError = '';
    socket.on('error', (e) => {
      lastError = e.message;
    });
    socket.on('data', (chunk) => this.data.emit(new Uint8Array(chunk)));
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.closed.emit(lastError ? `disconnected: ${lastError}` : 'disconnected');
    });
    this.socket = socket;
  }

  async write(data: Uint8Array): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.destroyed) throw new DeviceError('offline', `${this.description} is not connected`);
    await new Promise<void>((resolve, reject) =>
      socket.write(data, (err) => (err ? reject(new DeviceError('offline', `write to ${this.description} failed: ${err.message}`)) : resolve())),
    );
  }

  onData(cb: (chunk: Uint8Array) => void): () => void {
    return this.data.add(cb);
  }

  onClose(cb: (reason: string) => void): () => void {
    return this.closed.add(cb);
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 500).unref();
    });
  }
}
