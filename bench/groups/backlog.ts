import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { EpochMs } from '../../src-common/units.js';
import { createBackend } from '../../src-main/host/backend.js';
import { buildServer } from '../../src-server/app.js';
import { migrateServer } from '../../src-server/migrate.js';
import { MIGRATIONS_DIR } from '../catalog-cache.js';
import { headOfficeDb } from '../head-office-db.js';
import type { Group } from '../context.js';
import { round } from '../stats.js';
import { saleEvent } from './ingest.js';

const BACKLOG = 20_000;

/**
 * A till that sold 20,000 receipts while cut off from the head office (PostgreSQL when one
 * answers, else PGlite) enrolls and drains its outbox through the real sync service over HTTP:
 * seconds from the enrollment request until every event is acked.
 */
export const backlogGroup: Group = {
  name: 'backlog',
  describe: `a till drains a backlog of ${BACKLOG.toLocaleString('en')} queued sales to the head office over HTTP`,
  async run(ctx) {
    const { db, drop } = await headOfficeDb();
    try {
      await migrateServer(db);
      const app = await buildServer({ db, adminToken: 'bench' });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const admin = async (path: string, body: unknown) => (await app.inject({ method: 'POST', url: path, headers: { authorization: 'Bearer bench' }, payload: body as object })).json() as Record<string, string>;
      const store = await admin('/v1/admin/stores', { name: 'Bench' });
      const till = await admin('/v1/admin/tills', { storeId: store.id, name: 'Till' });
      const { code } = await admin(`/v1/admin/tills/${till.id}/enrollment-codes`, {});
      const dir = join(ctx.workDir, 'backlog');
      mkdirSync(dir, { recursive: true });
      const backend = createBackend({ dbPath: join(dir, 'till.sqlite'), migrationsDir: MIGRATIONS_DIR, log: { info: () => undefined, error: () => undefined }, demo: false, sync: { kickDelayMs: 0 } });
      try {
        // The backlog: 20,000 five-line sales as the outbox holds them (what checkout.complete appends).
        const at = Date.now();
        backend.db.transaction(() => {
          for (let i = 0; i < BACKLOG; i++) backend.repos.outbox.append('sales', 'sale.completed', JSON.parse(saleEvent(i + 1, at + i).payload) as unknown, (at + i) as EpochMs);
        })();
        ctx.log(`backlog: ${BACKLOG} sales queued; enrolling`);
        const t0 = performance.now();
        backend.sync.enroll(url, code!, null);
        for (;;) {
          await new Promise((r) => setTimeout(r, 20));
          const s = backend.sync.status();
          if (s.enrollment.state === 'failed') throw new Error(`enrollment failed: ${JSON.stringify(s.enrollment.error)}`);
          if (s.enrolled && s.queued.total === 0) break;
          if (performance.now() - t0 > 300_000) throw new Error(`not drained after 300 s: ${s.queued.total} queued`);
        }
        const seconds = (performance.now() - t0) / 1000;
        const recorded = Number((await db.query<{ n: number }>('SELECT count(*) AS n FROM sales'))[0]?.n);
        if (recorded !== BACKLOG) throw new Error(`${recorded} sales recorded at the head office, ${BACKLOG} queued`);
        return { backlog_20k_s: round(seconds), backlog_server: db.kind === 'postgres' ? 1 : 0 };
      } finally {
        backend.close();
        await app.close();
      }
    } finally {
      await drop();
    }
  },
};
