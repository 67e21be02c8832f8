import type { EpochMs } from '../../../src-common/units.js';
import type { Db } from '../open.js';

export interface CustomerRow {
  id: string;
  card_no: string | null;
  phone: string | null;
  name: string | null;
  birthday: string | null;
  created_at: number;
  erased_at: number | null;
  referrer_id: string | null;
}

export type Purpose = 'loyalty' | 'service' | 'advertising';

const COLUMNS = 'id, card_no, phone, name, birthday, created_at, erased_at, referrer_id';

/** Customers and their consents. Writes run inside the caller's transaction. */
export class CustomersRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      byCard: db.prepare(`SELECT ${COLUMNS} FROM customers WHERE card_no = ? AND erased_at IS NULL`),
      byPhone: db.prepare(`SELECT ${COLUMNS} FROM customers WHERE phone = ? AND erased_at IS NULL`),
      byName: db.prepare(`SELECT ${COLUMNS} FROM customers WHERE name_key LIKE ? ESCAPE '\\' AND erased_at IS NULL ORDER BY name LIMIT ?`),
      byId: db.prepare(`SELECT ${COLUMNS} FROM customers WHERE id = ?`),
      cardTaken: db.prepare('SELECT 1 FROM customers WHERE card_no = ?').pluck(),
      add: db.prepare(
        'INSERT INTO customers (id, card_no, phone, name, name_key, birthday, created_at, created_by, referrer_id) VALUES (@id, @cardNo, @phone, @name, @nameKey, @birthday, @at, @userId, @referrerId)',
      ),
      // From the head office: the chain's copy wins for everything it holds (a card or phone another
      // local customer had is taken from it: the head office decided whose it is).
      freeCard: db.prepare('UPDATE customers SET card_no = NULL WHERE card_no = ? AND id <> ?'),
      freePhone: db.prepare('UPDATE customers SET phone = NULL WHERE phone = ? AND id <> ?'),
      upsert: db.prepare(
        `INSERT INTO customers (id, card_no, phone, name, name_key, birthday, created_at, erased_at) VALUES (@id, @cardNo, @phone, @name, @nameKey, @birthday, @at, @erasedAt)
         ON CONFLICT (id) DO UPDATE SET
           -- A customer erased here stays erased whatever an older record of the head office says.
           card_no = CASE WHEN customers.erased_at IS NULL THEN excluded.card_no END,
           phone = CASE WHEN customers.erased_at IS NULL THEN excluded.phone END,
           name = CASE WHEN customers.erased_at IS NULL THEN excluded.name END,
           name_key = CASE WHEN customers.erased_at IS NULL THEN excluded.name_key END,
           birthday = CASE WHEN customers.erased_at IS NULL THEN excluded.birthday END,
           erased_at = COALESCE(customers.erased_at, excluded.erased_at)`,
      ),
      erase: db.prepare('UPDATE customers SET card_no = NULL, phone = NULL, name = NULL, name_key = NULL, birthday = NULL, erased_at = COALESCE(erased_at, ?) WHERE id = ?'),
      dropConsents: db.prepare('DELETE FROM customer_consents WHERE customer_id = ?'),
      consentHistory: db.prepare('SELECT purpose, granted, at, till_id AS tillId, user_id AS userId FROM customer_consents WHERE customer_id = ? ORDER BY id'),
      consent: db.prepare('INSERT INTO customer_consents (customer_id, purpose, granted, at, till_id, user_id) VALUES (?, ?, ?, ?, ?, ?)'),
      consents: db.prepare(
        `SELECT purpose, granted FROM customer_consents c WHERE customer_id = ? AND id = (SELECT MAX(id) FROM customer_consents WHERE customer_id = c.customer_id AND purpose = c.purpose)`,
      ),
    };
  }

  byCard(card: string): CustomerRow | null {
    return (this.s.byCard.get(card) as CustomerRow | undefined) ?? null;
  }
  byPhone(phone: string): CustomerRow | null {
    return (this.s.byPhone.get(phone) as CustomerRow | undefined) ?? null;
  }
  byName(text: string, limit: number): CustomerRow[] {
    return this.s.byName.all(`%${text.toLocaleLowerCase('ru').replace(/[\\%_]/g, (c) => `\\${c}`)}%`, limit) as CustomerRow[];
  }
  byId(id: string): CustomerRow | null {
    return (this.s.byId.get(id) as CustomerRow | undefined) ?? null;
  }
  cardTaken(card: string): boolean {
    return this.s.cardTaken.get(card) !== undefined;
  }
  add(c: { id: string; cardNo: string | null; phone: string | null; name: string | null; birthday: string | null; at: EpochMs; userId: number | null; referrerId?: string | null }): void {
    this.s.add.run({ ...c, referrerId: c.referrerId ?? null, nameKey: c.name === null ? null : c.name.toLocaleLowerCase('ru') });
  }

  /** A customer as the head office holds them (the customers feed). */
  putFromHeadOffice(c: { id: string; cardNo: string | null; phone: string | null; name: string | null; birthday: string | null; createdAt: number; erasedAt: number | null }): void {
    if (c.cardNo !== null) this.s.freeCard.run(c.cardNo, c.id);
    if (c.phone !== null) this.s.freePhone.run(c.phone, c.id);
    this.s.upsert.run({ ...c, at: c.createdAt, nameKey: c.name === null ? null : c.name.toLocaleLowerCase('ru') });
  }

  /** Forget a customer's personal data and consents; the id stays (receipts and the ledger refer to it). */
  erase(id: string, at: number): void {
    this.s.erase.run(at, id);
    this.s.dropConsents.run(id);
  }

  consentHistory(customerId: string): { purpose: Purpose; granted: number; at: number; tillId: string; userId: number | null }[] {
    return this.s.consentHistory.all(customerId) as never;
  }
  recordConsent(customerId: string, purpose: Purpose, granted: boolean, at: number, tillId: string, userId: number | null): void {
    this.s.consent.run(customerId, purpose, granted ? 1 : 0, at, tillId, userId);
  }
  /** The consents in force: the latest answer per purpose (none given: no). */
  consents(customerId: string): Record<Purpose, boolean> {
    const out: Record<Purpose, boolean> = { loyalty: false, service: false, advertising: false };
    for (const r of this.s.consents.all(customerId) as { purpose: Purpose; granted: number }[]) out[r.purpose] = r.granted === 1;
    return out;
  }
}
