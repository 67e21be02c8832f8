import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EpochMs } from '../../src-common/units.js';
import { loadMigrations, migrate } from '../../src-main/db/migrate.js';
import { openDatabase, type Db } from '../../src-main/db/open.js';
import { OutboxRepo } from '../../src-main/db/repos/ledger.js';
import { MIGRATIONS_DIR } from '../support/backend.js';

let dir: string;
let db: Db;
afterEach(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('0009 (sync): a till that sold before sync existed', () => {
  it('numbers its outbox per channel in the order written, keeps every row and its global sequence, and numbers on from there', () => {
    dir = mkdtempSync(join(tmpdir(), 'lavka-mig-'));
    db = openDatabase(join(dir, 'till.sqlite'));
    const shipped = loadMigrations(MIGRATIONS_DIR);
    const upTo = shipped.findIndex((m) => m.name === '0009_sync.sql');
    expect(upTo).toBe(8);
    migrate(db, shipped.slice(0, upTo));
    const insert = db.prepare('INSERT INTO outbox (seq, id, channel, type, payload, hash, created_at, acked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const channels = ['shifts', 'sales', 'sales', 'shifts', 'sales', 'audit', 'sales'];
    channels.forEach((ch, i) => insert.run(i + 1, `id-${i + 1}`, ch, 't', `{"i":${i}}`, `h${i}`, 1000 + i, i === 0 ? 5000 : null));
    migrate(db, shipped);
    expect(db.prepare('SELECT seq, id, channel, epoch, channel_seq AS n, payload, hash, created_at AS at, acked_at AS acked, outcome FROM outbox ORDER BY seq').all()).toEqual([
      { seq: 1, id: 'id-1', channel: 'shifts', epoch: 1, n: 1, payload: '{"i":0}', hash: 'h0', at: 1000, acked: 5000, outcome: 'recorded' },
      { seq: 2, id: 'id-2', channel: 'sales', epoch: 1, n: 1, payload: '{"i":1}', hash: 'h1', at: 1001, acked: null, outcome: null },
      { seq: 3, id: 'id-3', channel: 'sales', epoch: 1, n: 2, payload: '{"i":2}', hash: 'h2', at: 1002, acked: null, outcome: null },
      { seq: 4, id: 'id-4', channel: 'shifts', epoch: 1, n: 2, payload: '{"i":3}', hash: 'h3', at: 1003, acked: null, outcome: null },
      { seq: 5, id: 'id-5', channel: 'sales', epoch: 1, n: 3, payload: '{"i":4}', hash: 'h4', at: 1004, acked: null, outcome: null },
      { seq: 6, id: 'id-6', channel: 'audit', epoch: 1, n: 1, payload: '{"i":5}', hash: 'h5', at: 1005, acked: null, outcome: null },
      { seq: 7, id: 'id-7', channel: 'sales', epoch: 1, n: 4, payload: '{"i":6}', hash: 'h6', at: 1006, acked: null, outcome: null },
    ]);
    expect(db.prepare('SELECT epoch, server_url, halted FROM sync_state').all()).toEqual([{ epoch: 1, server_url: null, halted: null }]);
    const outbox = new OutboxRepo(db);
    expect(outbox.append('sales', 'sale.completed', {}, 2000 as EpochMs)).toMatchObject({ seq: 8, epoch: 1, channelSeq: 5 });
    expect(outbox.append('audit', 'audit.head', {}, 2000 as EpochMs)).toMatchObject({ seq: 9, epoch: 1, channelSeq: 2 });
    expect(() => db.prepare(`UPDATE outbox SET channel_seq = 1 WHERE seq = 3`).run()).toThrow(/UNIQUE/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
