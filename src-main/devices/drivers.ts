import { DeviceConnection } from '../../src-drivers/common/connection.js';
import type { Transport } from '../../src-drivers/common/device.js';
import { Cd5220Display, type CustomerDisplay } from '../../src-drivers/display/cd5220.js';
import { Cd5220Emulator } from '../../src-drivers/emulators/display/cd5220.js';
import { EscPosPrinterEmulator } from '../../src-drivers/emulators/escpos/printer.js';
import { CasEmulator } from '../../src-drivers/emulators/scale/cas.js';
import { MassaKEmulator } from '../../src-drivers/emulators/scale/massak100.js';
import { Toledo8217Emulator } from '../../src-drivers/emulators/scale/toledo8217.js';
import { createScale, type Scale, type ScaleConfig, type ScaleProtocol } from '../../src-drivers/scale/index.js';
import { LoopbackTransport } from '../../src-drivers/emulators/loopback.js';
import { getProfile, isProfileId } from '../../src-drivers/escpos/profiles.js';
import type { CodePageId } from '../../src-drivers/escpos/codepage.js';
import { EscPosDocumentPrinter } from '../../src-drivers/printer/escpos-printer.js';
import { SerialTransport, type SerialOptions } from '../../src-drivers/transports/serial.js';
import type { EmulatorCore } from '../../src-drivers/emulators/serve.js';
import { TcpTransport } from '../../src-drivers/transports/tcp.js';
import type { DeviceConfig } from '../db/repos/devices.js';
import type { Logger } from '../rpc/dispatcher.js';
import type { DocumentPrinter } from './print-queue.js';

/** The emulated devices of this process, by device id: the demo's "hardware", and what tests look at. */
export const emulatedPrinters = new Map<string, EscPosPrinterEmulator>();

/**
 * How to reach a configured device: its serial line, its TCP port, or (demo, tests) an emulator in
 * this process.
 */
function transportFor<E extends EmulatorCore>(
  device: DeviceConfig,
  emulators: Map<string, E>,
  makeEmulator: () => E,
  serial: Partial<SerialOptions> = {},
): () => Transport {
  const t = device.transport;
  switch (t.kind) {
    case 'serial':
      return () => new SerialTransport({ path: t.path, baudRate: t.baudRate, ...serial });
    case 'tcp':
      return () => new TcpTransport({ host: t.host, port: t.port });
    case 'emulator': {
      // One emulator per driver (per backend), kept across reconnects, listed for the demo screens and tests.
      const e = makeEmulator();
      emulators.set(device.id, e);
      return () => new LoopbackTransport(e);
    }
  }
}

/** A device's connection, started, with its state changes reported. */
function connect(make: () => Transport, onState: (s: DeviceState) => void): DeviceConnection {
  const conn = new DeviceConnection(make);
  conn.onStatus((s) => onState(s.message ? { status: s.status, message: s.message } : { status: s.status }));
  conn.start();
  return conn;
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
  const conn = connect(transportFor(device, emulatedPrinters, () => new EscPosPrinterEmulator(profile)), (s) => {
    log.info('printer status', { device: device.id, ...s });
    onState(s);
  });
  return new EscPosDocumentPrinter(device.id, conn, profile, codePage ? { codePage } : {});
}

/** The emulated scales of this process (demo hardware; tests put loads on their pans). */
export const emulatedScales = new Map<string, Toledo8217Emulator | CasEmulator | MassaKEmulator>();

function scaleEmulator(protocol: ScaleProtocol, capacityGrams: number): Toledo8217Emulator | CasEmulator | MassaKEmulator {
  switch (protocol) {
    case 'toledo8217':
      return new Toledo8217Emulator({ capacityGrams });
    case 'cas':
      return new CasEmulator({ capacityGrams });
    case 'massak100':
      return new MassaKEmulator({ capacityGrams });
  }
}

/** The driver for a configured scale (driver = protocol), connected and reconnecting; null for an unknown protocol. */
export function scaleFor(device: DeviceConfig, log: Logger, onState: (s: DeviceState) => void = () => undefined): Scale | null {
  const protocol = device.driver;
  if (protocol !== 'toledo8217' && protocol !== 'cas' && protocol !== 'massak100') {
    log.error('no driver for this scale', { device: device.id, driver: device.driver });
    return null;
  }
  const capacityGrams = typeof device.options.capacityGrams === 'number' ? device.options.capacityGrams : 15_000;
  const serial: Partial<SerialOptions> = protocol === 'toledo8217' ? { dataBits: 7, parity: 'even' } : {};
  const conn = connect(transportFor(device, emulatedScales, () => scaleEmulator(protocol, capacityGrams), serial), onState);
  return createScale(conn, { protocol, capacityGrams } as ScaleConfig);
}

/** The emulated customer displays of this process (demo hardware). */
export const emulatedDisplays = new Map<string, Cd5220Emulator>();

/** The driver for a configured customer display; null for an unknown driver. */
export function displayFor(device: DeviceConfig, log: Logger, onState: (s: DeviceState) => void = () => undefined): CustomerDisplay | null {
  if (device.driver !== 'cd5220') {
    log.error('no driver for this display', { device: device.id, driver: device.driver });
    return null;
  }
  const width = typeof device.options.width === 'number' ? device.options.width : 20;
  const codeTableN = typeof device.options.codeTableN === 'number' ? device.options.codeTableN : null;
  const conn = connect(transportFor(device, emulatedDisplays, () => new Cd5220Emulator(width)), onState);
  return new Cd5220Display(conn, { width, codeTableN });
}
