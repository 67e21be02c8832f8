import { ChainStoreSchema, IncomingTransferSchema, type IncomingTransfer, CatalogItemSchema, RolePermissionsSchema, StaffMemberSchema, StorePriceSchema, TaxRateSchema, type CatalogItem, type SyncFeed } from '../../src-common/sync/protocol.js';
import { isHeadOfficeSetting, parseHeadOfficeSetting, SettingChangeSchema } from '../../src-common/sync/settings.js';
import { newId } from '../../src-common/ids.js';
import type { Db } from '../db/open.js';
import { CountersRepo, OutboxRepo } from '../db/repos/ledger.js';
import { CustomersRepo } from '../db/repos/customers.js';
import { LoyaltyRepo } from '../db/repos/loyalty.js';
import { smsRepo } from '../db/repos/sms.js';
import { CouponFeedRecordSchema, CustomerFeedRecordSchema, type CustomerFeedRecord } from '../../src-common/sync/loyalty.js';
import { ABANDONED_BASKET_MS, OPEN_BASKET_SQL } from '../db/repos/receipts.js';
import { onRollback, type SettingsRepo } from '../db/repos/settings.js';

export interface FeedState {
  feed: SyncFeed;
  /** Changes up to here are staged (or live). */
  version: number;
  /** A snapshot in progress: the last key loaded and the version to pull from once it is done. */
  snapshot: { key: string | null; asOf: number; total: number | null } | null;
  /** The feed was loaded from a snapshot at least once (a fresh till starts with one). */
  loaded: boolean;
}

export interface StagedRow {
  key: string;
  data: unknown;
  version: number;
}

export interface Activation {
  /** VAT rates set, products added or changed, and prices set, made live now. */
  taxes: number;
  products: number;
  /** Roles whose permissions were set, and staff added or changed. */
  roles: number;
  users: number;
  prices: number;
  /** Settings the head office set or took back. */
  settings: number;
  /** The chain's stores learnt, and transfers on their way here made into drafts to receive. */
  stores: number;
  transfers: number;
  /** Loyalty customers (with the head office's balance) and coupons taken in. */
  customers: number;
  coupons: number;
  /** Rows that wait: their product is not here yet (a price before its product), or they cannot be used (why). */
  waiting: { feed: SyncFeed; key: string; problem: string }[];
}


interface ProductRef {
  id: number;
  base_price: number | null;
  store_price: number | null;
}

/**
 * The head office's catalog and prices on the till. Pulled pages are staged with their cursor in
 * one transaction (a crash between pages loses nothing and repeats nothing); `activate` makes what
 * is staged live in one transaction, and the sync loop calls it only between baskets. The head
 * office is the source of truth for what it sends: a barcode, PLU or item code it gives a product
 * is taken from whichever local product had it.
 */
export class CatalogStore {
  private readonly s;
  private readonly counters;
  private readonly customers;
  private readonly loyalty;
  private readonly outbox;

  constructor(
    private readonly db: Db,
    private readonly settings: SettingsRepo,
    private readonly hooks: {
      rolesChanged?(): void;
      /** After an activation that changed settings or staff has committed (the screens read them again). */
      storeChanged?(): void;
    } = {},
  ) {
    this.counters = new CountersRepo(db);
    this.customers = new CustomersRepo(db);
    this.loyalty = new LoyaltyRepo(db);
    this.outbox = new OutboxRepo(db);
    this.s = {
      feed: db.prepare('SELECT feed, version, snapshot_key, snapshot_as_of, snapshot_total, snapshot_done FROM sync_feeds WHERE feed = ?'),
      ensureFeed: db.prepare('INSERT INTO sync_feeds (feed, updated_at) VALUES (?, ?) ON CONFLICT (feed) DO NOTHING'),
      setVersion: db.prepare('UPDATE sync_feeds SET version = ?, updated_at = ? WHERE feed = ?'),
      setSnapshot: db.prepare('UPDATE sync_feeds SET snapshot_key = ?, snapshot_as_of = ?, snapshot_total = ?, updated_at = ? WHERE feed = ?'),
      unload: db.prepare('UPDATE sync_feeds SET snapshot_key = NULL, snapshot_as_of = NULL, snapshot_total = NULL, snapshot_done = 0, updated_at = ? WHERE feed = ?'),
      finishSnapshot: db.prepare('UPDATE sync_feeds SET snapshot_key = NULL, snapshot_as_of = NULL, snapshot_total = NULL, snapshot_done = 1, version = ?, updated_at = ? WHERE feed = ?'),
      stage: db.prepare(
        `INSERT INTO catalog_staging (feed, key, data, version) VALUES (?, ?, ?, ?)
         ON CONFLICT (feed, key) DO UPDATE SET data = excluded.data, version = excluded.version, problem = NULL WHERE excluded.version >= catalog_staging.version`,
      ),
      staged: db.prepare('SELECT feed, key, data, version FROM catalog_staging ORDER BY version'),
      stagedLoyalty: db.prepare(`SELECT feed, key, data, version FROM catalog_staging WHERE feed IN ('customers', 'coupons') AND problem IS NULL ORDER BY version`),
      stagedCount: db.prepare('SELECT feed, COUNT(*) AS n, SUM(problem IS NOT NULL) AS bad FROM catalog_staging GROUP BY feed'),
      unstage: db.prepare('DELETE FROM catalog_staging WHERE feed = ? AND key = ? AND version = ?'),
      problem: db.prepare('UPDATE catalog_staging SET problem = ? WHERE feed = ? AND key = ?'),
      bySku: db.prepare('SELECT id, base_price, store_price FROM products WHERE sku = ?'),
      taxCode: db.prepare('SELECT 1 FROM tax_rates WHERE code = ?').pluck(),
      putTaxRate: db.prepare('INSERT INTO tax_rates (code, bp) VALUES (?, ?) ON CONFLICT (code) DO UPDATE SET bp = excluded.bp'),
      category: db.prepare('SELECT id FROM categories WHERE name = ?').pluck(),
      addCategory: db.prepare('INSERT INTO categories (name) VALUES (?)'),
      freePlu: db.prepare('UPDATE products SET plu = NULL WHERE plu = ? AND id <> ?'),
      freeItemCode: db.prepare('UPDATE products SET item_code = NULL WHERE item_code = ? AND id <> ?'),
      insertProduct: db.prepare(
        `INSERT INTO products (name, name_alt, kind, unit, tax_code, price, category_id, plu, item_code, active, marked, sku, base_price, updated_at)
         VALUES (@name, @nameAlt, @kind, @unit, @taxCode, @price, @categoryId, @plu, @itemCode, @active, @marked, @sku, @basePrice, @at)`,
      ),
      updateProduct: db.prepare(
        `UPDATE products SET name = @name, name_alt = @nameAlt, kind = @kind, unit = @unit, tax_code = @taxCode, price = @price,
           category_id = @categoryId, plu = @plu, item_code = @itemCode, active = @active, marked = @marked, base_price = @basePrice, updated_at = @at
         WHERE id = @id`,
      ),
      setStorePrice: db.prepare('UPDATE products SET store_price = ?, price = ?, updated_at = ? WHERE id = ?'),
      clearRole: db.prepare('DELETE FROM role_permissions WHERE role = ?'),
      grant: db.prepare('INSERT OR IGNORE INTO role_permissions (role, permission) VALUES (?, ?)'),
      userByRemote: db.prepare('SELECT id FROM users WHERE remote_id = ?').pluck(),
      insertUser: db.prepare('INSERT INTO users (name, role, pin_hash, pin_salt, active, remote_id) VALUES (@name, @role, @hash, @salt, @active, @remoteId)'),
      // A new PIN from the head office also clears a lockout from the old one.
      updateUser: db.prepare(
        `UPDATE users SET name = @name, role = @role, active = @active, failed_attempts = CASE WHEN pin_hash = @hash THEN failed_attempts ELSE 0 END,
           locked_until = CASE WHEN pin_hash = @hash THEN locked_until ELSE 0 END, pin_hash = @hash, pin_salt = @salt WHERE remote_id = @remoteId`,
      ),
      basket: db.prepare(OPEN_BASKET_SQL).pluck(),
      putSetting: db.prepare('INSERT INTO head_office_settings (scope, key, value) VALUES (?, ?, ?) ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value'),
      dropSetting: db.prepare('DELETE FROM head_office_settings WHERE scope = ? AND key = ?'),
      // The store's value goes over the chain's.
      effectiveSetting: db.prepare(`SELECT value FROM head_office_settings WHERE key = ? ORDER BY scope = 'store' DESC LIMIT 1`).pluck(),
      consentUnsent: db.prepare(
        `SELECT 1 FROM outbox WHERE acked_at IS NULL AND channel = 'loyalty' AND
           ((type = 'customer.consent' AND json_extract(payload, '$.customerId') = ?) OR (type = 'customer.signed_up' AND json_extract(payload, '$.customer.id') = ?)) LIMIT 1`,
      ),
      putStore: db.prepare('INSERT INTO chain_stores (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name'),
      transferDoc: db.prepare('SELECT id FROM stock_docs WHERE transfer_id = ?').pluck(),
      productByBarcode: db.prepare('SELECT product_id FROM barcodes WHERE code = ?').pluck(),
      productBySku: db.prepare('SELECT id FROM products WHERE sku = ?').pluck(),
      addTransferDoc: db.prepare(
        `INSERT INTO stock_docs (id, kind, number, state, store_id, store_name, transfer_id, created_by, created_at)
         VALUES (@id, 'transfer_in', @number, 'draft', @storeId, @storeName, @transferId, NULL, @at)`,
      ),
      addTransferLine: db.prepare('INSERT INTO stock_doc_lines (doc_id, line_no, product_id, expected_qty, qty, cost) VALUES (@docId, @lineNo, @productId, @expected, 0, @cost)'),
      barcodesOf: db.prepare('SELECT code FROM barcodes WHERE product_id = ?').pluck(),
      dropBarcode: db.prepare('DELETE FROM barcodes WHERE code = ?'),
      putBarcode: db.prepare(
        'INSERT INTO barcodes (code, product_id, pack_qty) VALUES (?, ?, ?) ON CONFLICT (code) DO UPDATE SET product_id = excluded.product_id, pack_qty = excluded.pack_qty',
      ),
    };
  }

  /**
   * A basket is being rung up: an open receipt with lines. One opened long ago and left (the
   * cashier went home) does not hold the catalog back for ever.
   */
  basketInProgress(now: number): boolean {
    return this.s.basket.get(now - ABANDONED_BASKET_MS) !== undefined;
  }

  state(feed: SyncFeed): FeedState {
    const r = this.s.feed.get(feed) as
      | { version: number; snapshot_key: string | null; snapshot_as_of: number | null; snapshot_total: number | null; snapshot_done: number }
      | undefined;
    if (!r) return { feed, version: 0, snapshot: null, loaded: false };
    return {
      feed,
      version: r.version,
      snapshot: r.snapshot_as_of === null ? null : { key: r.snapshot_key, asOf: r.snapshot_as_of, total: r.snapshot_total },
      loaded: r.snapshot_done === 1,
    };
  }

  /** Staged rows per feed, and how many of them cannot be used as they are. */
  pending(): Record<SyncFeed, { staged: number; problems: number }> {
    const out: Record<SyncFeed, { staged: number; problems: number }> = {
      taxes: { staged: 0, problems: 0 },
      catalog: { staged: 0, problems: 0 },
      prices: { staged: 0, problems: 0 },
      roles: { staged: 0, problems: 0 },
      users: { staged: 0, problems: 0 },
      settings: { staged: 0, problems: 0 },
      stores: { staged: 0, problems: 0 },
      transfers: { staged: 0, problems: 0 },
      customers: { staged: 0, problems: 0 },
      coupons: { staged: 0, problems: 0 },
    };
    for (const r of this.s.stagedCount.all() as { feed: SyncFeed; n: number; bad: number | null }[]) out[r.feed] = { staged: r.n, problems: r.bad ?? 0 };
    return out;
  }

  /** A page of changes and the cursor after it, in one transaction. */
  stageChanges(feed: SyncFeed, rows: readonly StagedRow[], through: number, at: number): void {
    this.db.transaction(() => {
      this.s.ensureFeed.run(feed, at);
      for (const r of rows) this.s.stage.run(feed, r.key, JSON.stringify(r.data), r.version);
      this.s.setVersion.run(through, at, feed);
    })();
  }

  /**
   * A page of a snapshot and where it got to, in one transaction. The last page (`nextKey` null)
   * ends the snapshot: the feed is then at `asOf`, from where pulling brings what changed meanwhile.
   */
  stageSnapshot(feed: SyncFeed, rows: readonly StagedRow[], page: { asOf: number; nextKey: string | null; total: number | null }, at: number): void {
    this.db.transaction(() => {
      this.s.ensureFeed.run(feed, at);
      const current = this.state(feed).snapshot;
      const asOf = current?.asOf ?? page.asOf;
      for (const r of rows) this.s.stage.run(feed, r.key, JSON.stringify(r.data), Math.min(r.version, asOf));
      if (page.nextKey === null) this.s.finishSnapshot.run(asOf, at, feed);
      else this.s.setSnapshot.run(page.nextKey, asOf, current?.total ?? page.total, at, feed);
    })();
  }

  /** The head office no longer keeps the changes after this feed's cursor: load a snapshot again from the start. */
  restartSnapshot(feed: SyncFeed, at: number): void {
    this.db.transaction(() => {
      this.s.ensureFeed.run(feed, at);
      this.s.unload.run(at, feed);
    })();
  }

  /** Make everything staged live, in one transaction (call it between baskets). */
  activate(at: number): Activation {
    const done = this.activateInTransaction(at, false);
    if (done.settings + done.users > 0) this.hooks.storeChanged?.();
    return done;
  }

  /**
   * Only the loyalty feeds (customers with their balances, coupons): they may go live in the middle
   * of a basket (a fresher balance is what a customer at the till needs; the basket is priced again
   * when it completes), so a basket in progress does not hold them back.
   */
  activateLoyalty(at: number): Activation {
    return this.activateInTransaction(at, true);
  }

  private activateInTransaction(at: number, loyaltyOnly: boolean): Activation {
    return this.db.transaction((): Activation => {
      const result: Activation = { taxes: 0, products: 0, prices: 0, roles: 0, users: 0, settings: 0, stores: 0, transfers: 0, customers: 0, coupons: 0, waiting: [] };
      const wait = (feed: SyncFeed, key: string, problem: string) => {
        this.s.problem.run(problem, feed, key);
        result.waiting.push({ feed, key, problem });
      };
      const rows = (loyaltyOnly ? this.s.stagedLoyalty.all() : this.s.staged.all()) as { feed: SyncFeed; key: string; data: string; version: number }[];
      // VAT rates first (products refer to them), then products (a price waits for its product).
      for (const r of rows.filter((x) => x.feed === 'taxes')) {
        const parsed = TaxRateSchema.safeParse(JSON.parse(r.data));
        if (!parsed.success) {
          wait('taxes', r.key, 'the VAT rate cannot be read');
          continue;
        }
        this.s.putTaxRate.run(parsed.data.code, parsed.data.bp);
        this.s.unstage.run('taxes', r.key, r.version);
        result.taxes++;
      }
      for (const r of rows.filter((x) => x.feed === 'catalog')) {
        const parsed = CatalogItemSchema.safeParse(JSON.parse(r.data));
        if (!parsed.success) {
          wait('catalog', r.key, 'the product record cannot be read');
          continue;
        }
        const problem = this.applyProduct(parsed.data, at);
        if (problem) wait('catalog', r.key, problem);
        else {
          this.s.unstage.run('catalog', r.key, r.version);
          result.products++;
        }
      }
      for (const r of rows.filter((x) => x.feed === 'prices')) {
        const parsed = StorePriceSchema.safeParse(JSON.parse(r.data));
        if (!parsed.success) {
          wait('prices', r.key, 'the price record cannot be read');
          continue;
        }
        const p = this.s.bySku.get(parsed.data.sku) as ProductRef | undefined;
        if (!p) {
          wait('prices', r.key, 'the product is not in the catalog yet');
          continue;
        }
        this.s.setStorePrice.run(parsed.data.price, parsed.data.price, at, p.id);
        this.s.unstage.run('prices', r.key, r.version);
        result.prices++;
      }
      for (const r of rows.filter((x) => x.feed === 'roles')) {
        const parsed = RolePermissionsSchema.safeParse(JSON.parse(r.data));
        if (!parsed.success) {
          wait('roles', r.key, 'the role cannot be read');
          continue;
        }
        this.s.clearRole.run(parsed.data.role);
        for (const p of parsed.data.permissions) this.s.grant.run(parsed.data.role, p);
        this.s.unstage.run('roles', r.key, r.version);
        result.roles++;
      }
      if (result.roles > 0) {
        // Whoever holds the matrix in memory reads it again, also if this transaction rolls back.
        this.hooks.rolesChanged?.();
        onRollback(this.db, () => this.hooks.rolesChanged?.());
      }
      for (const r of rows.filter((x) => x.feed === 'users')) {
        const parsed = StaffMemberSchema.safeParse(JSON.parse(r.data));
        if (!parsed.success) {
          wait('users', r.key, 'the staff record cannot be read');
          continue;
        }
        const u = parsed.data;
        const fields = { remoteId: u.id, name: u.name, role: u.role, hash: Buffer.from(u.pinHash, 'hex'), salt: Buffer.from(u.pinSalt, 'hex'), active: u.active ? 1 : 0 };
        if (this.s.userByRemote.get(u.id) !== undefined) this.s.updateUser.run(fields);
        else this.s.insertUser.run(fields);
        this.s.unstage.run('users', r.key, r.version);
        result.users++;
      }
      for (const r of rows.filter((x) => x.feed === 'settings')) {
        const parsed = SettingChangeSchema.safeParse(JSON.parse(r.data));
        if (!parsed.success) {
          wait('settings', r.key, 'the setting cannot be read');
          continue;
        }
        const problem = this.applySetting(parsed.data.key, parsed.data.scope, parsed.data.value);
        if (problem) wait('settings', r.key, problem);
        else {
          this.s.unstage.run('settings', r.key, r.version);
          result.settings++;
        }
      }
      for (const r of rows.filter((x) => x.feed === 'stores')) {
        const parsed = ChainStoreSchema.safeParse(JSON.parse(r.data));
        if (!parsed.success) {
          wait('stores', r.key, 'the store cannot be read');
          continue;
        }
        this.s.putStore.run(parsed.data.id, parsed.data.name);
        this.s.unstage.run('stores', r.key, r.version);
        result.stores++;
      }
      for (const r of rows.filter((x) => x.feed === 'transfers')) {
        const parsed = IncomingTransferSchema.safeParse(JSON.parse(r.data));
        if (!parsed.success) {
          wait('transfers', r.key, 'the transfer cannot be read');
          continue;
        }
        const problem = this.applyTransfer(parsed.data, at);
        if (problem) wait('transfers', r.key, problem);
        else {
          this.s.unstage.run('transfers', r.key, r.version);
          result.transfers++;
        }
      }
      for (const r of rows.filter((x) => x.feed === 'customers')) {
        const parsed = CustomerFeedRecordSchema.safeParse(JSON.parse(r.data));
        if (!parsed.success) {
          wait('customers', r.key, 'the customer record cannot be read');
          continue;
        }
        this.applyCustomer(parsed.data, r.version, at);
        this.s.unstage.run('customers', r.key, r.version);
        result.customers++;
      }
      for (const r of rows.filter((x) => x.feed === 'coupons')) {
        const parsed = CouponFeedRecordSchema.safeParse(JSON.parse(r.data));
        if (!parsed.success) {
          wait('coupons', r.key, 'the coupon cannot be read');
          continue;
        }
        const c = parsed.data;
        this.loyalty.putCoupon({ ...c, code: c.code.toUpperCase(), usedElsewhere: c.used, origin: 'head_office' }, at);
        this.s.unstage.run('coupons', r.key, r.version);
        result.coupons++;
      }
      return result;
    })();
  }

  /**
   * A customer as the chain knows them: their record and consents (the head office's copy wins),
   * the balance it counts and which of this till's entries that includes. An erased customer's
   * personal data goes from this till too.
   */
  private applyCustomer(c: CustomerFeedRecord, version: number, at: number): void {
    this.customers.putFromHeadOffice({ id: c.id, cardNo: c.cardNo, phone: c.phone, name: c.name, birthday: c.birthday, createdAt: c.createdAt, erasedAt: c.erased ? at : null });
    if (c.erased || this.customers.byId(c.id)?.erased_at != null) {
      this.customers.erase(c.id, at);
      smsRepo(this.db).forgetCustomer(c.id);
      this.outbox.scrubCustomer(c.id);
    } else if (this.s.consentUnsent.get(c.id, c.id) === undefined) {
      // A consent changed here and not yet delivered is newer than what the head office says.
      const now = this.customers.consents(c.id);
      for (const purpose of ['loyalty', 'service', 'advertising'] as const) {
        if (now[purpose] !== c.consents[purpose]) this.customers.recordConsent(c.id, purpose, c.consents[purpose], at, 'head_office', null);
      }
    }
    this.loyalty.putBalance({
      id: c.id,
      points: c.points,
      spend: c.spend,
      seen: this.loyalty.seenByUs(c.seen),
      usedCoupons: c.usedCoupons,
      version,
      purchaseDays: c.purchaseDays,
      gifts: c.gifts,
    });
  }

  /**
   * A transfer on its way here becomes a draft to receive: the goods found by barcode or SKU, the
   * quantities sent as what is expected, the sender's cost. A product this till lacks holds it back
   * (named) until the catalog brings it. Made once per transfer.
   */
  private applyTransfer(t: IncomingTransfer, at: number): string | null {
    if (this.s.transferDoc.get(t.id) !== undefined) return null;
    const lines: { productId: number; qty: number; cost: number | null }[] = [];
    for (const l of t.lines) {
      const id =
        l.barcodes.map((b) => this.s.productByBarcode.get(b) as number | undefined).find((x) => x !== undefined) ??
        (l.sku ? (this.s.productBySku.get(l.sku) as number | undefined) : undefined);
      if (id === undefined) return `"${l.name}" is not in this till's catalog`;
      const same = lines.find((x) => x.productId === id);
      if (same) same.qty += l.qty;
      else lines.push({ productId: id, qty: l.qty, cost: l.cost });
    }
    const docId = newId();
    const number = this.counters.next('transfer_in_number');
    this.s.addTransferDoc.run({ id: docId, number, storeId: t.fromStoreId, storeName: t.fromStoreName, transferId: t.id, at });
    lines.forEach((l, i) => this.s.addTransferLine.run({ docId, lineNo: i + 1, productId: l.productId, expected: l.qty, cost: l.cost }));
    return null;
  }

  /**
   * One scope's value of a setting (null: taken back), then the setting itself: the store's value,
   * else the chain's, else it is the till's own again. Null when applied; else why it cannot be
   * (a setting this version of the till does not know, or a value of the wrong shape: it waits).
   */
  private applySetting(key: string, scope: 'chain' | 'store', value: unknown): string | null {
    if (!isHeadOfficeSetting(key)) return `this till does not know the setting "${key}" (a newer till version does)`;
    if (value === null) this.s.dropSetting.run(scope, key);
    else {
      const checked = parseHeadOfficeSetting(key, value);
      if (!checked.ok) return checked.problem;
      this.s.putSetting.run(scope, key, JSON.stringify(checked.value));
    }
    const effective = this.s.effectiveSetting.get(key) as string | undefined;
    this.settings.setFromHeadOffice(key, effective === undefined ? null : JSON.parse(effective));
    return null;
  }

  /** Null when applied; else why it cannot be (it stays staged). */
  private applyProduct(item: CatalogItem, at: number): string | null {
    if (!this.s.taxCode.get(item.taxCode)) return `the VAT code "${item.taxCode}" is not set up on this till`;
    let categoryId: number | null = null;
    if (item.category) {
      categoryId = (this.s.category.get(item.category) as number | undefined) ?? Number(this.s.addCategory.run(item.category).lastInsertRowid);
    }
    const existing = this.s.bySku.get(item.sku) as ProductRef | undefined;
    const fields = {
      name: item.name,
      nameAlt: item.nameAlt,
      kind: item.kind,
      unit: item.unit,
      taxCode: item.taxCode,
      price: existing?.store_price ?? item.price,
      categoryId,
      plu: item.plu,
      itemCode: item.itemCode,
      active: item.active ? 1 : 0,
      marked: item.marked ? 1 : 0,
      basePrice: item.price,
      at,
    };
    let id: number;
    if (existing) {
      id = existing.id;
      if (item.plu !== null) this.s.freePlu.run(item.plu, id);
      if (item.itemCode !== null) this.s.freeItemCode.run(item.itemCode, id);
      this.s.updateProduct.run({ ...fields, id });
    } else {
      if (item.plu !== null) this.s.freePlu.run(item.plu, -1);
      if (item.itemCode !== null) this.s.freeItemCode.run(item.itemCode, -1);
      id = Number(this.s.insertProduct.run({ ...fields, sku: item.sku }).lastInsertRowid);
    }
    const keep = new Set(item.barcodes.map((b) => b.code));
    for (const code of this.s.barcodesOf.all(id) as string[]) if (!keep.has(code)) this.s.dropBarcode.run(code);
    for (const b of item.barcodes) this.s.putBarcode.run(b.code, id, b.packQty);
    return null;
  }
}
