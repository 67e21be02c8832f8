import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface ServerConfig {
  databaseUrl: string | null;
  dataDir: string;
  host: string;
  port: number;
  tls: { cert: string; key: string } | null;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export const isLoopback = (host: string) => LOOPBACK.has(host);

/** From the environment: DATABASE_URL (else PGlite in LAVKA_SERVER_DATA), HOST, PORT, LAVKA_TLS_CERT/LAVKA_TLS_KEY. */
export function serverConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const host = env.HOST ?? '127.0.0.1';
  const port = Number(env.PORT ?? 8780);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT is not a port number: ${env.PORT}`);
  const tls = env.LAVKA_TLS_CERT && env.LAVKA_TLS_KEY ? { cert: env.LAVKA_TLS_CERT, key: env.LAVKA_TLS_KEY } : null;
  // Credentials and sales travel in these requests: in the clear only on this machine.
  if (!tls && !isLoopback(host)) throw new Error(`HOST=${host} is not loopback: give LAVKA_TLS_CERT and LAVKA_TLS_KEY to serve HTTPS, or bind 127.0.0.1`);
  return { databaseUrl: env.DATABASE_URL || null, dataDir: resolve(env.LAVKA_SERVER_DATA ?? 'data/server'), host, port, tls };
}

/** The owner's admin token: LAVKA_ADMIN_TOKEN, else one made on first start and kept (mode 0600) in the data directory. */
export function adminToken(dataDir: string, env: NodeJS.ProcessEnv = process.env): { token: string; file: string | null } {
  if (env.LAVKA_ADMIN_TOKEN) return { token: env.LAVKA_ADMIN_TOKEN, file: null };
  const file = join(dataDir, 'admin-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), file };
  mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(`${file}.tmp`, `${token}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return { token, file };
}
