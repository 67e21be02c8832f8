import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncChannel } from '../../src-common/sync/protocol.js';
import type { EpochMs } from '../../src-common/units.js';
import { loadMigrations, migrate } from '../../src-main/db/migrate.js';
import { openDatabase, type Db } from '../../src-main/db/open.js';
import { OutboxRepo } from '../../src-main/db/repos/ledger.js';
import { SyncStateRepo } from '../../src-main/db/repos/sync-state.js';
import { MIGRATIONS_DIR } from '../support/backend.js';

let dir: string;
let db: Db;
afterEach(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});
function store(): { db: Db; outbox: OutboxRepo; state: SyncStateRepo } {
  dir = mkdtempSync(join(tmpdir(), 'lavka-outbox-'));
  db = openDatabase(join(dir, 'till.sqlite'));
  migrate(db, loadMigrations(MIGRATIONS_DIR));
  return { db, outbox: new OutboxRepo(db), state: new SyncStateRepo(db) };
}
const at = 1_700_000_000_000 as EpochMs;
const numbers = (d: Db) =>
  d.prepare('SELECT seq, channel, epoch, channel_seq AS n FROM outbox ORDER BY seq').all() as { seq: number; channel: SyncChannel; epoch: number; n: number }[];

describe('outbox numbering', () => {
  it('gives each channel its own contiguous sequence and keeps the global one contiguous, a rolled-back command taking no number', () => {
    const { db, outbox } = store();
    const channels: SyncChannel[] = ['sales', 'shifts', 'sales', 'audit', 'sales', 'shifts', 'stock'];
    for (const [i, ch] of channels.entries()) {
      // Every other command fails after appending: its numbers go back with it.
      expect(() =>
        db.transaction(() => {
          outbox.append(ch, 'test', { i, failing: true }, at);
          throw new Error('the command failed');
        })(),
      ).toThrow('the command failed');
      const e = db.transaction(() => outbox.append(ch, 'test', { i }, at))();
      expect(e.seq).toBe(i + 1);
    }
    expect(numbers(db)).toEqual([
      { seq: 1, channel: 'sales', epoch: 1, n: 1 },
      { seq: 2, channel: 'shifts', epoch: 1, n: 1 },
      { seq: 3, channel: 'sales', epoch: 1, n: 2 },
      { seq: 4, channel: 'audit', epoch: 1, n: 1 },
      { seq: 5, channel: 'sales', epoch: 1, n: 3 },
      { seq: 6, channel: 'shifts', epoch: 1, n: 2 },
      { seq: 7, channel: 'stock', epoch: 1, n: 1 },
    ]);
    expect(outbox.unacked('sales', 10).map((e) => e.channelSeq)).toEqual([1, 2, 3]);
    expect(outbox.unacked(10).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // A number is taken once: the index refuses a second row under it.
    expect(() => db.prepare(`INSERT INTO outbox (seq, id, channel, epoch, channel_seq, type, payload, hash, created_at) VALUES (99, 'x', 'sales', 1, 2, 't', '{}', 'h', 0)`).run()).toThrow(/UNIQUE/);
  });

  it('acks a prefix, counts what is queued, and a new epoch renumbers only what is not acked', () => {
    const { db, outbox, state } = store();
    for (let i = 0; i < 5; i++) outbox.append('sales', 'sale.completed', { i }, at);
    outbox.append('shifts', 'shift.opened', {}, at);
    expect(db.transaction(() => outbox.markAcked('sales', 1, 3, at))()).toBe(3);
    expect(outbox.markAcked('sales', 1, 3, at)).toBe(0);
    expect(outbox.queued().sort((a, b) => a.channel.localeCompare(b.channel))).toEqual([
      { channel: 'sales', queued: 2 },
      { channel: 'shifts', queued: 1 },
    ]);
    expect(outbox.maxAcked('sales', 1)).toBe(3);
    expect(outbox.maxChannelSeq('sales', 1)).toBe(5);
    db.transaction(() => {
      expect(outbox.renumberInto(2)).toBe(3);
      state.setEpoch(2);
    })();
    // New events continue the new epoch's numbers; the global sequence never restarts.
    const next = outbox.append('sales', 'sale.completed', { i: 5 }, at);
    expect(next).toMatchObject({ seq: 7, epoch: 2, channelSeq: 3 });
    expect(numbers(db)).toEqual([
      { seq: 1, channel: 'sales', epoch: 1, n: 1 },
      { seq: 2, channel: 'sales', epoch: 1, n: 2 },
      { seq: 3, channel: 'sales', epoch: 1, n: 3 },
      { seq: 4, channel: 'sales', epoch: 2, n: 1 },
      { seq: 5, channel: 'sales', epoch: 2, n: 2 },
      { seq: 6, channel: 'shifts', epoch: 2, n: 1 },
      { seq: 7, channel: 'sales', epoch: 2, n: 3 },
    ]);
    expect(outbox.from('sales', 1, 2, 10).map((e) => e.seq)).toEqual([2, 3]);
  });

  it('a conflict settled is acked with its outcome and no longer queued', () => {
    const { outbox } = store();
    const e = outbox.append('sales', 'sale.completed', {}, at);
    outbox.markConflict(e.id, 1);
    expect(outbox.unacked('sales', 10)[0]).toMatchObject({ id: e.id, conflictEpoch: 1 });
    expect(outbox.giveUpConflict(e.id, 2, at)).toBe(true);
    expect(outbox.giveUpConflict(e.id, 2, at)).toBe(false);
    expect(outbox.unacked('sales', 10)).toEqual([]);
    expect(outbox.conflicts()).toBe(1);
  });
});
