import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src-server/app.js';
import { openPglite } from '../../src-server/db/db.js';
import { migrateServer } from '../../src-server/migrate.js';

const ADMIN = 'admin-secret-for-tests';

describe("the head office's request log", () => {
  const lines: string[] = [];
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const db = await openPglite();
    await migrateServer(db);
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    app = await buildServer({ db, adminToken: ADMIN, logger: { level: 'info', stream } });
    close = () => db.close();
  });
  afterAll(async () => {
    await app?.close();
    await close?.();
  });

  it("names the path searched, never what was searched for (a customer's name or phone) nor the credential", async () => {
    const r = await app.inject({ method: 'GET', url: `/v1/admin/customers?q=${encodeURIComponent('Марина +79161234567')}`, headers: { authorization: `Bearer ${ADMIN}` } });
    expect(r.statusCode).toBe(200);
    const logged = lines.join('\n');
    expect(lines.map((l) => (JSON.parse(l) as { req?: { url?: string } }).req?.url).filter(Boolean)).toContain('/v1/admin/customers?…');
    expect(logged).not.toMatch(/Марина|%D0%9C|79161234567/);
    expect(logged).not.toContain(ADMIN);
  });
});
