import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, MigrationDriftError } from '../../src-main/db/migrate.js';
import { openDatabase, type Db } from '../../src-main/db/open.js';
import { MIGRATIONS_DIR } from '../support/backend.js';

let dir: string;
let db: Db;
afterEach(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});
function fresh(): Db {
  dir = mkdtempSync(join(tmpdir(), 'lavka-mig-'));
  db = openDatabase(join(dir, 'till.sqlite'));
  return db;
}

describe('migration runner', () => {
  it('applies the shipped migrations once, with the durability pragmas on', () => {
    fresh();
    const shipped = loadMigrations(MIGRATIONS_DIR);
    expect(migrate(db, shipped).applied).toEqual(shipped.map((m) => m.name));
    expect(migrate(db, shipped).applied).toEqual([]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('refuses a store with migrations this build does not ship', () => {
    fresh();
    const shipped = loadMigrations(MIGRATIONS_DIR);
    migrate(db, [...shipped, { name: '9999_future.sql', sql: 'CREATE TABLE future (x INTEGER) STRICT;' }]);
    expect(() => migrate(db, shipped)).toThrow(MigrationDriftError);
  });

  it('refuses when an applied migration was edited or renamed', () => {
    fresh();
    const shipped = loadMigrations(MIGRATIONS_DIR);
    migrate(db, shipped);
    const edited = shipped.map((m, i) => (i === 0 ? { ...m, sql: m.sql + '\n-- edited' } : m));
    expect(() => migrate(db, edited)).toThrow(/edited/);
    const renamed = shipped.map((m, i) => (i === 0 ? { ...m, name: '0001_other.sql' } : m));
    expect(() => migrate(db, renamed)).toThrow(/does not match/);
  });

  it('rolls back a failing migration completely', () => {
    fresh();
    const bad = [{ name: '0001_bad.sql', sql: 'CREATE TABLE ok (x INTEGER); CREATE TABLE broken (;' }];
    expect(() => migrate(db, bad)).toThrow();
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'ok'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(0);
  });

  it('keeps the audit log append-only', () => {
    fresh();
    migrate(db, loadMigrations(MIGRATIONS_DIR));
    db.prepare(`INSERT INTO audit_log (seq, at, action, details, prev_hash, hash) VALUES (1, 0, 'x', '{}', '', '')`).run();
    expect(() => db.prepare('UPDATE audit_log SET action = ?').run('y')).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });
});

describe('upgrading a till that already sold', () => {
  it("0002 (till operations) keeps every sale of a 0001 store, with the default role matrix", () => {
    fresh();
    const shipped = loadMigrations(MIGRATIONS_DIR);
    migrate(db, shipped.slice(0, 1));
    db.exec(`
      INSERT INTO tax_rates (code, bp) VALUES ('vat22', 2200);
      INSERT INTO users (id, name, role, pin_hash, pin_salt) VALUES (1, 'Анна', 'cashier', x'00', x'00');
      INSERT INTO products (id, name, kind, unit, tax_code, price, updated_at) VALUES (1, 'Молоко', 'goods', 'pcs', 'vat22', 8990, 0);
      INSERT INTO receipts (id, state, number, cashier_id, opened_at, completed_at, subtotal, total, business_day)
        VALUES ('r1', 'completed', 1, 1, 0, 1, 8990, 8990, '2026-11-20');
      INSERT INTO receipt_lines (id, receipt_id, position, product_id, name, unit, qty, base_price, price, tax_code, tax_bp,
        gross, discount_total, amount, vat_amount) VALUES ('l1', 'r1', 1, 1, 'Молоко', 'pcs', 1000, 8990, 8990, 'vat22', 2200, 8990, 0, 8990, 1621);
      INSERT INTO payments (receipt_id, position, method, amount, tendered, change) VALUES ('r1', 1, 'cash', 8990, 10000, 1010);
    `);
    expect(migrate(db, shipped).applied).toEqual(shipped.slice(1).map((m) => m.name));
    expect(db.prepare('SELECT kind, shift_id, original_id FROM receipts').get()).toEqual({ kind: 'sale', shift_id: null, original_id: null });
    expect(db.prepare(`SELECT COUNT(*) FROM role_permissions WHERE role = 'cashier' AND permission = 'sale'`).pluck().get()).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('rebuilding the fiscal journal for corrections keeps every row a till already has', () => {
    fresh();
    const shipped = loadMigrations(MIGRATIONS_DIR);
    const upTo = shipped.findIndex((m) => m.name.endsWith('_fiscal_correction.sql'));
    migrate(db, shipped.slice(0, upTo));
    db.prepare(
      `INSERT INTO fiscal_journal (id, seq, op, ref_id, doc_kind, total, payload, state, fn_before, document_number, fiscal_sign, created_at, updated_at)
       VALUES ('j1', 1, 'receipt', 'r1', 'sale', 8990, '{"op":"receipt"}', 'done', 4, 5, '123456', 10, 11),
              ('j2', 2, 'receipt', 'r2', 'sale', 100, '{"op":"receipt"}', 'attention', 5, NULL, NULL, 12, 13)`,
    ).run();
    migrate(db, shipped);
    expect(db.prepare('SELECT id, seq, state, fn_before, document_number, fiscal_sign, resolution FROM fiscal_journal ORDER BY seq').all()).toEqual([
      { id: 'j1', seq: 1, state: 'done', fn_before: 4, document_number: 5, fiscal_sign: '123456', resolution: null },
      { id: 'j2', seq: 2, state: 'attention', fn_before: 5, document_number: null, fiscal_sign: null, resolution: null },
    ]);
    // One live correction per receipt.
    const correction = db.prepare(`INSERT INTO fiscal_journal (id, seq, op, ref_id, payload, state, created_at, updated_at) VALUES (?, ?, 'correction', 'r2', '{}', 'queued', 1, 1)`);
    correction.run('c1', 3);
    expect(() => correction.run('c2', 4)).toThrow(/UNIQUE/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});
