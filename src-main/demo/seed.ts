import { newId } from '../../src-common/ids.js';
import type { Role } from '../../src-common/rpc/schemas.js';
import type { Db } from '../db/open.js';
import { SettingsRepo } from '../db/repos/settings.js';
import { UsersRepo } from '../db/repos/users.js';
import { hashPin } from '../domain/pin.js';
import { CATEGORIES, demoProducts, generateProduct, type GeneratedProduct } from './catalog-generator.js';

export const DEMO_USERS: { name: string; role: Role; pin: string }[] = [
  { name: 'Анна Смирнова', role: 'cashier', pin: '1111' },
  { name: 'Игорь Петров', role: 'senior_cashier', pin: '2222' },
  { name: 'Мария Иванова', role: 'manager', pin: '3333' },
  { name: 'Ольга Соколова', role: 'owner', pin: '9999' },
  { name: 'Пётр Кузнецов', role: 'stock_clerk', pin: '5555' },
];

/** VAT rates as data: Russia from 2026 (22 % standard, 10 % reduced). Fiscal codes are set with the registrar. */
const TAX_RATES: [string, number][] = [
  ['vat22', 2200],
  ['vat20', 2000],
  ['vat10', 1000],
  ['vat0', 0],
  ['none', 0],
];

function insertProducts(db: Db, products: Iterable<GeneratedProduct>, at: number): number {
  const product = db.prepare(`INSERT INTO products (id, name, name_alt, kind, unit, tax_code, price, category_id, plu, item_code, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const barcode = db.prepare('INSERT INTO barcodes (code, product_id, pack_qty) VALUES (?, ?, ?)');
  let n = 0;
  for (const p of products) {
    product.run(p.id, p.name, p.nameAlt, p.kind, p.unit, p.taxCode, p.price, p.categoryId, p.plu, p.itemCode, at);
    for (const b of p.barcodes) barcode.run(b.code, p.id, b.packQty);
    n++;
  }
  return n;
}

/** Add generated products [from, to) in batches, one transaction per batch. */
export function seedGeneratedProducts(db: Db, from: number, to: number, onProgress?: (done: number) => void): void {
  const batch = 20_000;
  const at = Date.now();
  for (let start = from; start < to; start += batch) {
    const end = Math.min(to, start + batch);
    db.transaction(() => {
      insertProducts(db, (function* () {
        for (let i = start; i < end; i++) yield generateProduct(i);
      })(), at);
    })();
    onProgress?.(end);
  }
}

export function generatedProductCount(db: Db): number {
  return db.prepare('SELECT COUNT(*) FROM products WHERE id >= 1000').pluck().get() as number;
}

/** A store to try the till with: settings, demo users with the README's PINs, a catalog. */
export function seedDemoStore(db: Db, opts: { products: number }): void {
  const settings = new SettingsRepo(db);
  db.transaction(() => {
    settings.set('till.id', newId());
    settings.set('demo', true);
    const rate = db.prepare('INSERT OR IGNORE INTO tax_rates (code, bp) VALUES (?, ?)');
    for (const [code, bp] of TAX_RATES) rate.run(code, bp);
    const cat = db.prepare('INSERT OR IGNORE INTO categories (id, name) VALUES (?, ?)');
    for (const c of CATEGORIES) cat.run(c.id, c.ru);
    const users = new UsersRepo(db);
    for (const u of DEMO_USERS) {
      const { hash, salt } = hashPin(u.pin);
      users.insert(u.name, u.role, hash, salt);
    }
    insertProducts(db, demoProducts(), Date.now());
  })();
  seedGeneratedProducts(db, 0, opts.products);
}

export function isEmptyStore(db: Db): boolean {
  return (db.prepare('SELECT COUNT(*) FROM users').pluck().get() as number) === 0;
}
