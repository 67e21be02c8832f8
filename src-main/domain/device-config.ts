import { AppError } from '../../src-common/errors.js';
import { BAUD_RATES, DEVICE_DRIVERS, type DeviceInput, type TransportConfig } from '../../src-common/rpc/schemas.js';
import { isProfileId } from '../../src-drivers/escpos/profiles.js';
import { isLabelProfileId, LABEL_PROFILES } from '../../src-drivers/label/profiles.js';
import { LABEL_PRESETS } from '../../src-common/price-tag.js';

type Options = DeviceInput['options'];

/** Which ways of reaching a device each driver can use. */
const TRANSPORTS: Record<string, readonly TransportConfig['kind'][]> = {
  escpos: ['serial', 'tcp', 'usb'],
  'serial-drawer': ['serial', 'tcp'],
  'serial-scanner': ['serial', 'tcp'],
  'hid-pos': ['hid'],
  toledo8217: ['serial', 'tcp'],
  cas: ['serial', 'tcp'],
  massak100: ['serial', 'tcp'],
  cd5220: ['serial', 'tcp'],
  shtrih: ['serial', 'tcp'],
  atol: ['tcp'],
  tspl: ['serial', 'tcp', 'usb'],
  zpl: ['serial', 'tcp', 'usb'],
};

function invalid(field: string, reason: string): never {
  throw new AppError('device_invalid', `${field}: ${reason}`, { field, reason });
}

const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const HEX_BYTES = /^([0-9a-f]{2})+$/i;

/**
 * A device as the panel submitted it, checked against what its driver understands: the driver fits
 * the kind, the transport fits the driver, and every option is one the driver reads, in range.
 * Unknown options are dropped, so the stored configuration holds only what takes effect.
 * `wasEmulated`: an emulated device (the demo's) may stay emulated; a new one may not be.
 */
export function checkDeviceConfig(d: DeviceInput, wasEmulated: boolean): { driver: string; transport: TransportConfig; options: Options } {
  const drivers: readonly string[] = DEVICE_DRIVERS[d.kind];
  if (!drivers.includes(d.driver)) invalid('driver', 'unknown_driver');
  const t = d.transport;
  if (t.kind === 'emulator') {
    if (!wasEmulated) invalid('transport', 'emulator_only_demo');
  } else if (!(TRANSPORTS[d.driver] ?? []).includes(t.kind)) invalid('transport', 'unsupported_transport');
  if (t.kind === 'serial' && !(BAUD_RATES as readonly number[]).includes(t.baudRate)) invalid('baudRate', 'unsupported_baud');
  if (t.kind === 'tcp' && !HOST.test(t.host)) invalid('host', 'bad_host');
  if (t.kind === 'hid' && !t.path && (t.vendorId === undefined || t.productId === undefined)) invalid('hid', 'pick_device');
  return { driver: d.driver, transport: t, options: checkOptions(d.driver, d.options) };
}

function checkOptions(driver: string, o: Options): Options {
  const out: Options = {};
  const int = (key: string, min: number, max: number): void => {
    const v = o[key];
    if (v === undefined || v === null || v === '') return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) invalid(key, 'out_of_range');
    out[key] = v;
  };
  const oneOf = (key: string, values: readonly (string | number)[]): void => {
    const v = o[key];
    if (v === undefined || v === null || v === '') return;
    if (typeof v === 'boolean' || !values.includes(v)) invalid(key, 'not_allowed');
    out[key] = v;
  };
  const bool = (key: string): void => {
    const v = o[key];
    if (v === undefined || v === null) return;
    if (typeof v !== 'boolean') invalid(key, 'not_allowed');
    out[key] = v;
  };
  switch (driver) {
    case 'escpos': {
      const profile = o.profile;
      if (profile !== undefined && profile !== null && profile !== '') {
        if (typeof profile !== 'string' || !isProfileId(profile)) invalid('profile', 'not_allowed');
        out.profile = profile;
      }
      oneOf('codePage', ['cp866', 'cp1251']);
      bool('drawer');
      oneOf('drawerPin', [2, 5]);
      break;
    }
    case 'tspl':
    case 'zpl': {
      // The model must speak the driver's language (a TSC is not a Zebra).
      const profile = o.profile;
      if (profile !== undefined && profile !== null && profile !== '') {
        if (typeof profile !== 'string' || !isLabelProfileId(profile) || LABEL_PROFILES[profile].language !== driver) invalid('profile', 'not_allowed');
        out.profile = profile;
      }
      oneOf('stock', Object.keys(LABEL_PRESETS));
      break;
    }
    case 'serial-scanner':
      oneOf('suffix', ['cr', 'lf', 'crlf', 'tab']);
      break;
    case 'toledo8217':
    case 'cas':
    case 'massak100':
      int('capacityGrams', 1_000, 300_000);
      break;
    case 'cd5220':
      int('width', 16, 40);
      int('codeTableN', 0, 255);
      break;
    case 'shtrih':
    case 'atol':
      // How long an operation may go unanswered before recovery asks the registrar what happened.
      int('timeoutMs', 1_000, 120_000);
      break;
    case 'serial-drawer':
      for (const key of ['openCommand', 'statusCommand']) {
        const v = o[key];
        if (v === undefined || v === null || v === '') continue;
        const hex = typeof v === 'string' ? v.replace(/\s+/g, '') : '';
        if (!HEX_BYTES.test(hex) || hex.length > 64) invalid(key, 'bad_hex');
        out[key] = hex.toLowerCase();
      }
      int('statusOpen', 0, 255);
      int('statusMask', 1, 255);
      if (out.statusCommand !== undefined && out.statusOpen === undefined) invalid('statusOpen', 'required_with_status');
      break;
  }
  return out;
}
