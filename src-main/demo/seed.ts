import { ean13 } from '../../src-common/barcode.js';
import { newId } from '../../src-common/ids.js';
import type { Role } from '../../src-common/rpc/schemas.js';
import type { Db } from '../db/open.js';
import { DevicesRepo } from '../db/repos/devices.js';
import { AuditRepo, CountersRepo } from '../db/repos/ledger.js';
import { SettingsRepo } from '../db/repos/settings.js';
import { CustomersRepo } from '../db/repos/customers.js';
import { LoyaltyRepo } from '../db/repos/loyalty.js';
import { DEFAULT_SMS_SETTINGS } from '../../src-common/sms-schemas.js';
import { ShiftsRepo } from '../db/repos/shifts.js';
import type { EpochMs, Minor } from '../../src-common/units.js';
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
export const TAX_RATES: [string, number][] = [
  ['vat22', 2200],
  ['vat20', 2000],
  ['vat10', 1000],
  ['vat0', 0],
  ['none', 0],
];

function insertProducts(db: Db, products: Iterable<GeneratedProduct>, at: number): number {
  const product = db.prepare(`INSERT INTO products (id, name, name_alt, kind, unit, tax_code, price, category_id, plu, item_code, marked, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const barcode = db.prepare('INSERT INTO barcodes (code, product_id, pack_qty) VALUES (?, ?, ?)');
  let n = 0;
  for (const p of products) {
    product.run(p.id, p.name, p.nameAlt, p.kind, p.unit, p.taxCode, p.price, p.categoryId, p.plu, p.itemCode, p.marked ? 1 : 0, at);
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

/** Loyalty customers of the full demo, with their cards (EAN-13 in the company's own range 04) as the README lists them. */
export const DEMO_CUSTOMERS = [
  { card: ean13('040000000001'), phone: '+79160000001', name: 'Ольга Демидова', points: 250, consents: { loyalty: true, service: true, advertising: false } },
  { card: ean13('040000000002'), phone: '+79160000002', name: 'Иван Демин', points: 1_200, consents: { loyalty: true, service: true, advertising: true } },
] as const;

function seedDemoCustomers(db: Db, at: number): void {
  const customers = new CustomersRepo(db);
  const loyalty = new LoyaltyRepo(db);
  for (const c of DEMO_CUSTOMERS) {
    const id = newId();
    customers.add({ id, cardNo: c.card, phone: c.phone, name: c.name, birthday: null, at: at as EpochMs, userId: null });
    for (const purpose of ['loyalty', 'service', 'advertising'] as const) customers.recordConsent(id, purpose, c.consents[purpose], at, 'demo', null);
    loyalty.append({ id: newId(), customerId: id, kind: 'earn', points: c.points, spend: 0, reason: 'welcome', receiptId: null, couponCode: null, at, businessDay: new Date(at).toISOString().slice(0, 10), offline: false });
  }
}

/** A store to try the till with: settings, demo users with the README's PINs, a catalog. */
/** The demo shift's opening float: 3 × 1000 ₽, 2 × 500 ₽, 8 × 100 ₽, 4 × 50 ₽ = 5000 ₽. */
export const DEMO_FLOAT = [
  { value: 100_000, count: 3 },
  { value: 50_000, count: 2 },
  { value: 10_000, count: 8 },
  { value: 5_000, count: 4 },
];

/**
 * The demo store: settings, tax rates, categories, users, the hand-made products and `products`
 * generated ones. With `openShiftAt`, the demo cashier's shift is already open (float 5000 ₽) so
 * the first start goes straight to selling.
 */
export function seedDemoStore(db: Db, opts: { products: number; openShiftAt?: number | null; emulatedDevices?: boolean; emulatedFiscal?: boolean }): void {
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
    if (opts.openShiftAt != null) openDemoShift(db, opts.openShiftAt);
    // A receipt printer with a cash drawer, a customer display, a scale and a label printer, emulated in
    // the till process: the demo works with no hardware.
    if (opts.emulatedDevices) {
      seedDemoCustomers(db, Date.now());
      // SMS through the emulated provider: service messages about points go to customers who agreed.
      settings.set('sms', {
        ...DEFAULT_SMS_SETTINGS,
        enabled: true,
        provider: 'emulator',
        sender: 'Lavka',
        templates: { ...DEFAULT_SMS_SETTINGS.templates, points: { ...DEFAULT_SMS_SETTINGS.templates.points, enabled: true } },
      });
      new DevicesRepo(db).upsert({
        id: 'demo-printer',
        kind: 'printer',
        driver: 'escpos',
        name: 'Epson TM-T20 (эмулятор)',
        transport: { kind: 'emulator' },
        options: { profile: 'epson-tm-t20', codePage: 'cp866', drawerPin: 2 },
        enabled: true,
      });
      new DevicesRepo(db).upsert({
        id: 'demo-display',
        kind: 'display',
        driver: 'cd5220',
        name: 'Дисплей покупателя CD5220 (эмулятор)',
        transport: { kind: 'emulator' },
        options: { width: 20 },
        enabled: true,
      });
      new DevicesRepo(db).upsert({
        id: 'demo-scale',
        kind: 'scale',
        driver: 'massak100',
        name: 'Масса-К (эмулятор)',
        transport: { kind: 'emulator' },
        options: { capacityGrams: 15_000 },
        enabled: true,
      });
      // A label printer for price tags: its labels show on the devices screen (decoded text, the label as an image).
      new DevicesRepo(db).upsert({
        id: 'demo-label',
        kind: 'label',
        driver: 'tspl',
        name: 'TSC TE200 (эмулятор)',
        transport: { kind: 'emulator' },
        options: { profile: 'tsc-te200', stock: '58x40' },
        enabled: true,
      });
    }
    // Fiscal mode with an emulated Shtrih-M registrar (its ФН, archive and marking checks in the till process).
    if (opts.emulatedFiscal) {
      new DevicesRepo(db).upsert({
        id: 'demo-fiscal',
        kind: 'fiscal',
        driver: 'shtrih',
        name: 'Штрих-М-01Ф (эмулятор)',
        transport: { kind: 'emulator' },
        options: {},
        enabled: true,
      });
      db.prepare(`INSERT INTO settings (key, value) VALUES ('fiscal.mode', '"shtrih"') ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run();
    }
  })();
  seedGeneratedProducts(db, 0, opts.products);
}

function openDemoShift(db: Db, atMs: number): void {
  const at = atMs as EpochMs;
  const cashier = db.prepare(`SELECT id FROM users WHERE role = 'cashier' ORDER BY id LIMIT 1`).pluck().get() as number;
  const float = DEMO_FLOAT.reduce((a, d) => a + d.value * d.count, 0) as Minor;
  const id = newId();
  const number = new CountersRepo(db).next('shift_number');
  new ShiftsRepo(db).open(id, number, at, cashier, float, DEMO_FLOAT);
  new AuditRepo(db).append(at, cashier, 'shift.open', id, { number, float, demo: true });
}

export function isEmptyStore(db: Db): boolean {
  return (db.prepare('SELECT COUNT(*) FROM users').pluck().get() as number) === 0;
}
