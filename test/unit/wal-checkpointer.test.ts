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
    await o.cp.stop();
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
  const cp = new WalCheckpointer(db, { error: (m, d) => errors.push(`${m} ${JSON.stringify(d)}`) }, { everyMs: 3_600_000, ...options });
  open.push({ db, cp });
  const insert = db.prepare('INSERT INTO t (v) VALUES (randomblob(3000))');
  /** `n` commits of about one page each, as sales are. */
  const commits = (n: number) => {
    for (let i = 0; i < n; i++) insert.run();
  };
  return { db, cp, path, errors, commits };
}

describe('WAL checkpoints off the sale path', () => {
  it('the till connection no longer checkpoints inside its commits; the worker does, beside them, and the data is whole', async () => {
    const s = store();
    s.cp.start();
    expect(s.cp.running).toBe(true);
    expect(s.db.pragma('wal_autocheckpoint', { simple: true })).toBe(16_000);
    // 5,000 commits: past SQLite's own threshold (1000 pages) and ours before (4000), and nobody
    // checkpointed: every frame is still in the WAL, none copied into the database file.
    s.commits(5_000);
    const before = await s.cp.checkpointNow();
    expect(before).not.toBeNull();
    expect(before!.log).toBeGreaterThan(4_000 * 2);
    expect(before!.checkpointed).toBe(before!.log);
    // Commits go on while the worker copies (on a tick every 5 ms); nothing is lost or torn.
    await s.cp.stop();
    const busy = new WalCheckpointer(s.db, { error: () => undefined }, { everyMs: 5, quietMs: 1, busyCommits: 100 });
    open.push({ db: s.db, cp: busy });
    busy.start();
    for (let round = 0; round < 20; round++) {
      s.commits(100);
      busy.committed();
      await new Promise((r) => setTimeout(r, 2));
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(busy.done).toBeGreaterThan(0);
    const after = await busy.checkpointNow();
    expect(after!.checkpointed).toBe(after!.log);
    expect(s.db.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(7_000);
    expect(s.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(s.errors).toEqual([]);
  });

  it('checkpoints when the commands pause, or after many without a pause, never on every commit', async () => {
    const s = store({ everyMs: 10, quietMs: 1_000, busyCommits: 1_000 });
    s.cp.start();
    const sale = async () => {
      s.commits(1);
      s.cp.committed();
      await new Promise((r) => setImmediate(r));
    };
    // A burst of 300 sales, one after another: no checkpoint beside them.
    for (let i = 0; i < 300; i++) await sale();
    expect(s.cp.done).toBe(0);
    // The till falls quiet: the checkpoint comes then.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(s.cp.done).toBe(1);
    // Sales that never pause still get one after 1,000 of them.
    for (let i = 0; i < 1_100; i++) await sale();
    await new Promise((r) => setTimeout(r, 100));
    expect(s.cp.done).toBe(2);
    expect(s.errors).toEqual([]);
  });

  it('a worker that cannot run hands checkpoints back to the till connection, says so, and the WAL stays bounded', async () => {
    const s = store({ sqliteModule: '/nonexistent/better-sqlite3' });
    s.cp.start();
    await new Promise((r) => setTimeout(r, 500));
    expect(s.cp.running).toBe(false);
    expect(s.errors.join('\n')).toMatch(/wal checkpointer stopped/);
    expect(s.db.pragma('wal_autocheckpoint', { simple: true })).toBe(4_000);
    expect(await s.cp.checkpointNow()).toBeNull();
    // The till's own automatic checkpoint runs again: after 5,000 commits the WAL has been restarted.
    s.commits(5_000);
    const [r] = s.db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    expect(r!.log).toBeLessThan(4_500);
  });

  it('a stopped checkpointer lets the store close cleanly: the last connection folds the WAL in and removes it', async () => {
    const s = store();
    s.cp.start();
    s.commits(500);
    await s.cp.stop();
    expect(s.cp.running).toBe(false);
    s.db.close();
    expect(existsSync(`${s.path}-wal`)).toBe(false);
    const again = openDatabase(s.path);
    expect(again.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(500);
    again.close();
  });
});
