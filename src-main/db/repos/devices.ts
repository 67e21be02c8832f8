import type { Db } from '../open.js';

export type DeviceKind = 'printer' | 'drawer' | 'scanner' | 'scale' | 'display' | 'label' | 'fiscal';

export type TransportConfig =
  | { kind: 'serial'; path: string; baudRate: number }
  | { kind: 'tcp'; host: string; port: number }
  /** An emulator inside the till process: the demo store's devices, with no hardware. */
  | { kind: 'emulator' };

export interface DeviceConfig {
  id: string;
  kind: DeviceKind;
  driver: string;
  name: string;
  transport: TransportConfig;
  options: Record<string, unknown>;
  enabled: boolean;
}

interface Row {
  id: string;
  kind: DeviceKind;
  driver: string;
  name: string;
  transport: string;
  options: string;
  enabled: number;
}

const toConfig = (r: Row): DeviceConfig => ({
  id: r.id,
  kind: r.kind,
  driver: r.driver,
  name: r.name,
  transport: JSON.parse(r.transport) as TransportConfig,
  options: JSON.parse(r.options) as Record<string, unknown>,
  enabled: r.enabled === 1,
});

/** The devices attached to this till, as data (the device panel edits them). */
export class DevicesRepo {
  private readonly s;
  constructor(db: Db) {
    this.s = {
      all: db.prepare('SELECT * FROM devices ORDER BY kind, name'),
      upsert: db.prepare(`INSERT INTO devices (id, kind, driver, name, transport, options, enabled) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, driver = excluded.driver, name = excluded.name,
          transport = excluded.transport, options = excluded.options, enabled = excluded.enabled`),
    };
  }
  all(): DeviceConfig[] {
    return (this.s.all.all() as Row[]).map(toConfig);
  }
  upsert(d: DeviceConfig): void {
    this.s.upsert.run(d.id, d.kind, d.driver, d.name, JSON.stringify(d.transport), JSON.stringify(d.options), d.enabled ? 1 : 0);
  }
}
