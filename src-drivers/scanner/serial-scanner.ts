import type { DeviceConnection } from '../common/connection.js';
import { AssembledScanner } from './scanner.js';
import { SerialFrameAssembler, type SerialFramingOptions } from './serial-frames.js';

export interface SerialScannerOptions extends SerialFramingOptions {
  now?: () => number;
}

/** A scanner on a serial line or USB-CDC (virtual COM port): byte-exact, so GS survives. */
export class SerialScanner extends AssembledScanner {
  constructor(deviceId: string, conn: DeviceConnection, opts: SerialScannerOptions = {}) {
    super(deviceId, 'serial', conn, new SerialFrameAssembler(opts), opts.now);
  }
}
