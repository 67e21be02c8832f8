/** Head office: the HTTP API (app.ts), its store (db/), forward-only migrations and the owner's CLI. */
export { buildServer, type ServerOptions } from './app.js';
export { openPglite, openPostgres, type ServerDb } from './db/db.js';
export { migrateServer } from './migrate.js';
export { SYNC_PROTOCOL_VERSION as HEAD_OFFICE_PROTOCOL_VERSION } from '../src-common/sync/protocol.js';
