import { afterEach, describe, expect, it } from 'vitest';
import { isValidGtin } from '../../src-common/barcode.js';
import { failure, openTill, type Till } from './support.js';

const tills: Till[] = [];
afterEach(() => {
  for (const t of tills.splice(0)) t.close();
});

describe('customers at the till', () => {
  it('a quick sign-up with consents recorded per purpose (when, where, by whom); found again by card, by phone written any way, or by name', async () => {
    const x = openTill();
    tills.push(x);
    const cashier = await x.as('cashier');
    const anna = await x.c.call('customers.signUp', { phone: '8 916 123-45-67', name: 'Анна Петрова', birthday: '1990-05-17', consents: { loyalty: true, service: true } });
    expect(anna).toMatchObject({ phone: '+79161234567', name: 'Анна Петрова', consents: { loyalty: true, service: true, advertising: false } });
    // No card given: a virtual one, a valid EAN-13 in the company's own range 04 (never a weighed-goods label).
    expect(anna.cardNo).toMatch(/^04\d{11}$/);
    expect(isValidGtin(anna.cardNo!)).toBe(true);
    const rows = x.t.backend.db.prepare('SELECT purpose, granted, till_id, user_id FROM customer_consents WHERE customer_id = ? ORDER BY purpose').all(anna.id);
    expect(rows).toEqual([
      { purpose: 'advertising', granted: 0, till_id: expect.any(String), user_id: cashier },
      { purpose: 'loyalty', granted: 1, till_id: expect.any(String), user_id: cashier },
      { purpose: 'service', granted: 1, till_id: expect.any(String), user_id: cashier },
    ]);

    const ivan = await x.c.call('customers.signUp', { cardNo: '7700123456', name: 'Иван', consents: { loyalty: true } });
    expect((await x.c.call('customers.find', { text: '7700123456' })).map((c) => c.id)).toEqual([ivan.id]);
    expect((await x.c.call('customers.find', { text: '+7 (916) 123-45-67' })).map((c) => c.id)).toEqual([anna.id]);
    expect((await x.c.call('customers.find', { text: '9161234567' })).map((c) => c.id)).toEqual([anna.id]);
    expect((await x.c.call('customers.find', { text: 'петр' })).map((c) => c.id)).toEqual([anna.id]);
    expect(await x.c.call('customers.find', { text: '%' })).toEqual([]);

    // Refused whole: a phone that is not one, a phone or a card someone has, no consent to the programme.
    const before = x.rows('customers');
    expect(await failure(x.c.call('customers.signUp', { phone: '12345', consents: { loyalty: true } }))).toMatchObject({ code: 'customer_invalid', details: { reason: 'phone' } });
    expect(await failure(x.c.call('customers.signUp', { phone: '+79161234567', consents: { loyalty: true } }))).toMatchObject({ code: 'customer_invalid', details: { reason: 'taken' } });
    expect(await failure(x.c.call('customers.signUp', { cardNo: '7700123456', consents: { loyalty: true } }))).toMatchObject({ code: 'customer_invalid', details: { field: 'cardNo' } });
    expect(await failure(x.c.call('customers.signUp', { phone: '+79160000000', consents: { loyalty: false } as never }))).toMatchObject({ code: 'validation' });
    expect(await failure(x.c.call('customers.signUp', { name: 'Без контактов', consents: { loyalty: true } }))).toMatchObject({ code: 'validation' });
    expect(x.rows('customers')).toBe(before);
  });
});
