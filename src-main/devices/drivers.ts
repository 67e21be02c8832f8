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
import { SerialScannerEmulator } from '../../src-drivers/emulators/scanner/serial.js';
import { HidPosScanner } from '../../src-drivers/scanner/hid-pos.js';
import { HidScannerTransport } from '../../src-drivers/scanner/hid-transport.js';
import type { Scanner } from '../../src-drivers/scanner/scanner.js';
import type { Suffix } from '../../src-drivers/scanner/serial-frames.js';
import { SerialScanner } from '../../src-drivers/scanner/serial-scanner.js';
import { UsbPrinterTransport } from '../../src-drivers/transports/usb-printer.js';
import { SerialCashDrawer } from '../../src-drivers/drawer/serial-drawer.js';
import { hexBytes } from '../../src-drivers/drawer/serial-drawer-codec.js';
import { SerialDrawerEmulator } from '../../src-drivers/emulators/drawer/serial-drawer.js';
import { DrawerPrinter } from './drawer-printer.js';
import { TcpTransport } from '../../src-drivers/transports/tcp.js';
import type { DeviceConfig } from '../db/repos/devices.js';
import type { Logger } from '../rpc/dispatcher.js';
import type { DocumentPrinter } from './print-queue.js';
import type { FiscalRegistrar } from '../../src-drivers/fiscal/registrar.js';
import { AtolRegistrar } from '../../src-drivers/fiscal/atol/index.js';
import { ShtrihRegistrar } from '../../src-drivers/fiscal/shtrih/index.js';
import { ShtrihEmulator } from '../../src-drivers/emulators/fiscal/shtrih.js';
import { presetStock, type LabelStock } from '../../src-common/price-tag.js';
import { createLabelEmulator, type LabelPrinterEmulator } from '../../src-drivers/emulators/label/index.js';
import { LabelPrinterDriver } from '../../src-drivers/label/label-printer.js';
import { isLabelProfileId, LABEL_PROFILES, type LabelProfile } from '../../src-drivers/label/profiles.js';

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
    case 'hid':
      return () => new HidScannerTransport({ ...(t.path ? { path: t.path } : {}), ...(t.vendorId !== undefined ? { vendorId: t.vendorId } : {}), ...(t.productId !== undefined ? { productId: t.productId } : {}) });
    case 'usb':
      return () => new UsbPrinterTransport({ vendorId: t.vendorId, productId: t.productId, ...(t.serialNumber ? { serialNumber: t.serialNumber } : {}) });
    case 'emulator': {
      // One emulator per started driver, kept across its reconnects, listed for the demo screens and tests.
      const e = makeEmulator();
      emulators.set(device.id, e);
      return () => new LoopbackTransport(e);
    }
  }
}

/** A running driver and how to stop it (its connection closes; the device may be reconfigured). */
export interface Started<T> {
  driver: T;
  conn: DeviceConnection;
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
export function printerFor(device: DeviceConfig, log: Logger, onState: (s: DeviceState) => void = () => undefined): Started<DocumentPrinter> | null {
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
  return { driver: new EscPosDocumentPrinter(device.id, conn, profile, codePage ? { codePage } : {}), conn };
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
export function scaleFor(device: DeviceConfig, log: Logger, onState: (s: DeviceState) => void = () => undefined): Started<Scale> | null {
  const protocol = device.driver;
  if (protocol !== 'toledo8217' && protocol !== 'cas' && protocol !== 'massak100') {
    log.error('no driver for this scale', { device: device.id, driver: device.driver });
    return null;
  }
  const capacityGrams = typeof device.options.capacityGrams === 'number' ? device.options.capacityGrams : 15_000;
  const serial: Partial<SerialOptions> = protocol === 'toledo8217' ? { dataBits: 7, parity: 'even' } : {};
  const conn = connect(transportFor(device, emulatedScales, () => scaleEmulator(protocol, capacityGrams), serial), onState);
  return { driver: createScale(conn, { protocol, capacityGrams } as ScaleConfig), conn };
}

/** The emulated customer displays of this process (demo hardware). */
export const emulatedDisplays = new Map<string, Cd5220Emulator>();

/** The driver for a configured customer display; null for an unknown driver. */
export function displayFor(device: DeviceConfig, log: Logger, onState: (s: DeviceState) => void = () => undefined): Started<CustomerDisplay> | null {
  if (device.driver !== 'cd5220') {
    log.error('no driver for this display', { device: device.id, driver: device.driver });
    return null;
  }
  const width = typeof device.options.width === 'number' ? device.options.width : 20;
  const codeTableN = typeof device.options.codeTableN === 'number' ? device.options.codeTableN : null;
  const conn = connect(transportFor(device, emulatedDisplays, () => new Cd5220Emulator(width)), onState);
  return { driver: new Cd5220Display(conn, { width, codeTableN }), conn };
}

/** The emulated serial scanners of this process (tests scan with them: `deliver` puts a scan on the line). */
export const emulatedScanners = new Map<string, SerialScannerEmulator>();

const SUFFIXES: Record<string, Suffix> = { cr: 'CR', lf: 'LF', crlf: 'CRLF', tab: 'TAB' };

/** The driver for a configured scanner (serial or HID POS); null for an unknown driver. */
export function scannerFor(device: DeviceConfig, log: Logger, onState: (s: DeviceState) => void = () => undefined): Started<Scanner> | null {
  if (device.driver === 'serial-scanner') {
    const suffix = SUFFIXES[String(device.options.suffix ?? 'cr')] ?? 'CR';
    const conn = connect(transportFor(device, emulatedScanners, () => new SerialScannerEmulator({ suffix })), onState);
    return { driver: new SerialScanner(device.id, conn, { suffix }), conn };
  }
  if (device.driver === 'hid-pos') {
    const conn = connect(transportFor(device, new Map(), () => new SerialScannerEmulator()), onState);
    return { driver: new HidPosScanner(device.id, conn), conn };
  }
  log.error('no driver for this scanner', { device: device.id, driver: device.driver });
  return null;
}

/** The emulated serial drawers of this process. */
export const emulatedDrawers = new Map<string, SerialDrawerEmulator>();

const optionBytes = (v: unknown): Uint8Array | undefined => (typeof v === 'string' && v !== '' ? hexBytes(v) : undefined);
const optionByte = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255 ? v : undefined);

/**
 * The driver for a cash drawer on its own line, as a kick-only printer for the print queue (so a
 * kick keeps its time-to-live and its record); null for an unknown driver. Options: `openCommand`
 * (hex, default BEL), `statusCommand` (hex) with `statusOpen` and `statusMask` (the answer byte).
 */
export function drawerFor(device: DeviceConfig, log: Logger, onState: (s: DeviceState) => void = () => undefined): Started<DocumentPrinter> | null {
  if (device.driver !== 'serial-drawer') {
    log.error('no driver for this drawer', { device: device.id, driver: device.driver });
    return null;
  }
  const o = device.options;
  const openCommand = optionBytes(o.openCommand);
  const statusCommand = optionBytes(o.statusCommand);
  const openState = optionByte(o.statusOpen);
  const mask = optionByte(o.statusMask);
  const status = statusCommand && openState !== undefined ? { command: statusCommand, openState, ...(mask ? { mask } : {}) } : undefined;
  const conn = connect(
    transportFor(device, emulatedDrawers, () => new SerialDrawerEmulator({ ...(openCommand ? { openCommand } : {}), statusCommand: statusCommand ?? null })),
    onState,
  );
  const drawer = new SerialCashDrawer(conn, { ...(openCommand ? { openCommand } : {}), ...(status ? { status } : {}) });
  return { driver: new DrawerPrinter(device.id, drawer, conn), conn };
}

/**
 * The driver for a configured fiscal registrar: ATOL through its Driver v10 web server (the device's
 * TCP host and port), Shtrih-M over serial or TCP; null for an unknown driver.
 */
export function registrarFor(device: DeviceConfig, log: Logger, onState: (s: DeviceState) => void = () => undefined): { driver: FiscalRegistrar; conn: DeviceConnection | null } | null {
  const t = device.transport;
  if (device.driver === 'atol' && t.kind === 'tcp') {
    // No connection to hold: each operation is an HTTP request; the registrar's state comes from its answers.
    onState({ status: 'connected' });
    const timeoutMs = typeof device.options.timeoutMs === 'number' ? device.options.timeoutMs : 30_000;
    return { driver: new AtolRegistrar({ baseUrl: `http://${t.host}:${t.port}`, timeoutMs, pollMs: 100 }), conn: null };
  }
  if (device.driver === 'shtrih' && (t.kind === 'serial' || t.kind === 'tcp' || t.kind === 'emulator')) {
    const conn = connect(transportFor(device, emulatedRegistrars, () => new ShtrihEmulator()), onState);
    const answerTimeoutMs = typeof device.options.timeoutMs === 'number' ? device.options.timeoutMs : undefined;
    return { driver: new ShtrihRegistrar(conn, answerTimeoutMs ? { answerTimeoutMs } : {}), conn };
  }
  log.error('no driver for this fiscal registrar', { device: device.id, driver: device.driver });
  return null;
}

/** The emulated fiscal registrars of this process (demo, tests). */
export const emulatedRegistrars = new Map<string, ShtrihEmulator>();

/** The emulated label printers of this process (the demo's; tests look at what they printed). */
export const emulatedLabelPrinters = new Map<string, LabelPrinterEmulator & EmulatorCore>();

/** The model a label printer driver falls back to when its options name none. */
const DEFAULT_LABEL_PROFILE = { tspl: 'tsc-te200', zpl: 'zebra-gk420' } as const;

/**
 * A label printer's model (option `profile`) and the label stock loaded (option `stock`, a preset:
 * 58x40 or 43x25 mm, at the model's resolution); null when the model speaks another language than
 * the driver (device-config.ts refuses that, so only an edited database gets here).
 */
export function labelSetup(device: DeviceConfig): { profile: LabelProfile; stock: LabelStock } | null {
  if (device.driver !== 'tspl' && device.driver !== 'zpl') return null;
  const named = device.options.profile;
  const profile = LABEL_PROFILES[typeof named === 'string' && isLabelProfileId(named) ? named : DEFAULT_LABEL_PROFILE[device.driver]];
  if (profile.language !== device.driver) return null;
  return { profile, stock: presetStock(device.options.stock === '43x25' ? '43x25' : '58x40', profile.dpi) };
}

/** The driver for a configured label printer (TSPL or ZPL over serial, TCP 9100 or USB), connected and reconnecting; null for a driver this build lacks. */
export function labelPrinterFor(device: DeviceConfig, log: Logger, onState: (s: DeviceState) => void = () => undefined): Started<LabelPrinterDriver> | null {
  const setup = labelSetup(device);
  if (!setup) {
    log.error('no driver for this label printer', { device: device.id, driver: device.driver, profile: String(device.options.profile ?? '') });
    return null;
  }
  const conn = connect(transportFor(device, emulatedLabelPrinters, () => createLabelEmulator(setup.profile)), onState);
  return { driver: new LabelPrinterDriver(device.id, conn, setup.profile, { stock: setup.stock }), conn };
}
