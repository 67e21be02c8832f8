import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src-common/clock.js';
import { createBackend, type Backend, type BackendConfig } from '../../src-main/host/backend.js';
import type { Logger } from '../../src-main/rpc/dispatcher.js';

export const MIGRATIONS_DIR = join(import.meta.dirname, '..', '..', 'migrations');

export interface TestBackend {
  backend: Backend;
  dir: string;
  dbPath: string;
  clock: ManualClock;
  logs: { level: string; msg: string; data?: Record<string, unknown> }[];
  /** Close and open the same store again, as a restart would (optionally with other settings). */
  restart(overrides?: Partial<BackendConfig>): Backend;
  dispose(): void;
}

/** A real backend on a real SQLite file in a temp dir, with the demo store and a small catalog. */
export function makeBackend(overrides: Partial<BackendConfig> = {}): TestBackend {
  const dir = mkdtempSync(join(tmpdir(), 'lavka-test-'));
  const dbPath = join(dir, 'till.sqlite');
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 9, 0, 0));
  const logs: TestBackend['logs'] = [];
  const log: Logger = {
    info: (msg, data) => logs.push({ level: 'info', msg, data }),
    error: (msg, data) => logs.push({ level: 'error', msg, data }),
  };
  const config: BackendConfig = {
    dbPath,
    migrationsDir: MIGRATIONS_DIR,
    clock,
    log,
    demo: { products: 200 },
    checkResults: true,
    ...overrides,
  };
  const t: TestBackend = {
    backend: createBackend(config),
    dir,
    dbPath,
    clock,
    logs,
    restart(more = {}) {
      t.backend.close();
      t.backend = createBackend({ ...config, ...more });
      return t.backend;
    },
    dispose() {
      t.backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}
