import { DeviceConnection } from '../../src-drivers/common/connection.js';
import type { Transport } from '../../src-drivers/common/device.js';
import { EscPosPrinterEmulator } from '../../src-drivers/emulators/escpos/printer.js';
import { LoopbackTransport } from '../../src-drivers/emulators/loopback.js';
import { getProfile, isProfileId } from '../../src-drivers/escpos/profiles.js';
import type { CodePageId } from '../../src-drivers/escpos/codepage.js';
import { EscPosDocumentPrinter } from '../../src-drivers/printer/escpos-printer.js';
import { SerialTransport } from '../../src-drivers/transports/serial.js';
import { TcpTransport } from '../../src-drivers/transports/tcp.js';
import type { DeviceConfig } from '../db/repos/devices.js';
import type { Logger } from '../rpc/dispatcher.js';
import type { DocumentPrinter } from './print-queue.js';

/** The emulated devices of this process, by device id: the demo's "hardware", and what tests look at. */
export const emulatedPrinters = new Map<string, { emulator: EscPosPrinterEmulator; transport: LoopbackTransport }>();

function transportFor(device: DeviceConfig, emulator: () => EscPosPrinterEmulator): () => Transport {
  const t = device.transport;
  switch (t.kind) {
    case 'serial':
      return () => new SerialTransport({ path: t.path, baudRate: t.baudRate });
    case 'tcp':
      return () => new TcpTransport({ host: t.host, port: t.port });
    case 'emulator':
      return () => {
        const e = emulator();
        const transport = new LoopbackTransport(e);
        emulatedPrinters.set(device.id, { emulator: e, transport });
        return transport;
      };
  }
}

export interface DeviceState {
  status: 'init' | 'connecting' | 'connected' | 'disconnected' | 'error';
  message?: string;
}

/** The driver for a configured printer, connected and reconnecting; null for a driver this build lacks. */
export function printerFor(device: DeviceConfig, log: Logger, onState: (s: DeviceState) => void = () => undefined): DocumentPrinter | null {
  if (device.driver !== 'escpos') {
    log.error('no driver for this printer', { device: device.id, driver: device.driver });
    return null;
  }
  const profileId = typeof device.options.profile === 'string' && isProfileId(device.options.profile) ? device.options.profile : 'epson-tm-t20';
  const profile = getProfile(profileId);
  const codePage = device.options.codePage === 'cp866' || device.options.codePage === 'cp1251' ? (device.options.codePage as CodePageId) : undefined;
  let shared: EscPosPrinterEmulator | null = null;
  const conn = new DeviceConnection(transportFor(device, () => (shared ??= new EscPosPrinterEmulator(profile))));
  conn.onStatus((s) => {
    log.info('printer status', { device: device.id, status: s.status, ...(s.message ? { message: s.message } : {}) });
    onState(s.message ? { status: s.status, message: s.message } : { status: s.status });
  });
  conn.start();
  return new EscPosDocumentPrinter(device.id, conn, profile, codePage ? { codePage } : {});
}
