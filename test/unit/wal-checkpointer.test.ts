import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WalCheckpointer } from '../../src-main/db/checkpointer.js';
import { openDatabase, type Db } from '../../src-main/db/open.js';

const dirs: string[] = [];
const open: { db: Db; cp: WalCheckpointer }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    o.cp.stop();
    if (o.db.open) o.db.close();
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function store(options: ConstructorParameters<typeof WalCheckpointer>[2] = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'lavka-wal-'));
  dirs.push(dir);
  const path = join(dir, 'till.sqlite');
  const db = openDatabase(path);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)');
  const errors: string[] = [];
  const cp = new WalCheckpointer(db, { error: (m, d) => errors.push(`${m} ${JSON.stringify(d)}`) }, options);
  open.push({ db, cp });
  const insert = db.prepare('INSERT INTO t (v) VALUES (randomblob(3000))');
  /** `n` commits of about one page each, as sales are; each told to the checkpointer as the dispatcher does. */
  const commits = (n: number) => {
    for (let i = 0; i < n; i++) {
      insert.run();
      cp.committed();
    }
  };
  /** WAL frames, and how many are in the database file (a passive checkpoint on the till's connection). */
  const wal = () => (db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[])[0]!;
  return { db, cp, path, errors, commits, wal };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WAL checkpoints while the till is quiet', () => {
  it('none while sales follow one another; one when they pause; the next sales start the WAL again from its beginning', async () => {
    const s = store({ everyMs: 10, quietMs: 1_000 });
    s.cp.start();
    expect(s.cp.running).toBe(true);
    // A burst of 300 sales, one after another: no checkpoint beside them.
    for (let i = 0; i < 300; i++) {
      s.commits(1);
      await new Promise((r) => setImmediate(r));
    }
    expect(s.cp.done).toBe(0);
    // The till falls quiet: the checkpoint comes then, and takes every frame.
    await pause(1_500);
    expect(s.cp.done).toBe(1);
    const after = s.wal();
    expect(after.checkpointed).toBe(after.log);
    expect(after.log).toBeGreaterThanOrEqual(300);
    // The next commit reuses the WAL from its start rather than growing it.
    s.commits(1);
    expect(s.wal().log).toBeLessThan(10);
    expect(s.errors).toEqual([]);
  });

  it('commits go on while the worker copies; nothing is lost or torn', async () => {
    const s = store({ everyMs: 5, quietMs: 1 });
    s.cp.start();
    for (let round = 0; round < 20; round++) {
      s.commits(100);
      await pause(3);
    }
    await pause(100);
    expect(s.cp.done).toBeGreaterThan(0);
    const r = await s.cp.checkpointNow();
    expect(r!.checkpointed).toBe(r!.log);
    expect(s.db.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(2_000);
    expect(s.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(s.errors).toEqual([]);
  });

  it('a worker that cannot run says so, and the connection\'s own automatic checkpoint keeps the WAL bounded', async () => {
    const s = store({ sqliteModule: '/nonexistent/better-sqlite3' });
    s.cp.start();
    await pause(500);
    expect(s.cp.running).toBe(false);
    expect(s.errors.join('\n')).toMatch(/wal checkpointer stopped/);
    expect(await s.cp.checkpointNow()).toBeNull();
    expect(s.db.pragma('wal_autocheckpoint', { simple: true })).toBe(4_000);
    s.commits(5_000);
    expect(s.wal().log).toBeLessThan(4_500);
  });

  it('a stopped checkpointer lets the store close cleanly: the last connection folds the WAL in and removes it', async () => {
    const s = store();
    s.cp.start();
    s.commits(500);
    s.cp.stop();
    expect(s.cp.running).toBe(false);
    s.db.close();
    expect(existsSync(`${s.path}-wal`)).toBe(false);
    const again = openDatabase(s.path);
    expect(again.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(500);
    again.close();
  });
});
