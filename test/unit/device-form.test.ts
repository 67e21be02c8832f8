// The device panel's form logic (renderer, pure): drafts → DeviceInput, the checks, refusals → fields.
import { describe, expect, it } from 'vitest';
import { DeviceInputSchema, type DeviceView } from '../../src-common/rpc/schemas.js';
import { PROFILE_IDS } from '../../src-drivers/escpos/profiles.js';
import {
  PRINTER_PROFILES,
  draftFromDevice,
  draftToInput,
  fieldOfServerError,
  newDraft,
  normalizeHex,
  printerHasDrawer,
  transportsFor,
  withDriver,
  withKind,
} from '../../src-renderer/features/devices/device-form.js';

const demoPrinter: DeviceView = {
  id: 'demo-printer',
  kind: 'printer',
  name: 'Epson TM-T20 (эмулятор)',
  driver: 'escpos',
  connection: 'emulator',
  status: 'connected',
  message: null,
  emulated: true,
  transport: { kind: 'emulator' },
  options: { profile: 'epson-tm-t20', codePage: 'cp866', drawerPin: 2 },
  enabled: true,
  lastError: null,
  drawerOpen: null,
  paperNearEnd: null,
};

describe('device form', () => {
  it('offers exactly the printer profiles the driver knows', () => {
    expect(PRINTER_PROFILES.map((p) => p.id).sort()).toEqual([...PROFILE_IDS].sort());
  });

  it('a network printer on 9100 becomes a DeviceInput the contract accepts', () => {
    const d = { ...newDraft('printer'), name: ' Kitchen printer ', host: '192.168.1.50' };
    expect(d.transport).toBe('tcp');
    expect(d.port).toBe('9100');
    const r = draftToInput(d);
    expect(r).toEqual({
      input: {
        kind: 'printer',
        driver: 'escpos',
        name: 'Kitchen printer',
        transport: { kind: 'tcp', host: '192.168.1.50', port: 9100 },
        options: { profile: 'epson-tm-t20', drawer: false },
        enabled: true,
      },
    });
    if ('input' in r) expect(DeviceInputSchema.parse(r.input)).toEqual(r.input);
  });

  it('port 0, an empty host and an empty name are field errors and produce no input', () => {
    expect(draftToInput({ ...newDraft('printer'), name: 'P', host: '10.0.0.9', port: '0' })).toEqual({ errors: { port: 'port' } });
    expect(draftToInput({ ...newDraft('printer'), name: 'P', host: '  ' })).toEqual({ errors: { host: 'host' } });
    expect(draftToInput({ ...newDraft('printer'), name: '', host: 'h', port: '70000' })).toEqual({ errors: { name: 'name', port: 'port' } });
    expect(draftToInput({ ...newDraft('printer'), name: 'P', transport: 'usb' })).toEqual({ errors: { usb: 'usb' } });
  });

  it('an older printer config with only drawerPin has a drawer; editing it keeps its options and emulator', () => {
    expect(printerHasDrawer(demoPrinter.options)).toBe(true);
    expect(printerHasDrawer({ drawer: false, drawerPin: 2 })).toBe(false);
    const d = draftFromDevice(demoPrinter);
    expect(d).toMatchObject({ id: 'demo-printer', transport: 'emulator', drawer: true, drawerPin: 2, codePage: 'cp866' });
    expect(draftToInput({ ...d, drawerPin: 5 })).toEqual({
      input: {
        id: 'demo-printer',
        kind: 'printer',
        driver: 'escpos',
        name: 'Epson TM-T20 (эмулятор)',
        transport: { kind: 'emulator' },
        options: { profile: 'epson-tm-t20', codePage: 'cp866', drawer: true, drawerPin: 5 },
        enabled: true,
      },
    });
  });

  it('per-driver options: scale capacity in kg, drawer commands in hex, scanner transport by driver', () => {
    const scale = { ...withKind(newDraft(), 'scale'), name: 'Scale', path: '/dev/ttyUSB1', capacity: '15' };
    expect(draftToInput(scale)).toMatchObject({ input: { driver: 'toledo8217', transport: { kind: 'serial', path: '/dev/ttyUSB1', baudRate: 9600 }, options: { capacityGrams: 15_000 } } });
    expect(draftToInput({ ...scale, capacity: 'lots' })).toEqual({ errors: { capacity: 'capacity' } });

    const drawer = { ...withKind(newDraft(), 'drawer'), name: 'Drawer', path: 'COM3', openCommand: '1B 70 00 19 FA', statusCommand: 'zz' };
    expect(draftToInput(drawer)).toEqual({ errors: { statusCommand: 'hex' } });
    expect(draftToInput({ ...drawer, statusCommand: '' })).toMatchObject({ input: { options: { openCommand: '1b700019fa' } } });
    expect(normalizeHex('07')).toBe('07');
    expect(normalizeHex('7')).toBeNull();

    const scanner = withKind(newDraft(), 'scanner');
    expect(scanner.transport).toBe('serial');
    const hid = withDriver(scanner, 'hid-pos');
    expect(hid.transport).toBe('hid');
    expect(transportsFor('scanner', 'hid-pos')).toEqual(['hid']);
    expect(transportsFor('display', 'cd5220')).toEqual(['serial', 'tcp']);
    expect(draftToInput({ ...withKind(newDraft(), 'display'), name: 'D', path: 'COM2', width: '8' })).toEqual({ errors: { width: 'width' } });
    expect(draftToInput({ ...scale, capacity: '500' })).toEqual({ errors: { capacity: 'capacity' } });
    expect(draftToInput({ ...hid, name: 'S' })).toEqual({ errors: { hid: 'hid' } });
    expect(draftToInput({ ...hid, name: 'S', hid: { path: '/dev/hidraw0', vendorId: 0x05e0, productId: 0x1200 } })).toMatchObject({
      input: { driver: 'hid-pos', transport: { kind: 'hid', path: '/dev/hidraw0', vendorId: 0x05e0, productId: 0x1200 } },
    });
  });

  it('a refusal naming a field lands on that field', () => {
    expect(fieldOfServerError('device.transport.port', 'tcp')).toBe('port');
    expect(fieldOfServerError('transport.host', 'tcp')).toBe('host');
    expect(fieldOfServerError('transport.vendorId', 'usb')).toBe('usb');
    expect(fieldOfServerError('transport.path', 'hid')).toBe('hid');
    expect(fieldOfServerError('options.capacityGrams', 'serial')).toBe('capacity');
    expect(fieldOfServerError('profile', 'tcp')).toBe('profile');
    expect(fieldOfServerError('device.name', 'tcp')).toBe('name');
    expect(fieldOfServerError('host', 'tcp')).toBe('host');
    expect(fieldOfServerError('baudRate', 'serial')).toBe('baudRate');
    expect(fieldOfServerError('hid', 'hid')).toBe('hid');
    expect(fieldOfServerError('width', 'serial')).toBe('width');
    expect(fieldOfServerError('transport', 'tcp')).toBeNull();
    expect(fieldOfServerError('something', 'tcp')).toBeNull();
    expect(fieldOfServerError(undefined, 'tcp')).toBeNull();
  });
});
