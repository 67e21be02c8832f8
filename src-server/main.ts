import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildServer } from './app.js';
import { adminToken, serverConfig } from './config.js';
import { openPglite, openPostgres, type ServerDb } from './db/db.js';
import { compactChangeLog } from './catalog.js';
import { migrateServer } from './migrate.js';
import { expirePoints } from './loyalty.js';

/** `npm run server`: the head office on PostgreSQL (DATABASE_URL) or, by default, on PGlite in its data directory. */
async function main(): Promise<void> {
  const config = serverConfig();
  let db: ServerDb;
  if (config.databaseUrl) db = await openPostgres(config.databaseUrl);
  else {
    mkdirSync(config.dataDir, { recursive: true });
    db = await openPglite(join(config.dataDir, 'pglite'));
  }
  const applied = await migrateServer(db);
  const admin = adminToken(config.dataDir);
  const app = await buildServer({
    db,
    adminToken: admin.token,
    logger: { level: process.env.LOG_LEVEL ?? 'info', redact: ['req.headers.authorization'] },
    https: config.tls ? { cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) } : null,
    ...(process.env.npm_package_version ? { appVersion: process.env.npm_package_version } : {}),
  });
  const url = await app.listen({ host: config.host, port: config.port });
  // The change log keeps LAVKA_RETAIN_DAYS (default 90) of history: a till offline longer loads a snapshot.
  const retainMs = Number(process.env.LAVKA_RETAIN_DAYS ?? 90) * 86_400_000;
  const compact = () =>
    compactChangeLog(db, retainMs, Date.now()).then(
      (r) => app.log.info({ compacted: r }, 'change log compacted'),
      (e: unknown) => app.log.error({ err: e }, 'change log compaction failed'),
    );
  void compact();
  setInterval(() => void compact(), 6 * 3_600_000).unref();
  // Loyalty points older than the programme's expiry go, once at start and then every 6 hours
  // (each customer's expiry in its own transaction; running it again expires nothing new).
  const expire = () =>
    expirePoints(db, Date.now()).then(
      (r) => (r.customers > 0 ? app.log.info({ expired: r }, 'loyalty points expired') : undefined),
      (e: unknown) => app.log.error({ err: e }, 'loyalty points expiry failed'),
    );
  void expire();
  setInterval(() => void expire(), 6 * 3_600_000).unref();
  app.log.info({ url, db: db.kind, migrations: applied, adminToken: admin.file ?? 'LAVKA_ADMIN_TOKEN' }, 'head office ready');
  const stop = async () => {
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  console.error(`head office: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
