import { AppError } from '../../src-common/errors.js';
import { newId } from '../../src-common/ids.js';
import type { DeviceView } from '../../src-common/rpc/schemas.js';
import type { DeviceConfig } from '../db/repos/devices.js';
import { emulatedDisplays, emulatedPrinters, emulatedScales } from '../devices/drivers.js';
import { checkDeviceConfig } from '../domain/device-config.js';
import { requireUser, type HandlerCtx, type Handlers } from './context.js';

const hex4 = (n: number | undefined) => (n === undefined ? '*' : n.toString(16).padStart(4, '0'));

function connectionText(d: DeviceConfig): string {
  const t = d.transport;
  switch (t.kind) {
    case 'serial':
      return `${t.path} @ ${t.baudRate}`;
    case 'tcp':
      return `${t.host}:${t.port}`;
    case 'usb':
      return `USB ${hex4(t.vendorId)}:${hex4(t.productId)}${t.serialNumber ? ` #${t.serialNumber}` : ''}`;
    case 'hid':
      return t.path ?? `HID ${hex4(t.vendorId)}:${hex4(t.productId)}`;
    case 'emulator':
      return 'emulator';
  }
}

function deviceView(d: DeviceConfig, ctx: HandlerCtx): DeviceView {
  const s = d.enabled ? ctx.services.devices.state(d.id) : null;
  return {
    id: d.id,
    kind: d.kind,
    name: d.name,
    driver: d.driver,
    connection: connectionText(d),
    status: d.enabled ? (s?.status ?? 'init') : 'off',
    message: s?.message ?? null,
    emulated: d.transport.kind === 'emulator',
    transport: d.transport,
    options: d.options as DeviceView['options'],
    enabled: d.enabled,
    lastError: ctx.services.devices.lastError(d.id),
    drawerOpen: ctx.services.devices.sensors(d.id)?.drawerOpen ?? null,
    paperNearEnd: ctx.services.devices.sensors(d.id)?.paperNearEnd ?? null,
  };
}

/** The devices of this till with their live state, and the emulated printer's paper. */
export const deviceHandlers: Handlers<
  'devices.list' | 'devices.save' | 'devices.remove' | 'devices.ports' | 'devices.test' | 'devices.paper' | 'devices.emulatorLoad' | 'devices.display' | 'customer.view'
> = {
  'devices.list': (_p, ctx): DeviceView[] => {
    requireUser(ctx);
    return ctx.repos.devices.all().map((d) => deviceView(d, ctx));
  },

  'devices.save': ({ device }, ctx) => {
    const me = requireUser(ctx, 'settings');
    const before = device.id ? ctx.repos.devices.byId(device.id) : null;
    if (device.id && !before) throw new AppError('not_found', 'no such device', { deviceId: device.id });
    const checked = checkDeviceConfig(device, before?.transport.kind === 'emulator');
    const config: DeviceConfig = { id: before?.id ?? newId(), kind: device.kind, name: device.name, enabled: device.enabled, ...checked };
    ctx.repos.devices.upsert(config);
    ctx.repos.audit.append(ctx.clock.now(), me.userId, before ? 'device.update' : 'device.create', config.id, {
      kind: config.kind,
      driver: config.driver,
      name: config.name,
      transport: JSON.stringify(config.transport),
      options: JSON.stringify(config.options),
      enabled: config.enabled,
    });
    ctx.afterCommit(() => ctx.services.devices.reload(config.id));
    return deviceView(config, ctx);
  },

  'devices.remove': ({ deviceId }, ctx) => {
    const me = requireUser(ctx, 'settings');
    const d = ctx.repos.devices.byId(deviceId);
    if (!d || !ctx.repos.devices.remove(deviceId, ctx.clock.now())) throw new AppError('not_found', 'no such device', { deviceId });
    ctx.repos.audit.append(ctx.clock.now(), me.userId, 'device.remove', deviceId, { kind: d.kind, name: d.name });
    ctx.afterCommit(() => ctx.services.devices.reload(deviceId));
    return { ok: true };
  },

  'devices.ports': (_p, ctx) => {
    requireUser(ctx, 'settings');
    return ctx.services.devices.ports();
  },

  'devices.test': ({ deviceId, action }, ctx) => {
    requireUser(ctx);
    if (!ctx.repos.devices.byId(deviceId)) throw new AppError('not_found', 'no such device', { deviceId });
    // A test drawer kick opens the drawer like a no-sale: only for those who may do one.
    if (action === 'drawer') {
      const me = requireUser(ctx, 'no_sale');
      ctx.repos.audit.append(ctx.clock.now(), me.userId, 'device.test_drawer', deviceId, {});
    }
    return ctx.services.devices.test(deviceId, action);
  },

  'customer.view': (_p, ctx) => ctx.services.devices.customerView(),

  'devices.display': ({ deviceId }, ctx) => {
    requireUser(ctx);
    const d = emulatedDisplays.get(deviceId);
    if (!d) throw new AppError('not_found', 'no emulated display with that id', { deviceId });
    return { lines: [...d.lines] };
  },

  'devices.emulatorLoad': ({ deviceId, grams }, ctx) => {
    requireUser(ctx);
    const scale = emulatedScales.get(deviceId);
    if (!scale) throw new AppError('not_found', 'no emulated scale with that id', { deviceId });
    scale.pan.place(grams, { unstableReadings: 2 });
    return { ok: true };
  },

  'devices.paper': ({ deviceId, last }, ctx) => {
    requireUser(ctx);
    const e = emulatedPrinters.get(deviceId);
    if (!e) throw new AppError('not_found', 'no emulated printer with that id', { deviceId });
    const all = [...e.receipts, ...(e.current.lines.length > 0 ? [e.current] : [])];
    return {
      receipts: all.slice(-last).map((r) => ({
        lines: r.lines,
        cut: r.cut !== null,
        qrs: r.qrs.map((q) => q.data),
        barcodes: r.barcodes.map((b) => b.data),
      })),
      drawerKicks: e.drawerPulses.length,
    };
  },
};
