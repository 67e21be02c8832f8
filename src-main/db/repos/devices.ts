import type { TransportConfig } from '../../../src-common/rpc/schemas.js';
import type { Db } from '../open.js';

export type { TransportConfig };
export type DeviceKind = 'printer' | 'drawer' | 'scanner' | 'scale' | 'display' | 'label' | 'fiscal';

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
      all: db.prepare('SELECT * FROM devices WHERE removed_at IS NULL ORDER BY kind, name, id'),
      byId: db.prepare('SELECT * FROM devices WHERE id = ? AND removed_at IS NULL'),
      remove: db.prepare('UPDATE devices SET removed_at = ?, enabled = 0 WHERE id = ? AND removed_at IS NULL'),
      upsert: db.prepare(`INSERT INTO devices (id, kind, driver, name, transport, options, enabled) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, driver = excluded.driver, name = excluded.name,
          transport = excluded.transport, options = excluded.options, enabled = excluded.enabled`),
    };
  }
  all(): DeviceConfig[] {
    return (this.s.all.all() as Row[]).map(toConfig);
  }
  byId(id: string): DeviceConfig | null {
    const r = this.s.byId.get(id) as Row | undefined;
    return r ? toConfig(r) : null;
  }
  /** False when there is no such device. */
  remove(id: string, at: number): boolean {
    return this.s.remove.run(at, id).changes === 1;
  }
  upsert(d: DeviceConfig): void {
    this.s.upsert.run(d.id, d.kind, d.driver, d.name, JSON.stringify(d.transport), JSON.stringify(d.options), d.enabled ? 1 : 0);
  }
}
