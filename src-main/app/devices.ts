import { AppError } from '../../src-common/errors.js';
import type { DeviceView } from '../../src-common/rpc/schemas.js';
import type { DeviceConfig } from '../db/repos/devices.js';
import { emulatedDisplays, emulatedPrinters, emulatedScales } from '../devices/drivers.js';
import { requireUser, type Handlers } from './context.js';

function connectionText(d: DeviceConfig): string {
  const t = d.transport;
  return t.kind === 'serial' ? `${t.path} @ ${t.baudRate}` : t.kind === 'tcp' ? `${t.host}:${t.port}` : 'emulator';
}

/** The devices of this till with their live state, and the emulated printer's paper. */
export const deviceHandlers: Handlers<'devices.list' | 'devices.paper' | 'devices.emulatorLoad' | 'devices.display'> = {
  'devices.list': (_p, ctx): DeviceView[] => {
    requireUser(ctx);
    return ctx.repos.devices.all().map((d) => {
      const s = d.enabled ? ctx.services.deviceState(d.id) : null;
      return {
        id: d.id,
        kind: d.kind,
        name: d.name,
        driver: d.driver,
        connection: connectionText(d),
        status: d.enabled ? (s?.status ?? 'init') : 'off',
        message: s?.message ?? null,
        emulated: d.transport.kind === 'emulator',
      };
    });
  },

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
