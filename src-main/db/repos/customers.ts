import type { EpochMs } from '../../../src-common/units.js';
import type { Db } from '../open.js';

export interface CustomerRow {
  id: string;
  card_no: string | null;
  phone: string | null;
  name: string | null;
  birthday: string | null;
  created_at: number;
}

export type Purpose = 'loyalty' | 'service' | 'advertising';

const COLUMNS = 'id, card_no, phone, name, birthday, created_at';

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
        'INSERT INTO customers (id, card_no, phone, name, name_key, birthday, created_at, created_by) VALUES (@id, @cardNo, @phone, @name, @nameKey, @birthday, @at, @userId)',
      ),
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
  add(c: { id: string; cardNo: string | null; phone: string | null; name: string | null; birthday: string | null; at: EpochMs; userId: number }): void {
    this.s.add.run({ ...c, nameKey: c.name === null ? null : c.name.toLocaleLowerCase('ru') });
  }
  recordConsent(customerId: string, purpose: Purpose, granted: boolean, at: EpochMs, tillId: string, userId: number): void {
    this.s.consent.run(customerId, purpose, granted ? 1 : 0, at, tillId, userId);
  }
  /** The consents in force: the latest answer per purpose (none given: no). */
  consents(customerId: string): Record<Purpose, boolean> {
    const out: Record<Purpose, boolean> = { loyalty: false, service: false, advertising: false };
    for (const r of this.s.consents.all(customerId) as { purpose: Purpose; granted: number }[]) out[r.purpose] = r.granted === 1;
    return out;
  }
}
