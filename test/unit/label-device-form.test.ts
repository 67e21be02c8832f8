// The device form for a label printer (renderer, pure), and the till's check of what it sends.
import { describe, expect, it } from 'vitest';
import { LABEL_PRESETS } from '../../src-common/price-tag.js';
import { DeviceInputSchema, type DeviceView } from '../../src-common/rpc/schemas.js';
import { LABEL_PROFILES } from '../../src-drivers/label/profiles.js';
import { checkDeviceConfig } from '../../src-main/domain/device-config.js';
import {
  LABEL_PRINTER_PROFILES,
  LABEL_STOCKS,
  draftFromDevice,
  draftToInput,
  newDraft,
  transportsFor,
  withDriver,
  withKind,
} from '../../src-renderer/features/devices/device-form.js';

describe('label printer in the device form', () => {
  it('offers exactly the label printer models the drivers know, each under its language, and the label stock presets', () => {
    expect(LABEL_PRINTER_PROFILES.map((p) => [p.id, p.language, p.name]).sort()).toEqual(Object.values(LABEL_PROFILES).map((p) => [p.id, p.language, p.name]).sort());
    expect([...LABEL_STOCKS].sort()).toEqual(Object.keys(LABEL_PRESETS).sort());
  });

  it('a TSC on the network: TCP 9100 by default, the model and the stock as options the till accepts', () => {
    const d = { ...withKind(newDraft(), 'label'), name: 'Ценники', host: '192.168.1.40' };
    expect(d).toMatchObject({ kind: 'label', driver: 'tspl', transport: 'tcp', port: '9100', labelProfile: 'tsc-te200', labelStock: '58x40' });
    expect(transportsFor('label', 'zpl')).toEqual(['tcp', 'usb', 'serial']);
    const r = draftToInput({ ...d, labelStock: '43x25' });
    if (!('input' in r)) throw new Error(JSON.stringify(r.errors));
    expect(r.input).toEqual({
      kind: 'label',
      driver: 'tspl',
      name: 'Ценники',
      transport: { kind: 'tcp', host: '192.168.1.40', port: 9100 },
      options: { profile: 'tsc-te200', stock: '43x25' },
      enabled: true,
    });
    const parsed = DeviceInputSchema.parse(r.input);
    expect(checkDeviceConfig(parsed, false).options).toEqual({ profile: 'tsc-te200', stock: '43x25' });
  });

  it('another language, another model; the till refuses a model of the other language and a stock it does not know', () => {
    const zpl = withDriver(withKind(newDraft(), 'label'), 'zpl');
    expect(zpl.labelProfile).toBe('zebra-gk420');
    const input = (options: Record<string, string>) => DeviceInputSchema.parse({ kind: 'label', driver: 'zpl', name: 'Zebra', transport: { kind: 'tcp', host: '10.0.0.9', port: 9100 }, options });
    expect(() => checkDeviceConfig(input({ profile: 'tsc-te200' }), false)).toThrow(expect.objectContaining({ code: 'device_invalid', details: { field: 'profile', reason: 'not_allowed' } }));
    expect(() => checkDeviceConfig(input({ profile: 'zebra-zd220', stock: '100x150' }), false)).toThrow(expect.objectContaining({ details: { field: 'stock', reason: 'not_allowed' } }));
    expect(checkDeviceConfig(input({ profile: 'zebra-zd421-300', stock: '58x40', codePage: 'cp866' }), false).options).toEqual({ profile: 'zebra-zd421-300', stock: '58x40' });
  });

  it('an emulated demo label printer comes back into the form as it was', () => {
    const view: DeviceView = {
      id: 'demo-label',
      kind: 'label',
      name: 'TSC TE200 (эмулятор)',
      driver: 'tspl',
      connection: 'emulator',
      status: 'connected',
      message: null,
      emulated: true,
      transport: { kind: 'emulator' },
      options: { profile: 'xprinter-xp365b', stock: '43x25' },
      enabled: true,
      lastError: null,
      drawerOpen: null,
      paperNearEnd: null,
    };
    const d = draftFromDevice(view);
    expect(d).toMatchObject({ kind: 'label', transport: 'emulator', labelProfile: 'xprinter-xp365b', labelStock: '43x25', drawer: false });
    const r = draftToInput(d);
    expect('input' in r && r.input.options).toEqual({ profile: 'xprinter-xp365b', stock: '43x25' });
  });
});
