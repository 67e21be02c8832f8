// The device form's data, apart from React: a draft the fields edit, turned into the DeviceInput
// devices.save takes (or into the fields to fix). Pure, so it is unit-tested without a browser.
import { parseQty } from '../../../src-common/money.js';
import {
  BAUD_RATES,
  DEVICE_DRIVERS,
  type ConfigurableDeviceKind,
  type DeviceInput,
  type DeviceView,
  type TransportConfig,
} from '../../../src-common/rpc/schemas.js';

export const DEVICE_KINDS = Object.keys(DEVICE_DRIVERS) as ConfigurableDeviceKind[];
export type TransportKind = TransportConfig['kind'];
type OptionValue = string | number | boolean | null;

/**
 * The ESC/POS printer profiles the till knows (src-drivers/escpos/profiles.ts; the renderer may not
 * import drivers, and a unit test keeps the two lists equal). Model names are not translated.
 */
export const PRINTER_PROFILES = [
  { id: 'epson-tm-t20', name: 'Epson TM-T20II/III (80 mm)' },
  { id: 'epson-tm-t88', name: 'Epson TM-T88V/VI (80 mm)' },
  { id: 'clone-58', name: 'POS-5890 class 58 mm (Zjiang, Netum, Xprinter)' },
  { id: 'clone-80', name: 'POS-80 class 80 mm (Zjiang, Netum, Xprinter)' },
  { id: 'rongta-rp326', name: 'Rongta RP326/RP332 (80 mm)' },
  { id: 'star-tsp100', name: 'Star TSP100 (ESC/POS emulation)' },
] as const;
/**
 * The label printer models the till knows (src-drivers/label/profiles.ts, kept equal by a unit test),
 * each with the command language its driver speaks.
 */
export const LABEL_PRINTER_PROFILES = [
  { id: 'tsc-te200', language: 'tspl', name: 'TSC TE200/TE210 (TSPL, 203 dpi, CP1251)' },
  { id: 'xprinter-xp365b', language: 'tspl', name: 'Xprinter XP-365B (TSPL, 203 dpi, CP1251)' },
  { id: 'xprinter-xp365b-utf8', language: 'tspl', name: 'Xprinter XP-365B (TSPL, 203 dpi, UTF-8 with scalable font 0)' },
  { id: 'zebra-gk420', language: 'zpl', name: 'Zebra GK420d/GK420t (ZPL, 203 dpi)' },
  { id: 'zebra-zd220', language: 'zpl', name: 'Zebra ZD220/ZD230 (ZPL, 203 dpi)' },
  { id: 'zebra-zd421-300', language: 'zpl', name: 'Zebra ZD421 300 dpi (ZPL)' },
  { id: 'zpl-cp1251', language: 'zpl', name: 'ZPL printer, code page 1251 (^CI33, x.16 firmware or later), 7-bit job' },
] as const;
/** The label stock presets (src-common/price-tag.ts LABEL_PRESETS). */
export const LABEL_STOCKS = ['58x40', '43x25'] as const;

/** The label printer models a driver (command language) drives. */
export function labelProfilesFor(driver: string): (typeof LABEL_PRINTER_PROFILES)[number][] {
  return LABEL_PRINTER_PROFILES.filter((p) => p.language === driver);
}

const isLabelDriver = (driver: string): boolean => driver === 'tspl' || driver === 'zpl';
export const CODE_PAGES = ['cp866', 'cp1251'] as const;
export const SCANNER_SUFFIXES = ['cr', 'lf', 'crlf', 'tab'] as const;
export const DRAWER_PINS = [2, 5] as const;
/** Raw TCP printers listen here (JetDirect). */
export const PRINTER_TCP_PORT = 9100;
/** The ranges the till accepts (src-main/domain/device-config.ts). */
export const CAPACITY_KG = { min: 1, max: 300 } as const;
export const DISPLAY_WIDTH = { min: 16, max: 40 } as const;
const MAX_COMMAND_BYTES = 32;
const DEFAULT_BAUD = 9600;

/** The form's fields that can carry a message of their own. */
export type FieldKey =
  | 'name'
  | 'driver'
  | 'path'
  | 'baudRate'
  | 'host'
  | 'port'
  | 'usb'
  | 'hid'
  | 'profile'
  | 'codePage'
  | 'drawerPin'
  | 'suffix'
  | 'capacity'
  | 'width'
  | 'openCommand'
  | 'statusCommand'
  | 'statusOpen';

export interface UsbPick {
  vendorId: number;
  productId: number;
  serialNumber?: string;
}
export interface HidPick {
  path?: string;
  vendorId?: number;
  productId?: number;
}

export interface DeviceDraft {
  /** Absent for a new device. */
  id?: string;
  kind: ConfigurableDeviceKind;
  driver: string;
  name: string;
  enabled: boolean;
  transport: TransportKind;
  path: string;
  baudRate: number;
  host: string;
  port: string;
  usb: UsbPick | null;
  hid: HidPick | null;
  profile: string;
  /** '' = the profile's default code page (the option is left out). */
  codePage: string;
  /** A drawer on this printer's kick-out port. */
  drawer: boolean;
  drawerPin: number;
  suffix: string;
  /** Kilograms as typed. */
  capacity: string;
  width: string;
  openCommand: string;
  statusCommand: string;
  /** The status answer byte (hex) that means open; needed with a status command. */
  statusOpen: string;
  /** A label printer's model (profile id) and the labels loaded in it. */
  labelProfile: string;
  labelStock: string;
  /** Options this form does not edit: saved back as they were. */
  extra: Record<string, OptionValue>;
}

/**
 * How each driver can be reached from this form (an emulated device keeps its emulator). Serial
 * devices may also sit behind a serial-to-Ethernet converter (TCP).
 */
export function transportsFor(kind: ConfigurableDeviceKind, driver: string): TransportKind[] {
  if (kind === 'printer' || kind === 'label') return ['tcp', 'usb', 'serial'];
  if (driver === 'hid-pos') return ['hid'];
  // ATOL is reached through its Driver v10 web server (host and port).
  if (driver === 'atol') return ['tcp'];
  return ['serial', 'tcp'];
}

export function driversFor(kind: ConfigurableDeviceKind): readonly string[] {
  return DEVICE_DRIVERS[kind];
}

export function isConfigurableKind(kind: string): kind is ConfigurableDeviceKind {
  return Object.hasOwn(DEVICE_DRIVERS, kind);
}

/** Whether a printer has a drawer on its kick-out port. Older configs set only `drawerPin`. */
export function printerHasDrawer(options: Record<string, unknown>): boolean {
  if (typeof options.drawer === 'boolean') return options.drawer;
  return options.drawerPin === 2 || options.drawerPin === 5;
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

/** A USB id pair as people read it off a label: 04b8:0e15. */
export function usbIds(vendorId: number | undefined, productId: number | undefined): string {
  return vendorId === undefined || productId === undefined ? '' : `${hex4(vendorId)}:${hex4(productId)}`;
}

/** The connection as one line (the emulator is named by the caller, in the screen's language). */
export function transportText(t: TransportConfig): string {
  switch (t.kind) {
    case 'serial':
      return `${t.path} @ ${t.baudRate}`;
    case 'tcp':
      return `${t.host}:${t.port}`;
    case 'usb':
      return `USB ${usbIds(t.vendorId, t.productId)}${t.serialNumber ? ` #${t.serialNumber}` : ''}`;
    case 'hid':
      return `HID ${t.path ?? usbIds(t.vendorId, t.productId)}`;
    case 'emulator':
      return 'emulator';
  }
}

export const usbKey = (u: { vendorId: number; productId: number; serialNumber?: string | null | undefined }): string => `${u.vendorId}:${u.productId}:${u.serialNumber ?? ''}`;
export const hidKey = (h: HidPick): string => h.path ?? `${h.vendorId ?? ''}:${h.productId ?? ''}`;

/** What a driver's options start as on a new device. */
function driverDefaults(driver: string): Pick<DeviceDraft, 'capacity' | 'width' | 'openCommand' | 'suffix'> {
  return {
    capacity: driver === 'toledo8217' ? '6' : '15',
    width: '20',
    openCommand: '07',
    suffix: 'cr',
  };
}

export function newDraft(kind: ConfigurableDeviceKind = 'printer', driver: string = DEVICE_DRIVERS[kind][0]): DeviceDraft {
  const transport = transportsFor(kind, driver)[0]!;
  return {
    kind,
    driver,
    name: '',
    enabled: true,
    transport,
    path: '',
    baudRate: DEFAULT_BAUD,
    host: '',
    port: kind === 'printer' || kind === 'label' ? String(PRINTER_TCP_PORT) : '',
    usb: null,
    hid: null,
    profile: PRINTER_PROFILES[0].id,
    codePage: '',
    drawer: false,
    drawerPin: 2,
    statusCommand: '',
    statusOpen: '',
    labelProfile: labelProfilesFor(driver)[0]?.id ?? '',
    labelStock: LABEL_STOCKS[0],
    extra: {},
    ...driverDefaults(driver),
  };
}

/** Another kind: its first driver, a transport it can use, the name left as typed. */
export function withKind(d: DeviceDraft, kind: ConfigurableDeviceKind): DeviceDraft {
  if (kind === d.kind) return d;
  return { ...newDraft(kind), id: d.id, name: d.name, enabled: d.enabled, path: d.path, baudRate: d.baudRate };
}

export function withDriver(d: DeviceDraft, driver: string): DeviceDraft {
  if (driver === d.driver) return d;
  const allowed = transportsFor(d.kind, driver);
  const transport = d.transport === 'emulator' || allowed.includes(d.transport) ? d.transport : allowed[0]!;
  // A label printer model speaks one language: another driver, another model.
  const labelProfile = isLabelDriver(driver) && !labelProfilesFor(driver).some((p) => p.id === d.labelProfile) ? (labelProfilesFor(driver)[0]?.id ?? '') : d.labelProfile;
  return { ...d, driver, transport, labelProfile, ...(d.id === undefined ? driverDefaults(driver) : {}) };
}

const MANAGED_OPTIONS = ['profile', 'codePage', 'drawer', 'drawerPin', 'suffix', 'capacityGrams', 'width', 'openCommand', 'statusCommand', 'statusOpen', 'statusMask', 'stock'];

const str = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);

/** The form's draft of a configured device. */
export function draftFromDevice(v: DeviceView): DeviceDraft {
  const kind = isConfigurableKind(v.kind) ? v.kind : 'printer';
  const base = newDraft(kind, v.driver);
  const o = v.options;
  const t = v.transport;
  const extra: Record<string, OptionValue> = {};
  for (const [k, val] of Object.entries(o)) if (!MANAGED_OPTIONS.includes(k)) extra[k] = val;
  return {
    ...base,
    id: v.id,
    name: v.name,
    enabled: v.enabled,
    transport: t.kind,
    path: t.kind === 'serial' ? t.path : '',
    baudRate: t.kind === 'serial' ? t.baudRate : base.baudRate,
    host: t.kind === 'tcp' ? t.host : '',
    port: t.kind === 'tcp' ? String(t.port) : base.port,
    usb: t.kind === 'usb' ? { vendorId: t.vendorId, productId: t.productId, ...(t.serialNumber ? { serialNumber: t.serialNumber } : {}) } : null,
    hid: t.kind === 'hid' ? { ...(t.path ? { path: t.path } : {}), ...(t.vendorId !== undefined ? { vendorId: t.vendorId } : {}), ...(t.productId !== undefined ? { productId: t.productId } : {}) } : null,
    profile: isLabelDriver(v.driver) ? base.profile : str(o.profile, base.profile),
    codePage: str(o.codePage, ''),
    drawer: kind === 'printer' && printerHasDrawer(o),
    drawerPin: o.drawerPin === 5 ? 5 : 2,
    suffix: str(o.suffix, base.suffix),
    capacity: typeof o.capacityGrams === 'number' ? String(o.capacityGrams / 1000) : base.capacity,
    width: typeof o.width === 'number' ? String(o.width) : base.width,
    openCommand: str(o.openCommand, base.openCommand),
    statusCommand: str(o.statusCommand, ''),
    statusOpen: typeof o.statusOpen === 'number' ? o.statusOpen.toString(16).padStart(2, '0') : '',
    labelProfile: isLabelDriver(v.driver) ? str(o.profile, base.labelProfile) : base.labelProfile,
    labelStock: str(o.stock, base.labelStock),
    extra,
  };
}

/** Hex bytes as typed ("1b 70 00", "07") → "1b7000"; null when they are not whole bytes (1 to 32). */
export function normalizeHex(text: string): string | null {
  const s = text.replace(/[\s,]+/g, '').replace(/^0x/i, '').toLowerCase();
  return /^(?:[0-9a-f]{2})+$/.test(s) && s.length <= MAX_COMMAND_BYTES * 2 ? s : null;
}

/** i18n keys (under devices.fieldErrors) per field. */
export type FieldErrors = Partial<Record<FieldKey, string>>;

function transportOf(d: DeviceDraft, errors: FieldErrors): TransportConfig | null {
  switch (d.transport) {
    case 'serial': {
      const path = d.path.trim();
      if (path === '') errors.path = 'path';
      if (!(BAUD_RATES as readonly number[]).includes(d.baudRate)) errors.baudRate = 'baudRate';
      return { kind: 'serial', path, baudRate: d.baudRate };
    }
    case 'tcp': {
      const host = d.host.trim();
      if (host === '' || /\s/.test(host)) errors.host = 'host';
      const port = /^\d{1,5}$/.test(d.port.trim()) ? Number(d.port.trim()) : NaN;
      if (!(port >= 1 && port <= 65_535)) errors.port = 'port';
      return { kind: 'tcp', host, port };
    }
    case 'usb':
      if (!d.usb) {
        errors.usb = 'usb';
        return null;
      }
      return { kind: 'usb', ...d.usb };
    case 'hid':
      if (!d.hid || (d.hid.path === undefined && d.hid.vendorId === undefined)) {
        errors.hid = 'hid';
        return null;
      }
      return { kind: 'hid', ...d.hid };
    case 'emulator':
      return { kind: 'emulator' };
  }
}

function optionsOf(d: DeviceDraft, errors: FieldErrors): Record<string, OptionValue> {
  const o: Record<string, OptionValue> = { ...d.extra };
  switch (d.driver) {
    case 'escpos':
      if (!PRINTER_PROFILES.some((p) => p.id === d.profile)) errors.profile = 'profile';
      o.profile = d.profile;
      if (d.codePage !== '') o.codePage = d.codePage;
      o.drawer = d.drawer;
      if (d.drawer) o.drawerPin = d.drawerPin === 5 ? 5 : 2;
      break;
    case 'tspl':
    case 'zpl':
      if (!labelProfilesFor(d.driver).some((p) => p.id === d.labelProfile)) errors.profile = 'profile';
      o.profile = d.labelProfile;
      // Picked from LABEL_STOCKS: anything else is the till's to refuse.
      o.stock = d.labelStock;
      break;
    case 'serial-scanner':
      o.suffix = d.suffix;
      break;
    case 'toledo8217':
    case 'cas':
    case 'massak100': {
      const grams = parseQty(d.capacity);
      if (grams === null || grams < CAPACITY_KG.min * 1000 || grams > CAPACITY_KG.max * 1000) errors.capacity = 'capacity';
      else o.capacityGrams = grams;
      break;
    }
    case 'cd5220': {
      const width = /^\d{1,2}$/.test(d.width.trim()) ? Number(d.width.trim()) : NaN;
      if (!(width >= DISPLAY_WIDTH.min && width <= DISPLAY_WIDTH.max)) errors.width = 'width';
      else o.width = width;
      break;
    }
    case 'serial-drawer': {
      const open = normalizeHex(d.openCommand);
      if (open === null) errors.openCommand = 'hex';
      else o.openCommand = open;
      if (d.statusCommand.trim() !== '') {
        const status = normalizeHex(d.statusCommand);
        const open = d.statusOpen.trim();
        if (status === null) errors.statusCommand = 'hex';
        else if (!/^[0-9a-f]{1,2}$/i.test(open)) errors.statusOpen = 'hexByte';
        else {
          o.statusCommand = status;
          o.statusOpen = parseInt(open, 16);
        }
      }
      break;
    }
  }
  return o;
}

/** The DeviceInput to save, or the fields to fix first (nothing is sent then). */
export function draftToInput(d: DeviceDraft): { input: DeviceInput } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = d.name.trim();
  if (name === '') errors.name = 'name';
  else if (name.length > 60) errors.name = 'nameLong';
  if (!driversFor(d.kind).includes(d.driver)) errors.driver = 'driver';
  const transport = transportOf(d, errors);
  const options = optionsOf(d, errors);
  if (Object.keys(errors).length > 0 || !transport) return { errors };
  return {
    input: { ...(d.id !== undefined ? { id: d.id } : {}), kind: d.kind, driver: d.driver, name, transport, options, enabled: d.enabled },
  };
}

const OPTION_FIELDS: Record<string, FieldKey> = {
  profile: 'profile',
  codePage: 'codePage',
  drawer: 'drawerPin',
  drawerPin: 'drawerPin',
  suffix: 'suffix',
  capacityGrams: 'capacity',
  width: 'width',
  openCommand: 'openCommand',
  statusCommand: 'statusCommand',
  statusOpen: 'statusOpen',
};

const TRANSPORT_FIELDS: readonly string[] = ['path', 'baudRate', 'host', 'port'];

/**
 * Which form field a refusal from the till names: device_invalid names "host", "baudRate", "hid",
 * an option key ("capacityGrams"); a schema refusal names a path ("device.transport.port",
 * "device.options.width"). Null when it names none of them (the message goes under the form).
 */
export function fieldOfServerError(path: unknown, transport: TransportKind): FieldKey | null {
  if (typeof path !== 'string') return null;
  const parts = path.split('.').filter((p) => p !== 'device');
  const [head, sub] = parts;
  if (head === 'name' || head === 'driver') return head;
  if (head === 'usb' || head === 'hid') return head;
  if (head !== undefined && TRANSPORT_FIELDS.includes(head)) return transport === 'usb' || transport === 'hid' ? transport : (head as FieldKey);
  if (head === 'transport') {
    if (transport === 'usb' || transport === 'hid') return transport;
    if (sub === 'path' || sub === 'baudRate' || sub === 'host' || sub === 'port') return sub;
    return null;
  }
  if (head === 'options' && sub !== undefined) return OPTION_FIELDS[sub] ?? null;
  return OPTION_FIELDS[head ?? ''] ?? null;
}
