/**
 * The shapes every device driver shares. Drivers and their codecs arrive with the devices work;
 * this is the contract the device manager will route jobs through.
 */
export type DeviceKind = 'printer' | 'label' | 'scanner' | 'scale' | 'drawer' | 'fiscal' | 'display';

/** Published to the UI as `device.status`; always visible on screen. */
export type DeviceStatus = 'init' | 'connecting' | 'connected' | 'disconnected' | 'error';

export type DeviceErrorCode = 'offline' | 'timeout' | 'paper_out' | 'cover_open' | 'busy' | 'protocol' | 'unsupported';

export class DeviceError extends Error {
  override readonly name = 'DeviceError';
  constructor(
    readonly code: DeviceErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Bytes in and out of a device: serial, USB, HID, TCP. Native modules load inside `open()`. */
export interface Transport {
  open(): Promise<void>;
  write(data: Uint8Array): Promise<void>;
  onData(cb: (chunk: Uint8Array) => void): () => void;
  onClose(cb: (reason: string) => void): () => void;
  close(): Promise<void>;
}
