import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EpochMs } from '../../src-common/units.js';
import { loadMigrations, migrate } from '../../src-main/db/migrate.js';
import { openDatabase, type Db } from '../../src-main/db/open.js';
import { PrintJobsRepo } from '../../src-main/db/repos/print-jobs.js';
import { MIGRATIONS_DIR } from '../support/backend.js';

let dir: string;
let db: Db;
afterEach(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('0013 (label jobs): a till with print jobs queued before price tags existed', () => {
  it('keeps every print job, its state and its place in the queue, takes price-tag print jobs, and still refuses an unknown kind', () => {
    dir = mkdtempSync(join(tmpdir(), 'lavka-mig-'));
    db = openDatabase(join(dir, 'till.sqlite'));
    const shipped = loadMigrations(MIGRATIONS_DIR);
    const upTo = shipped.findIndex((m) => m.name === '0013_label_jobs.sql');
    expect(upTo).toBe(12);
    migrate(db, shipped.slice(0, upTo));
    db.prepare(`INSERT INTO devices (id, kind, driver, name, transport) VALUES ('p1', 'printer', 'escpos', 'Чековый', '{"kind":"tcp","host":"10.0.0.5","port":9100}')`).run();
    const insert = db.prepare(`INSERT INTO print_jobs (id, device_id, kind, ref_id, priority, document, state, attempts, last_error, created_at, updated_at, printed_at)
      VALUES (?, 'p1', ?, ?, ?, '{"blocks":[]}', ?, ?, ?, 1000, ?, ?)`);
    // Same instant: the queue order falls to the rowid, which must survive the rebuild.
    insert.run('j-b', 'receipt', 'r1', 1, 'waiting', 2, 'paper out', 1500, null);
    insert.run('j-a', 'drawer', 'r1', 0, 'failed', 1, 'offline', 1200, null);
    insert.run('j-c', 'reprint', 'r1', 1, 'done', 1, null, 1300, 1300);
    insert.run('j-d', 'receipt', 'r2', 1, 'queued', 0, null, 1000, null);
    const before = db.prepare('SELECT rowid, * FROM print_jobs ORDER BY rowid').all();

    migrate(db, shipped);
    expect(db.prepare('SELECT rowid, * FROM print_jobs ORDER BY rowid').all()).toEqual(before);
    const jobs = new PrintJobsRepo(db);
    expect(jobs.next('p1')?.id).toBe('j-b');
    // Still one original per receipt.
    expect(jobs.insert({ id: 'j-e', deviceId: 'p1', kind: 'receipt', refId: 'r2', priority: 1, document: { blocks: [] }, at: 2000 as EpochMs })).toBe(false);
    // Price tags on the receipt printer: a kind of their own, after receipts.
    expect(jobs.insert({ id: 'j-t', deviceId: 'p1', kind: 'labels', refId: 'label-job-1', priority: 2, document: { blocks: [] }, at: 900 as EpochMs })).toBe(true);
    expect(jobs.forLabelJob('label-job-1').map((j) => j.id)).toEqual(['j-t']);
    expect(() => db.prepare(`INSERT INTO print_jobs (id, device_id, kind, document, state, created_at, updated_at) VALUES ('x', 'p1', 'poster', '{}', 'queued', 1, 1)`).run()).toThrow(/CHECK/);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE tbl_name = 'print_jobs' AND type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all()).toEqual([
      'print_jobs_one_receipt',
      'print_jobs_open',
      'print_jobs_ref',
    ]);
    expect(db.prepare(`SELECT COUNT(*) FROM label_jobs`).pluck().get()).toBe(0);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
